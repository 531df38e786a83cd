#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/store/home.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::download {

// Something a killed fetch or removal left in the store.
struct Leftover {
  std::filesystem::path path;
  std::string kind;  // "interrupted install", "partial download", ...
  std::uint64_t bytes = 0;
  std::optional<DistributionName> name;  // whose lock guards it, when it belongs to one
};

// The leftovers in the store: staging folders of interrupted installs (tmp/install-*), partial
// downloads (downloads/*.partial and their .json), folders of removed versions (tmp/removed-*) and
// version folders in istio/ without a runnable istioctl, sorted by path. Reads only.
std::vector<Leftover> find_leftovers(const store::Home& home);

// Removes `leftover` unless a running fetch holds its distribution's lock: false then. The caller
// holds the store lock.
Result<bool> remove_leftover(const store::Home& home, const Leftover& leftover);

}  // namespace getmesh::download
