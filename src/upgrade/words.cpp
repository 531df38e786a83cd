#include "upgrade/words.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>

namespace getmesh::upgrade::words {

std::string proxies(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " proxy" : " proxies");
}

std::string listed(const std::vector<std::string>& items, std::size_t limit) {
  const auto shown = std::min(limit, items.size());
  std::vector<std::string> first(items.begin(), items.begin() + static_cast<long>(shown));
  return join(first, ", ") + (items.size() > shown
                                  ? " and " + std::to_string(items.size() - shown) + " more"
                                  : std::string());
}

}  // namespace getmesh::upgrade::words
