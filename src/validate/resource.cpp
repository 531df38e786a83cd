#include <getmesh/validate/resource.hpp>

namespace getmesh::validate {

std::string Origin::to_string() const {
  if (file.empty()) return {};
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

namespace {

const std::string* lookup(const std::vector<std::pair<std::string, std::string>>& pairs,
                          std::string_view key) {
  for (const auto& [name, value] : pairs) {
    if (name == key) return &value;
  }
  return nullptr;
}

}  // namespace

const std::string* Resource::annotation(std::string_view key) const {
  return lookup(annotations, key);
}

const std::string* Resource::label(std::string_view key) const { return lookup(labels, key); }

}  // namespace getmesh::validate
