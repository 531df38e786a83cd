#!/usr/bin/env bash
# Fetch benchmark: `getmesh fetch` of a 100 MiB archive from nginx on loopback against
# `curl -s URL | tar xz istioctl` in the same run (hyperfine medians), and getmesh's peak memory
# (/usr/bin/time -v, maximum resident set size). Prints a markdown table for docs/performance.md.
# Usage: bench/fetch.sh <build-dir>   (SIZE_MIB=100 RUNS=10 by default)
set -euo pipefail
build_dir=$(realpath "${1:-build}")
getmesh="$build_dir/src/getmesh"
size_mib=${SIZE_MIB:-100}
runs=${RUNS:-10}
work=$(mktemp -d)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The mirror: an archive holding a random (incompressible) istioctl of SIZE_MIB MiB, its .sha256
# and a manifest listing it.
name=1.29.8-istio-v0
platform=$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
archive="istio-$name-linux-$platform.tar.gz"
mkdir -p "$work/mirror" "$work/src"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/src/istioctl"
chmod 755 "$work/src/istioctl"
tar -C "$work/src" -czf "$work/mirror/$archive" istioctl
(cd "$work/mirror" && sha256sum "$archive" > "$archive.sha256")
cat > "$work/mirror/manifest.json" <<JSON
{"default_flavor": "istio", "istio_distributions": [
  {"version": "1.29.8", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31"]}]}
JSON

# nginx on a free loopback port, everything in $work.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user_line=""
if [ "$(id -u)" -eq 0 ]; then user_line="user root;"; fi
cat > "$work/nginx.conf" <<CONF
daemon off; worker_processes 1; $user_line
pid $work/nginx.pid; error_log $work/error.log warn;
events { worker_connections 64; }
http {
  default_type application/octet-stream; access_log off; sendfile on;
  client_body_temp_path $work/cb; proxy_temp_path $work/px; fastcgi_temp_path $work/fc;
  uwsgi_temp_path $work/uw; scgi_temp_path $work/sc;
  server { listen 127.0.0.1:$port; root $work/mirror; }
}
CONF
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
nginx_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
url="http://127.0.0.1:$port/$archive"

export GETMESH_HOME="$work/home" GETMESH_MANIFEST="$work/mirror/manifest.json"
export GETMESH_MIRROR="http://127.0.0.1:$port"
unset GETMESH_TEST_MANIFEST_PATH http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
hyperfine --warmup 1 --runs "$runs" --export-json "$work/fetch.json" \
  --prepare "rm -rf $work/out $work/home; mkdir $work/out" \
  --command-name curl "curl -s $url | tar -xz -C $work/out istioctl" \
  --command-name getmesh "$getmesh fetch --name $name" >/dev/null

rm -rf "$work/home"
/usr/bin/time -v "$getmesh" fetch --name "$name" >/dev/null 2>"$work/time.txt"
rm -rf "$work/out" && mkdir "$work/out"
/usr/bin/time -v bash -c "curl -s $url | tar -xz -C $work/out istioctl" 2>"$work/time-curl.txt"

python3 - "$work/fetch.json" "$work/time.txt" "$work/time-curl.txt" "$size_mib" <<'PY'
import json, re, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def rss(path):
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read()).group(1)) / 1024
s = lambda name: results[name]["median"]
ratio = s("getmesh") / s("curl")
print("| measurement | result |")
print("| --- | --- |")
print(f"| archive size | {sys.argv[4]} MiB (incompressible istioctl) |")
print(f"| curl -s URL \\| tar xz istioctl, median | {s('curl'):.3f} s |")
print(f"| getmesh fetch, median | {s('getmesh'):.3f} s |")
print(f"| **ratio** (target ≤ 1.15×) | **{ratio:.2f}×** |")
print(f"| getmesh fetch peak memory (target < 32 MiB) | **{rss(sys.argv[2]):.1f} MiB** max RSS |")
print(f"| curl \\| tar peak memory (largest process) | {rss(sys.argv[3]):.1f} MiB max RSS |")
PY
