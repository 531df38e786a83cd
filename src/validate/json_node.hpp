#pragma once

#include <getmesh/validate/node.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::validate {

// The Node for a JSON value read from a cluster (line 0). Strings become quoted scalars, numbers
// and booleans plain ones, as if the object had been written in YAML; values nested deeper than
// kMaxNesting become null.
Node node_from_json(const nlohmann::json& value);

}  // namespace getmesh::validate
