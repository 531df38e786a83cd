#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate::schema {

void check_peer_authentication(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  check_policy_target(report, spec, "selector");
  const auto& port_level = spec["portLevelMtls"];
  if (port_level.is_null()) return;
  if (spec["selector"]["matchLabels"].empty()) {
    report.error(port_level, "spec.portLevelMtls", "portLevelMtls requires a workload selector");
  }
  if (port_level.empty())
    report.error(port_level, "spec.portLevelMtls", "portLevelMtls must not be empty");
  for (const auto& entry : port_level.entries()) {
    const auto number = parse_non_negative(entry.key);
    if (!number || *number < 1 || *number > 65535) {
      report.error(entry.value, "spec.portLevelMtls." + entry.key,
                   "port " + quote(entry.key) + " must be in the range 1..65535");
    }
  }
}

}  // namespace getmesh::validate::schema
