#!/usr/bin/env bash
# Catalogue benchmark: `getmesh list` with a warm catalogue cache (the reduced catalogue of about as
# many releases as istio/istio has: 330, 1.0.0 to 1.32.9, from the stand-in GitHub API), next to
# `getmesh list` on the embedded manifest alone; and what refreshing costs: a revalidation answered
# 304, and a full read of the 4 pages (from the stand-in on loopback: getmesh's own cost, not
# GitHub's latency). Median wall time and mean CPU time from hyperfine.
# Usage: bench/catalog.sh <build-dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build_dir=$(realpath "${1:-build}")
getmesh="$build_dir/src/getmesh"
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 "$here/../tests/data/github/make_istio_releases.py" --synthetic > "$work/releases.json"
python3 -B "$here/../tests/servers/github_api.py" --releases "$work/releases.json" \
  --log "$work/requests.log" > "$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/server.out" ] && break; sleep 0.05; done
url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/server.out")

unset GETMESH_MANIFEST GETMESH_TEST_MANIFEST_PATH GETMESH_MIRROR KUBECONFIG GITHUB_TOKEN GH_TOKEN
export GETMESH_HOME="$work/home" GETMESH_GITHUB_API="$url" GETMESH_OFFLINE=0
cache="$GETMESH_HOME/cache/catalog.txt"
for _ in $(seq 10); do  # fills the cache: on a slow machine over several commands of 3 s at most
  "$getmesh" list > /dev/null 2>&1
  grep -q $'^next_url\t$' "$cache" 2>/dev/null && break
done
releases=$(grep -c '^release' "$cache")
cache_bytes=$(stat -c %s "$cache")
mkdir -p "$work/empty"

hyperfine --shell=none --warmup 50 --runs "${RUNS:-1000}" --export-json "$work/warm.json" \
  --command-name warm "$getmesh list" \
  --command-name warm-json "$getmesh list -o json" \
  --command-name manifest "env GETMESH_HOME=$work/empty GETMESH_OFFLINE=1 $getmesh list" \
  >/dev/null
# One --prepare per command (a single one would apply to both).
hyperfine --warmup 2 --runs "${REFRESH_RUNS:-20}" --export-json "$work/refresh.json" \
  --prepare true --prepare "rm -f $cache" \
  --command-name revalidate "$getmesh list --refresh" \
  --command-name full-read "env GETMESH_CATALOG_TIMEOUT_MS=60000 $getmesh list" \
  >/dev/null

python3 - "$work/warm.json" "$work/refresh.json" "$releases" "$cache_bytes" <<'PY'
import json, sys
results = {}
for name in sys.argv[1:3]:
    results.update({r["command"]: r for r in json.load(open(name))["results"]})
ms = lambda name: results[name]["median"] * 1000
cpu = lambda name: (results[name]["user"] + results[name]["system"]) * 1000
print(f"catalogue: {sys.argv[3]} releases, cache {int(sys.argv[4]) // 1024} KiB")
print()
print("| measurement | median wall | mean CPU |")
print("| --- | --- | --- |")
print(f"| **getmesh list, warm catalogue cache** (target ≤ 10 ms) | **{ms('warm'):.2f} ms** | {cpu('warm'):.2f} ms |")
print(f"| getmesh list -o json, warm catalogue cache | {ms('warm-json'):.2f} ms | {cpu('warm-json'):.2f} ms |")
print(f"| getmesh list, embedded manifest alone | {ms('manifest'):.2f} ms | {cpu('manifest'):.2f} ms |")
print(f"| getmesh list --refresh, answered 304 | {ms('revalidate'):.2f} ms | {cpu('revalidate'):.2f} ms |")
print(f"| getmesh list, no cache: all 4 pages read (no time limit) | {ms('full-read'):.2f} ms | {cpu('full-read'):.2f} ms |")
PY
