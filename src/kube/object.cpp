#include <getmesh/kube/object.hpp>

namespace getmesh::kube {

namespace {

const nlohmann::json* node_at(const nlohmann::json& object,
                              std::initializer_list<const char*> path) {
  const nlohmann::json* node = &object;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return node;
}

}  // namespace

std::string text_at(const nlohmann::json& object, std::initializer_list<const char*> path) {
  const auto* node = node_at(object, path);
  return node != nullptr && node->is_string() ? node->get<std::string>() : std::string();
}

std::map<std::string, std::string> strings_at(const nlohmann::json& object,
                                              std::initializer_list<const char*> path) {
  std::map<std::string, std::string> values;
  const auto* node = node_at(object, path);
  if (node == nullptr || !node->is_object()) return values;
  for (const auto& [key, value] : node->items()) {
    if (value.is_string()) values[key] = value.get<std::string>();
  }
  return values;
}

}  // namespace getmesh::kube
