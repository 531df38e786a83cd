#include "download/member.hpp"

#include <getmesh/core/strings.hpp>

#include <vector>

namespace getmesh::download {

MemberKind classify_member(std::string_view path) {
  if (path.starts_with('/')) return MemberKind::kUnsafe;
  std::vector<std::string> components;
  for (auto& component : split(path, '/')) {
    if (component == "..") return MemberKind::kUnsafe;
    if (!component.empty() && component != ".") components.push_back(std::move(component));
  }
  if (components.size() == 1 && components[0] == "istioctl") return MemberKind::kIstioctl;
  if (components.size() == 3 && components[1] == "bin" && components[2] == "istioctl") {
    return MemberKind::kIstioctl;
  }
  return MemberKind::kOther;
}

}  // namespace getmesh::download
