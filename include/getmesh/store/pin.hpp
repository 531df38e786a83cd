#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace getmesh::store {

inline constexpr const char* kPinFileName = ".getmesh-version";
inline constexpr std::size_t kMaxPinBytes = 1024;

// A `.getmesh-version` file that pins the istioctl used in a directory tree, like `.nvmrc`.
struct Pin {
  std::filesystem::path file;
  DistributionName name;
};

struct PinSearch {
  std::optional<Pin> pin;
  // Pins passed over, one sentence each (for notes): in a world-writable directory such as /tmp
  // that belongs to someone else, a pin file that does not belong to the user could be anyone's.
  std::vector<std::string> ignored;
};

// Looks for a pin file in `directory` and its parents, stopping at the first one. One that is not
// a regular file, is larger than kMaxPinBytes or does not hold a distribution name is an error
// naming the file. `user` is the user whose pins are trusted (the effective user).
Result<PinSearch> find_pin(const std::filesystem::path& directory, uid_t user);
Result<PinSearch> find_pin(const std::filesystem::path& directory);

}  // namespace getmesh::store
