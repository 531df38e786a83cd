#include <getmesh/core/build_info.hpp>

namespace getmesh {

std::string version_text() {
  const auto& info = build_info();
  std::string text(info.version);
  if (info.commit.empty()) return text;
  text += " (commit " + std::string(info.commit);
  if (!info.date.empty()) text += ", " + std::string(info.date);
  return text + ")";
}

}  // namespace getmesh
