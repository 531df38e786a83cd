#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>

namespace getmesh::mesh {

// The string at `path` inside a Kubernetes object; empty when any step is missing or not the
// expected type (objects from a cluster are not trusted to have any shape).
inline std::string text_at(const nlohmann::json& object, std::initializer_list<const char*> path) {
  const nlohmann::json* node = &object;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return {};
    node = &(*node)[key];
  }
  return node->is_string() ? node->get<std::string>() : std::string();
}

inline std::string label(const nlohmann::json& object, const char* name) {
  return text_at(object, {"metadata", "labels", name});
}

inline std::string annotation(const nlohmann::json& object, const char* name) {
  return text_at(object, {"metadata", "annotations", name});
}

}  // namespace getmesh::mesh
