#!/usr/bin/env bash
# Cluster benchmarks (issue 3), against tests/servers/kube_api_server.py on loopback:
#   - check-upgrade --all-contexts over 20 contexts whose API servers answer after 250 ms (< 1.5 s)
#   - version with an unreachable cluster: a closed port and a port that never answers (< 3 s)
#   - what `getmesh istioctl` adds over running the same tiny istioctl directly, with auto_select
#     off and on with a fresh cluster cache (<= 2 ms median)
# Prints markdown tables for docs/performance.md.
# Usage: bench/cluster.sh <build-dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build_dir=$(realpath "${1:-build}")
getmesh="$build_dir/src/getmesh"
work=$(mktemp -d)
server_pids=()
cleanup() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Certificates, as the test fixture makes them.
certs="$work/certs"
mkdir -p "$certs"
(
  cd "$certs"
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key
  openssl req -x509 -new -key ca.key -subj /CN=bench-ca -days 30 -out ca.crt
  openssl ecparam -name prime256v1 -genkey -noout -out server.key
  openssl req -new -key server.key -subj /CN=kube-apiserver -out server.csr
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
    -extfile server.ext -out server.crt
) >/dev/null 2>&1

cat > "$work/state.json" <<'JSON'
[{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "istiod-1", "namespace": "istio-system",
  "labels": {"app": "istiod", "istio.io/rev": "default"}},
  "spec": {"containers": [{"name": "discovery", "image": "docker.io/istio/pilot:1.31.1"}]},
  "status": {"phase": "Running"}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app-1", "namespace": "default",
  "labels": {"app": "app"}},
  "spec": {"containers": [{"name": "app", "image": "nginx"},
                          {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.31.1"}]},
  "status": {"phase": "Running"}}]
JSON

# start_server <ready-file> <args...>: runs the test API server in the background.
start_server() {
  local ready=$1
  shift
  python3 "$here/../tests/servers/kube_api_server.py" --certs "$certs" --state "$work/state.json" \
    --ready-file "$ready" --token bench-token "$@" &
  server_pids+=($!)
  for _ in $(seq 200); do [ -f "$ready" ] && return; sleep 0.05; done
  echo "the test API server did not start" >&2
  exit 1
}
ports_of() { python3 -c 'import json, sys; print(*json.load(open(sys.argv[1]))["ports"])' "$1"; }

# kubeconfig <file> <port>...: one context per port, ctx0, ctx1, ...
kubeconfig() {
  local file=$1
  shift
  {
    echo "apiVersion: v1"; echo "kind: Config"; echo "clusters:"
    local i=0
    for port in "$@"; do
      printf -- "- name: c%d\n  cluster:\n    server: https://127.0.0.1:%d\n    certificate-authority: %s\n" \
        "$i" "$port" "$certs/ca.crt"
      i=$((i + 1))
    done
    echo "users:"; printf -- "- name: u\n  user:\n    token: bench-token\n"
    echo "contexts:"
    i=0
    for _ in "$@"; do printf -- "- name: ctx%d\n  context: {cluster: c%d, user: u}\n" "$i" "$i"; i=$((i + 1)); done
    echo "current-context: ctx0"
  } > "$file"
}

export GETMESH_HOME="$work/home"
unset GETMESH_MANIFEST GETMESH_TEST_MANIFEST_PATH KUBECONFIG
mkdir -p "$GETMESH_HOME/istio/1.31.1-istio-v0/bin"
istioctl="$GETMESH_HOME/istio/1.31.1-istio-v0/bin/istioctl"
cp /bin/true "$istioctl"

# 1. A fleet of 20 slow API servers (one process, 20 ports).
start_server "$work/fleet.json" --listen-count 20 --delay-ms 250
# shellcheck disable=SC2046
kubeconfig "$work/fleet.yaml" $(ports_of "$work/fleet.json")
hyperfine --shell=none --ignore-failure --warmup 1 --runs "${FLEET_RUNS:-10}" \
  --export-json "$work/fleet-result.json" \
  --command-name fleet "$getmesh -c $work/fleet.yaml check-upgrade --all-contexts" >/dev/null

# 2. Unreachable clusters.
closed_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
kubeconfig "$work/closed.yaml" "$closed_port"
start_server "$work/hang.json" --fault hang
kubeconfig "$work/hang.yaml" "$(ports_of "$work/hang.json")"
hyperfine --shell=none --runs "${UNREACHABLE_RUNS:-5}" --export-json "$work/unreachable.json" \
  --command-name closed "$getmesh -c $work/closed.yaml version" \
  --command-name hang "$getmesh -c $work/hang.yaml version" >/dev/null 2>&1

# 3. Passthrough overhead: auto_select off, and on with a fresh cache for the current context;
#    `istioctl help` skips the comparison, which shows what the comparison itself costs.
start_server "$work/one.json"
kubeconfig "$work/one.yaml" "$(ports_of "$work/one.json")"
export KUBECONFIG="$work/one.yaml"
printf '{"istio_distribution":{"version":"1.31.1","flavor":"istio"}}' > "$GETMESH_HOME/config.json"
cp -r "$GETMESH_HOME" "$work/home-auto"
printf '{"istio_distribution":{"version":"1.31.1","flavor":"istio"},"auto_select":true}' \
  > "$work/home-auto/config.json"
GETMESH_HOME="$work/home-auto" "$getmesh" istioctl version  # fills the cache
export GETMESH_CLUSTER_CACHE_SECONDS=86400                   # stays fresh for the whole run
for mode in off on; do
  [ "$mode" = on ] && export GETMESH_HOME="$work/home-auto"
  hyperfine --shell=none --warmup 100 --runs "${RUNS:-2000}" --export-json "$work/passthrough-$mode.json" \
    --command-name direct "$istioctl version" \
    --command-name passthrough "$getmesh istioctl version" \
    --command-name no-compare "$getmesh istioctl help" >/dev/null
done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def results(name):
    return {r["command"]: r for r in json.load(open(f"{work}/{name}"))["results"]}
fleet = results("fleet-result.json")["fleet"]
unreachable = results("unreachable.json")
ms = lambda r, key="median": r[key] * 1000
print("| measurement | median | max | target |")
print("| --- | --- | --- | --- |")
print(f"| check-upgrade --all-contexts, 20 API servers answering after 250 ms | {ms(fleet):.0f} ms | {ms(fleet, 'max'):.0f} ms | < 1500 ms |")
print(f"| version, cluster on a closed port | {ms(unreachable['closed']):.0f} ms | {ms(unreachable['closed'], 'max'):.0f} ms | < 3000 ms |")
print(f"| version, cluster that accepts but never answers | {ms(unreachable['hang']):.0f} ms | {ms(unreachable['hang'], 'max'):.0f} ms | < 3000 ms |")
print()
print("| measurement | median |")
print("| --- | --- |")
for mode, label in (("off", "auto_select off"), ("on", "auto_select on, fresh cache")):
    run = results(f"passthrough-{mode}.json")
    direct, through = ms(run["direct"]), ms(run["passthrough"])
    print(f"| {label}: istioctl run directly | {direct:.2f} ms |")
    print(f"| {label}: getmesh istioctl | {through:.2f} ms |")
    print(f"| **{label}: added by getmesh** (target ≤ 2 ms) | **{through - direct:.2f} ms** |")
    if mode == "off":
        # `help` skips the control-plane comparison: the fast path as it was before this issue.
        print(f"| {label}: getmesh istioctl help (no comparison) | {ms(run['no-compare']):.2f} ms |")
PY
