#pragma once

#include <cstddef>
#include <string>
#include <vector>

// Small pieces of the upgrade's messages.
namespace getmesh::upgrade::words {

// "1 proxy", "3 proxies".
std::string proxies(std::size_t count);

// The first `limit` items joined with ", ", then "and N more".
std::string listed(const std::vector<std::string>& items, std::size_t limit);

}  // namespace getmesh::upgrade::words
