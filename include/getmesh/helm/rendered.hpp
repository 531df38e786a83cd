#pragma once

#include <getmesh/core/result.hpp>

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace getmesh::helm {

// The objects in what `helm template` prints (YAML documents separated by ---, comments such as
// "# Source: …"), as JSON: plain scalars typed by YAML's core schema (null, booleans, integers,
// floats), quoted ones kept as strings. Empty documents are skipped.
Result<std::vector<nlohmann::json>> parse_rendered(std::string_view text);

}  // namespace getmesh::helm
