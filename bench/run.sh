#!/usr/bin/env bash
# Runs every benchmark against a build directory; each prints a markdown table for docs/performance.md.
# Usage: bench/run.sh <build-dir>
set -euo pipefail
here=$(dirname "$0")
build_dir=${1:-build}
echo "## start-up"; "$here/startup.sh" "$build_dir"
echo; echo "## catalogue"; "$here/catalog.sh" "$build_dir"
echo; echo "## fetch"; "$here/fetch.sh" "$build_dir"
echo; echo "## cluster"; "$here/cluster.sh" "$build_dir"
echo; echo "## config-validate"; "$here/config_validate.sh" "$build_dir"
