#!/usr/bin/env bash
# Builds libFuzzer targets with clang (libFuzzer + ASan + UBSan) and runs each for a while.
# Needs clang and libclang-rt-dev (apt-get install clang libclang-rt-14-dev).
# Usage: fuzz/run.sh [seconds] [work-dir] [target...]
#   targets: validate_load (config-validate's YAML loading and checks) and go_build_info (the
#   ELF/Mach-O Go build information reader); all of them by default, each for `seconds`
#   (default 300). Corpus and crashes stay in work-dir/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-300}
work=${2:-"$root/build-fuzz"}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(validate_load go_build_info)
mkdir -p "$work/obj"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -I"$root/include" -I"$root/src")

# Compiles sources into objects under work/obj and prints their paths.
compile() {
  local objects=() source object
  for source in "$@"; do
    object="$work/obj/$(echo "${source#"$root"/}" | tr / _).o"
    objects+=("$object")
    # Rebuilt when the source or any header is newer (no dependency tracking: headers change layouts).
    if [ ! -f "$object" ] || [ "$source" -nt "$object" ] ||
       [ -n "$(find "$root/include" "$root/src" -name '*.hpp' -newer "$object" -print -quit)" ]; then
      echo "$object" >&2
      clang++ "${flags[@]}" -c "$source" -o "$object" &
      while [ "$(jobs -r | wc -l)" -ge 2 ]; do wait -n; done
    fi
  done
  wait
  printf '%s\n' "${objects[@]}"
}

for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus" "$work/$target/crashes"
  case "$target" in
    validate_load)
      mapfile -t objects < <(compile "$root"/src/validate/*.cpp "$root"/src/validate/*/*.cpp \
        "$root"/src/core/strings.cpp "$root"/src/core/fs.cpp "$root"/src/exec/process.cpp)
      libraries=(/usr/lib/x86_64-linux-gnu/libyaml-cpp.a /usr/lib/x86_64-linux-gnu/libre2.a -lpthread)
      # Seeds: the end-to-end cases and the test mesh.
      find "$root/tests/data/validate" -name '*.y*ml' -exec cp {} "$work/$target/corpus/" \;
      max_len=65536 ;;
    go_build_info)
      mapfile -t objects < <(compile "$root"/src/binary/*.cpp "$root"/src/core/strings.cpp \
        "$root"/src/core/fs.cpp)
      libraries=()
      # Seeds: small ELF and Mach-O images in every layout the reader knows.
      cp "$root"/tests/data/go-build-info/* "$work/$target/corpus/"
      max_len=16384 ;;
    *) echo "unknown fuzz target: $target (validate_load, go_build_info)" >&2; exit 2 ;;
  esac
  clang++ "${flags[@]}" -fsanitize=fuzzer "$root/fuzz/${target}_fuzzer.cpp" "${objects[@]}" \
    "${libraries[@]}" -o "$work/$target/fuzzer"
  "$work/$target/fuzzer" "$work/$target/corpus" -artifact_prefix="$work/$target/crashes/" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1
done
