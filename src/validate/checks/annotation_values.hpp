#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::validate {

// What is wrong with `value` for the Istio annotation `name` (interception mode, ports, CIDR and
// interface lists, readiness numbers, booleans, resource quantities, ProxyConfig), or nullopt when
// it is valid or the annotation has no value rule.
std::optional<std::string> annotation_value_problem(std::string_view name, std::string_view value);

}  // namespace getmesh::validate
