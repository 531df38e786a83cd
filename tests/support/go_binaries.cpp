#include "support/go_binaries.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/store/lock.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace getmesh::testing {

namespace {

namespace fs = std::filesystem;

constexpr const char* kGo = "/usr/bin/go";
constexpr std::chrono::minutes kBuildTimeout{5};

const char* const kProgram = R"(package main

import (
	"crypto/sha256"
	"fmt"
	"os"
)

var version = "1.22.3"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println(version)
		return
	}
	fmt.Printf("%x\n", sha256.Sum256([]byte(version)))
}
)";

exec::Captured run_go(const std::vector<std::string>& args, const fs::path& cache,
                      exec::EnvironmentOverrides overrides, const fs::path& cwd = {}) {
  std::vector<std::string> argv{kGo};
  argv.insert(argv.end(), args.begin(), args.end());
  overrides["HOME"] = cache.string();
  overrides["GOCACHE"] = (cache / "gocache").string();
  overrides["GOPATH"] = (cache / "gopath").string();
  overrides["GOPROXY"] = "off";
  overrides["GOFLAGS"] = "-mod=mod";
  overrides["GOTOOLCHAIN"] = "local";
  overrides["GO111MODULE"] = "on";
  auto ran = exec::run_captured(argv, overrides, kBuildTimeout, {}, cwd.string());
  if (!ran) throw std::runtime_error("cannot run " + std::string(kGo) + ": " + ran.error().message);
  if (ran->exit_code != 0) {
    throw std::runtime_error("go " + args.front() + " failed: " + ran->err +
                             " (is golang-go installed? see the Makefile's PACKAGES)");
  }
  return *ran;
}

void build(const fs::path& cache, const fs::path& source, const fs::path& output,
           const std::vector<std::string>& flags, const exec::EnvironmentOverrides& environment) {
  const auto partial = output.string() + ".partial";
  std::vector<std::string> args = flags;
  args.insert(args.begin(), {std::string("build"), std::string("-o"), partial});
  args.push_back("./istioctl/cmd/istioctl");
  run_go(args, cache, environment, source);
  fs::rename(partial, output);
}

GoBinaries build_all() {
  if (!fs::exists(kGo)) {
    throw std::runtime_error(std::string(kGo) +
                             " is missing: install golang-go (see the Makefile's PACKAGES)");
  }
  const fs::path cache = fs::path(GETMESH_TEST_CACHE_DIR) / "go";
  fs::create_directories(cache);
  auto lock = store::FileLock::acquire(cache / ".lock");
  if (!lock) throw std::runtime_error(lock.error().message);

  GoBinaries binaries;
  const auto version = run_go({"version"}, cache, {}).out;  // "go version go1.19.8 linux/amd64"
  std::istringstream words(version);
  std::string go, word;
  words >> go >> word >> binaries.go_version;
  // A new Go or a new program makes a new directory, so stale binaries are never reused.
  const auto out = cache / (binaries.go_version + "-v1");
  binaries.plain = out / "istioctl-plain";
  binaries.boring = out / "istioctl-boring";
  binaries.darwin = out / "istioctl-darwin";
  if (fs::exists(binaries.plain) && fs::exists(binaries.boring) && fs::exists(binaries.darwin)) {
    return binaries;
  }
  const auto source = out / "src";
  fs::create_directories(source / "istioctl" / "cmd" / "istioctl");
  std::ofstream(source / "go.mod") << "module istio.io/istio\n\ngo 1.19\n";
  std::ofstream(source / "istioctl" / "cmd" / "istioctl" / "main.go") << kProgram;
  const std::vector<std::string> upstream_flags{"-ldflags=-s -w -X main.version=1.22.3"};
  build(cache, source, binaries.plain, upstream_flags, {{"CGO_ENABLED", "0"}});
  build(cache, source, binaries.boring, {"-tags=netgo,osusergo"},
        {{"CGO_ENABLED", "1"}, {"GOEXPERIMENT", "boringcrypto"}});
  build(cache, source, binaries.darwin, upstream_flags,
        {{"CGO_ENABLED", "0"}, {"GOOS", "darwin"}, {"GOARCH", "arm64"}});
  return binaries;
}

}  // namespace

const GoBinaries& go_binaries() {
  static const GoBinaries binaries = build_all();
  return binaries;
}

std::string go_version_m(const fs::path& file) {
  const fs::path cache = fs::path(GETMESH_TEST_CACHE_DIR) / "go";
  return run_go({"version", "-m", file.string()}, cache, {}).out;
}

}  // namespace getmesh::testing
