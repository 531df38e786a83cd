#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <map>
#include <string>

namespace getmesh::kube {

// The string at `path` in a Kubernetes object ({"metadata", "labels", "app"}); empty when a key is
// missing or the value is not a string.
std::string text_at(const nlohmann::json& object, std::initializer_list<const char*> path);

// The string values of the map at `path` (labels, annotations, matchLabels); empty when missing.
std::map<std::string, std::string> strings_at(const nlohmann::json& object,
                                              std::initializer_list<const char*> path);

}  // namespace getmesh::kube
