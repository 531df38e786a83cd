#pragma once

#include <filesystem>
#include <string>

namespace getmesh::testing {

// Tiny istioctl look-alikes (module istio.io/istio, main package istioctl/cmd/istioctl; `version`
// prints 1.22.3) built with the machine's Go (Debian's golang-go) without the network:
//   plain   CGO_ENABLED=0, -ldflags "-s -w -X main.version=1.22.3"  (like upstream istioctl)
//   boring  GOEXPERIMENT=boringcrypto CGO_ENABLED=1 -tags netgo,osusergo  (Go+BoringCrypto)
//   darwin  the plain build for GOOS=darwin GOARCH=arm64 (Mach-O)
// They are built once under GETMESH_TEST_CACHE_DIR (guarded by a file lock, so parallel test
// processes build them once) and reused by later runs of the same Go, and by the sanitizer build
// of `make ci`, which shares the directory.
struct GoBinaries {
  std::filesystem::path plain;
  std::filesystem::path boring;
  std::filesystem::path darwin;
  std::string go_version;  // "go1.19.8", as `go version` says
};

// Throws std::runtime_error naming what is missing when Go cannot build them.
const GoBinaries& go_binaries();

// `go version -m FILE` of the machine's Go, for cross-checking the reader.
std::string go_version_m(const std::filesystem::path& file);

}  // namespace getmesh::testing
