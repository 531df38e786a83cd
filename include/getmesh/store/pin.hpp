#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace getmesh::store {

inline constexpr const char* kPinFileName = ".getmesh-version";
inline constexpr std::size_t kMaxPinBytes = 1024;

// What a pin asks for: one distribution (`1.29.8-istio-v0`), a version (`1.29.8`: the istio
// flavor, its newest fetched rebuild) or a minor (`1.29`: the newest fetched patch of the istio
// flavor).
enum class PinKind { kName, kVersion, kMinor };

// A `.getmesh-version` file that pins the istioctl used in a directory tree, like `.nvmrc`.
struct Pin {
  std::filesystem::path file;
  PinKind kind = PinKind::kName;
  // kName: the distribution; kVersion: its version in the istio flavor; kMinor: X.Y.0 istio.
  DistributionName name;

  [[nodiscard]] bool matches(const DistributionName& candidate) const;
  // What the file says: "1.29.8-istio-v0", "1.29.8" or "1.29".
  [[nodiscard]] std::string text() const;
};

// Reads the content of a pin file (surrounding whitespace ignored): a distribution name, a
// version or a minor; anything else is an error naming `file`.
Result<Pin> parse_pin(std::string_view content, const std::filesystem::path& file);

struct PinSearch {
  std::optional<Pin> pin;
  // Pins passed over, one sentence each (for notes): in a world-writable directory such as /tmp
  // that belongs to someone else, a pin file that does not belong to the user could be anyone's.
  std::vector<std::string> ignored;
};

// Looks for a pin file in `directory` and its parents, stopping at the first one. One that is not
// a regular file, is larger than kMaxPinBytes or does not hold a pin is an error naming the file.
// `user` is the user whose pins are trusted (the effective user).
Result<PinSearch> find_pin(const std::filesystem::path& directory, uid_t user);
Result<PinSearch> find_pin(const std::filesystem::path& directory);

// The distribution the pin selects among `installed`: the named one, or the newest match of a
// version or minor pin; nullopt when none matches (a named one is returned even when it is not
// installed, so messages can name it).
std::optional<DistributionName> resolve_pin(const Pin& pin,
                                            const std::vector<DistributionName>& installed);

}  // namespace getmesh::store
