# Two entry points do all the set-up on a fresh Debian 12 machine (see README.md):
#   make run    installs what is missing, builds, runs `getmesh list` on the embedded manifest
#   make test   installs what is missing, builds with -Werror, runs every test suite
# `make ci` (what .ci/run calls) is `make test` plus the ASan+UBSan build and its tests, the format
# check and the macOS compile check (docs/macos.md).
#   make install PREFIX=/usr/local [DESTDIR=…]   binary, man pages, completions, docs (docs/packaging.md)
#   make package                                  getmesh_<version>_<arch>.deb in the build directory

BUILD_DIR      ?= build
SANITIZE_DIR   ?= build-sanitize
JOBS           ?= $(shell nproc)
# Tests mostly wait on their loopback servers and child processes, so twice as many run at once.
TEST_JOBS      ?= $(shell echo $$(( $(JOBS) * 2 )))
PREFIX         ?= /usr/local
CMAKE_FLAGS    ?=
# Unity builds (several sources per compiler run) cut CI's two full builds by more than half;
# `UNITY=OFF` builds file by file, which is quicker for editing one file at a time.
UNITY          ?= ON

PACKAGES := build-essential cmake ninja-build pkg-config git ca-certificates \
            libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev libssl-dev \
            libarchive-dev zlib1g-dev libre2-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev \
            nginx-light openssl python3 python3-botocore python3-yaml time clang-format hyperfine golang-go \
            dpkg-dev file lintian man-db

# Only for `make fuzz` (libFuzzer), not for CI.
FUZZ_PACKAGES := clang libclang-rt-14-dev

# `make check-macos` compiles every source for macOS with Zig from the npm registry (docs/macos.md).
MACOS_DIR      ?= build-macos

.PHONY: all deps configure build run test test-sanitize ci bench fuzz format check-format \
        check-macos clean install package

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

# On the embedded manifest alone: a fresh home, and offline, so nothing is asked of GitHub.
run: build
	@home="$$(mktemp -d)"; \
	env -u GETMESH_MANIFEST -u GETMESH_TEST_MANIFEST_PATH -u GETMESH_MIRROR GETMESH_HOME="$$home" \
	  GETMESH_OFFLINE=1 $(BUILD_DIR)/src/getmesh list; \
	status=$$?; rm -rf "$$home"; exit $$status

# DESTDIR, when set, is honoured by cmake --install (staged installs).
install: build
	cmake --install $(BUILD_DIR) --prefix "$(PREFIX)"

# SOURCE_DATE_EPOCH defaults to the time of the last commit, so one commit gives one .deb, byte
# for byte (docs/packaging.md).
package: build
	@epoch="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null)}"; \
	if [ -n "$$epoch" ]; then export SOURCE_DATE_EPOCH="$$epoch"; fi; \
	cd $(BUILD_DIR) && cpack

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(TEST_JOBS) --schedule-random

test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DGETMESH_WERROR=ON -DGETMESH_SANITIZE=ON \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_UNITY_BUILD=$(UNITY) -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
	  -DGETMESH_TEST_CACHE_DIR=$(abspath $(BUILD_DIR))/test-cache $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ctest --output-on-failure -j $(TEST_JOBS) --schedule-random

ci: test test-sanitize check-format check-macos

bench: build
	bench/run.sh $(BUILD_DIR)

fuzz:
	$(MAKE) deps PACKAGES="$(PACKAGES) $(FUZZ_PACKAGES)"
	fuzz/run.sh $(FUZZ_SECONDS)

# Every file of src/ compiled for aarch64-macos and x86_64-macos (syntax and semantics, no link),
# after the self-test that shows Linux-only code fails it. Zig is downloaded once into MACOS_DIR
# (with npm when installed, else python3) and checked against its pinned SHA-256.
check-macos: deps
	tools/check-macos.sh --dir $(MACOS_DIR) --self-test
	tools/check-macos.sh --dir $(MACOS_DIR) -j $(JOBS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(MACOS_DIR)
