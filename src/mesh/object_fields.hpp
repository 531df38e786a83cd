#pragma once

#include <getmesh/kube/object.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace getmesh::mesh {

using kube::text_at;

inline std::string label(const nlohmann::json& object, const char* name) {
  return text_at(object, {"metadata", "labels", name});
}

inline std::string annotation(const nlohmann::json& object, const char* name) {
  return text_at(object, {"metadata", "annotations", name});
}

}  // namespace getmesh::mesh
