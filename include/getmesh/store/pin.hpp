#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>

#include <filesystem>
#include <optional>

namespace getmesh::store {

inline constexpr const char* kPinFileName = ".getmesh-version";

// A `.getmesh-version` file that pins the istioctl used in a directory tree, like `.nvmrc`.
struct Pin {
  std::filesystem::path file;
  DistributionName name;
};

// Looks for a pin file in `directory` and its parents. A file that does not hold a distribution
// name is an error naming the file.
Result<std::optional<Pin>> find_pin(const std::filesystem::path& directory);

}  // namespace getmesh::store
