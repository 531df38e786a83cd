# Two entry points do all the set-up on a fresh Debian 12 machine (see README.md):
#   make run    installs what is missing, builds, runs `getmesh list` on the embedded manifest
#   make test   installs what is missing, builds with -Werror, runs every test suite
# `make ci` (what .ci/run calls) is `make test` plus the ASan+UBSan build and its tests.

BUILD_DIR      ?= build
SANITIZE_DIR   ?= build-sanitize
JOBS           ?= $(shell nproc)
CMAKE_FLAGS    ?=
# Unity builds (several sources per compiler run) cut CI's two full builds by more than half;
# `UNITY=OFF` builds file by file, which is quicker for editing one file at a time.
UNITY          ?= ON

PACKAGES := build-essential cmake ninja-build pkg-config git ca-certificates \
            libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev libssl-dev \
            libarchive-dev zlib1g-dev libre2-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev \
            nginx-light openssl python3 python3-botocore clang-format hyperfine

# Only for `make fuzz` (libFuzzer), not for CI.
FUZZ_PACKAGES := clang libclang-rt-14-dev

.PHONY: all deps configure build run test test-sanitize ci bench fuzz format check-format clean

all: build

# Installs only the packages that are missing (apt-get as root, else through sudo).
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DGETMESH_WERROR=ON -DCMAKE_UNITY_BUILD=$(UNITY) -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	env -u GETMESH_MANIFEST -u GETMESH_TEST_MANIFEST_PATH $(BUILD_DIR)/src/getmesh list

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --schedule-random

test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DGETMESH_WERROR=ON -DGETMESH_SANITIZE=ON \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_UNITY_BUILD=$(UNITY) -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ctest --output-on-failure -j $(JOBS) --schedule-random

ci: test test-sanitize check-format

bench: build
	bench/run.sh $(BUILD_DIR)

fuzz:
	$(MAKE) deps PACKAGES="$(PACKAGES) $(FUZZ_PACKAGES)"
	fuzz/run.sh $(FUZZ_SECONDS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
