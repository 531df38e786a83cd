#!/usr/bin/env bash
# Builds the config-validate loading fuzzer with clang (libFuzzer + ASan + UBSan) and runs it.
# Needs clang and libclang-rt-dev (apt-get install clang libclang-rt-14-dev).
# Usage: fuzz/run.sh [seconds] [work-dir]    (default 300 s; corpus and crashes stay in work-dir)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-300}
work=${2:-"$root/build-fuzz"}
mkdir -p "$work/obj" "$work/corpus" "$work/crashes"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -I"$root/include" -I"$root/src")
sources=("$root"/src/validate/*.cpp "$root"/src/validate/*/*.cpp "$root"/src/core/strings.cpp
         "$root"/src/core/fs.cpp "$root"/src/exec/process.cpp)
objects=()
for source in "${sources[@]}"; do
  object="$work/obj/$(echo "${source#"$root"/}" | tr / _).o"
  objects+=("$object")
  # Rebuilt when the source or any header is newer (no dependency tracking: headers change layouts).
  if [ ! -f "$object" ] || [ "$source" -nt "$object" ] ||
     [ -n "$(find "$root/include" "$root/src" -name '*.hpp' -newer "$object" -print -quit)" ]; then
    echo "$object"
    clang++ "${flags[@]}" -c "$source" -o "$object" &
    while [ "$(jobs -r | wc -l)" -ge 2 ]; do wait -n; done
  fi
done
wait
clang++ "${flags[@]}" -fsanitize=fuzzer "$root/fuzz/validate_load_fuzzer.cpp" "${objects[@]}" \
  /usr/lib/x86_64-linux-gnu/libyaml-cpp.a /usr/lib/x86_64-linux-gnu/libre2.a -lpthread \
  -o "$work/validate_load_fuzzer"

# Seeds: the end-to-end cases and the test mesh.
find "$root/tests/data/validate" -name '*.y*ml' -exec cp {} "$work/corpus/" \;
"$work/validate_load_fuzzer" "$work/corpus" -artifact_prefix="$work/crashes/" -max_total_time="$seconds" \
  -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
