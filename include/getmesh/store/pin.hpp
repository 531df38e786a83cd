#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::store {

inline constexpr const char* kPinFileName = ".getmesh-version";

// What a pin asks for: one distribution (`1.29.8-istio-v0`), a version (`1.29.8`: the istio
// flavour, its newest fetched rebuild) or a minor (`1.29`: the newest fetched patch of the istio
// flavour).
enum class PinKind { kName, kVersion, kMinor };

// A `.getmesh-version` file that pins the istioctl used in a directory tree, like `.nvmrc`.
struct Pin {
  std::filesystem::path file;
  PinKind kind = PinKind::kName;
  // kName: the distribution; kVersion: its version in the istio flavour; kMinor: X.Y.0 istio.
  DistributionName name;

  [[nodiscard]] bool matches(const DistributionName& candidate) const;
  // What the file says: "1.29.8-istio-v0", "1.29.8" or "1.29".
  [[nodiscard]] std::string text() const;
};

// Reads the content of a pin file (surrounding whitespace ignored).
Result<Pin> parse_pin(std::string_view content, const std::filesystem::path& file);

// Looks for a pin file in `directory` and its parents. A file that holds no distribution name,
// version or minor is an error naming the file.
Result<std::optional<Pin>> find_pin(const std::filesystem::path& directory);

// The distribution the pin selects among `installed`: the named one, or the newest match of a
// version or minor pin; nullopt when none matches (a named one is returned even when it is not
// installed, so messages can name it).
std::optional<DistributionName> resolve_pin(const Pin& pin,
                                            const std::vector<DistributionName>& installed);

}  // namespace getmesh::store
