#pragma once

#include <getmesh/mesh/state.hpp>
#include <getmesh/upgrade/plan.hpp>
#include <getmesh/upgrade/record.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace getmesh::cli {

// The plan as text: what moves from where to where, the warnings, then the numbered steps with
// their actions and gates. With `progress`, done steps are marked.
std::string render_plan(const upgrade::Plan& plan, const upgrade::Record* progress);

// `upgrade status`: the record (phase, steps, moves, holder) and the proxies per revision now.
std::string render_status(const std::string& context, const std::string& istio_namespace,
                          const std::optional<upgrade::Record>& record,
                          const mesh::MeshState* live);
nlohmann::ordered_json status_json(const std::string& context, const std::string& istio_namespace,
                                   const std::optional<upgrade::Record>& record,
                                   const mesh::MeshState* live);

}  // namespace getmesh::cli
