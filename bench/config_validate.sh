#!/usr/bin/env bash
# config-validate benchmark: a generated mesh (bench/gen_mesh.py) of 10,000 and 20,000 objects,
# validated offline from files. Targets: 10,000 objects in < 2 s, 20,000 in < 2.2 × that time
# (every cross-reference is an index lookup). Median wall time from hyperfine, and the mean CPU time
# (user + system), which other load on a shared machine does not inflate.
# Usage: bench/config_validate.sh <build-dir>
set -euo pipefail
here=$(dirname "$0")
build_dir=$(realpath "${1:-build}")
getmesh="$build_dir/src/getmesh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GETMESH_HOME="$work/home"
unset GETMESH_MANIFEST GETMESH_TEST_MANIFEST_PATH KUBECONFIG
python3 "$here/gen_mesh.py" 10000 "$work/mesh10k"
python3 "$here/gen_mesh.py" 20000 "$work/mesh20k"
count() { cat "$1"/*.yaml | grep -c '^kind:'; }

# Findings make the exit code 3; hyperfine must not treat that as a failure.
hyperfine --shell=none --warmup 1 --runs "${RUNS:-10}" -i --export-json "$work/validate.json" \
  --command-name 10k "$getmesh config-validate --offline -o json $work/mesh10k" \
  --command-name 20k "$getmesh config-validate --offline -o json $work/mesh20k" >/dev/null

python3 - "$work/validate.json" "$(count "$work/mesh10k")" "$(count "$work/mesh20k")" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for name, result in results.items():
    # -i lets exit 3 (findings) through; anything else means the run is not a measurement.
    if set(result["exit_codes"]) - {0, 3}:
        sys.exit(f"config-validate {name} exited with {sorted(set(result['exit_codes']))}")
wall = lambda name: results[name]["median"]
cpu = lambda name: results[name]["user"] + results[name]["system"]
print("| measurement | wall (median) | CPU (mean) |")
print("| --- | --- | --- |")
print(f"| {sys.argv[2]} objects (target < 2 s) | {wall('10k'):.2f} s | {cpu('10k'):.2f} s |")
print(f"| {sys.argv[3]} objects | {wall('20k'):.2f} s | {cpu('20k'):.2f} s |")
print(f"| **ratio 20k / 10k** (target < 2.2) | **{wall('20k') / wall('10k'):.2f}** | **{cpu('20k') / cpu('10k'):.2f}** |")
PY
