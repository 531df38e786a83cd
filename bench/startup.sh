#!/usr/bin/env bash
# Start-up benchmark: what `getmesh istioctl …` adds over running the same istioctl directly, and the
# time of `getmesh list` / `getmesh show` on the embedded manifest. Median wall time and mean CPU
# time from hyperfine, all measured in one run so machine noise affects every command alike.
# Usage: bench/startup.sh <build-dir>
set -euo pipefail
build_dir=$(realpath "${1:-build}")
getmesh="$build_dir/src/getmesh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GETMESH_HOME="$work/home"
unset GETMESH_MANIFEST GETMESH_TEST_MANIFEST_PATH KUBECONFIG
mkdir -p "$GETMESH_HOME/istio/1.31.1-istio-v0/bin"
istioctl="$GETMESH_HOME/istio/1.31.1-istio-v0/bin/istioctl"
cp /bin/true "$istioctl"   # a tiny istioctl: the cost measured is getmesh's own
printf '{"istio_distribution":{"version":"1.31.1","flavor":"istio"}}' > "$GETMESH_HOME/config.json"
for name in 1.29.8-istio-v0 1.30.5-istio-v0; do
  mkdir -p "$GETMESH_HOME/istio/$name/bin" && cp /bin/true "$GETMESH_HOME/istio/$name/bin/istioctl"
done

hyperfine --shell=none --warmup 100 --runs "${RUNS:-2000}" --export-json "$work/startup.json" \
  --command-name direct "$istioctl version" \
  --command-name passthrough "$getmesh istioctl version" \
  --command-name list "$getmesh list" \
  --command-name show "$getmesh show" >/dev/null

python3 - "$work/startup.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = lambda name: results[name]["median"] * 1000
# CPU time (user + system, means) is less sensitive than wall time to other load on the machine.
cpu = lambda name: (results[name]["user"] + results[name]["system"]) * 1000
print("| measurement | median wall | mean CPU |")
print("| --- | --- | --- |")
print(f"| istioctl run directly | {ms('direct'):.2f} ms | {cpu('direct'):.2f} ms |")
print(f"| getmesh istioctl (same istioctl) | {ms('passthrough'):.2f} ms | {cpu('passthrough'):.2f} ms |")
print(f"| **added by getmesh** (target ≤ 2 ms) | **{ms('passthrough') - ms('direct'):.2f} ms** "
      f"| {cpu('passthrough') - cpu('direct'):.2f} ms |")
print(f"| getmesh list, embedded manifest (target < 10 ms) | {ms('list'):.2f} ms | {cpu('list'):.2f} ms |")
print(f"| getmesh show, 3 fetched versions (target < 10 ms) | {ms('show'):.2f} ms | {cpu('show'):.2f} ms |")
PY
