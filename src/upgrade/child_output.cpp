#include "upgrade/child_output.hpp"

#include <getmesh/core/strings.hpp>

#include <vector>

namespace getmesh::upgrade {

namespace {

constexpr std::size_t kOutputLines = 20;

}  // namespace

std::string tail_of(const exec::Captured& captured) {
  std::vector<std::string> kept;
  for (const auto& line : split(captured.out + captured.err, '\n')) {
    if (!trim(line).empty()) kept.push_back(line);
  }
  if (kept.size() > kOutputLines) kept.erase(kept.begin(), kept.end() - kOutputLines);
  return join(kept, "\n");
}

}  // namespace getmesh::upgrade
