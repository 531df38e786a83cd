#pragma once

#include <getmesh/core/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::binary {

// One `build` line of a Go binary's module information: -tags, CGO_ENABLED, GOEXPERIMENT,
// GOFIPS140…
struct BuildSetting {
  std::string key;
  std::string value;
};

// What the Go linker embeds in every binary it builds (what `go version -m FILE` prints).
struct GoBuildInfo {
  std::string go_version;              // "go1.22.5", "go1.19.13 X:boringcrypto", "go1.16.15b7"
  std::string path;                    // the main package, "istio.io/istio/istioctl/cmd/istioctl"
  std::string module_path;             // the main module, "istio.io/istio"
  std::string module_version;          // "(devel)", "v1.22.0"; empty when not recorded
  std::vector<BuildSetting> settings;  // in the binary's order

  // The value of a build setting, e.g. setting("CGO_ENABLED") == "1".
  [[nodiscard]] std::optional<std::string> setting(std::string_view key) const;
};

// The FIPS 140 cryptographic module a Go binary carries, if any.
enum class FipsModule {
  kNone,
  kBoringCrypto,  // Go+BoringCrypto: GOEXPERIMENT=boringcrypto, "X:boringcrypto", or go1.N.MbK
  kGoFips140,     // the Go Cryptographic Module selected with GOFIPS140 (Go 1.24 and later)
};

struct Fips {
  FipsModule module = FipsModule::kNone;
  std::string evidence;  // what shows it: "GOEXPERIMENT=boringcrypto", "GOFIPS140=v1.0.0", …

  [[nodiscard]] bool present() const { return module != FipsModule::kNone; }
};

// "none", "boringcrypto" or "go-fips140".
std::string to_string(FipsModule module);

Fips fips_module(const GoBuildInfo& info);

// Reads the build information of the ELF or Mach-O executable (thin or universal) `image`.
// Only headers, the build information blob and the strings it points at are read, each within a
// fixed bound, so damaged or hostile files end in an error, never in a crash or a huge allocation.
Result<GoBuildInfo> parse_go_build_info(std::string_view image);

// The same for a file, read piece by piece (an istioctl is ~100 MB; a few KB of it are read).
// Errors name the file.
Result<GoBuildInfo> read_go_build_info(const std::filesystem::path& file);

// Go's module information text ("path\t…\nmod\t…\nbuild\tKEY=VALUE\n…") into `info`; malformed
// lines are skipped.
void parse_module_info(std::string_view text, GoBuildInfo& info);

}  // namespace getmesh::binary
