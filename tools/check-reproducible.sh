#!/usr/bin/env bash
# Builds getmesh twice from scratch, in two different directories and without ccache, and compares
# the two Debian packages byte for byte (docs/packaging.md, reproducible builds). Slow: two full
# builds, unity-built as `make package` builds. Usage: tools/check-reproducible.sh [SOURCE_DATE_EPOCH]
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
epoch=${1:-$(git -C "$source_dir" log -1 --format=%ct)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {  # build <directory>
  CCACHE_DISABLE=1 SOURCE_DATE_EPOCH=$epoch cmake -S "$source_dir" -B "$1" -G Ninja \
    -DGETMESH_BUILD_TESTS=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
  CCACHE_DISABLE=1 SOURCE_DATE_EPOCH=$epoch cmake --build "$1" >/dev/null
  (cd "$1" && SOURCE_DATE_EPOCH=$epoch cpack >/dev/null)
}

build "$work/one"
build "$work/other-directory"
first=$(sha256sum "$work"/one/getmesh_*.deb)
second=$(sha256sum "$work"/other-directory/getmesh_*.deb)
echo "$first"
echo "$second"
if [ "${first%% *}" != "${second%% *}" ]; then
  echo "not reproducible: compare the packages with diffoscope" >&2
  exit 1
fi
echo "reproducible"
