#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <string_view>

namespace getmesh::upgrade {

// Whether `name` is a revision (or revision tag) name as istioctl accepts it: a DNS-1123 label
// (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63).
bool is_revision_name(std::string_view name);

// Checks the values of a plan read back from a record as strictly as on the command line before
// any of them reaches istioctl or the cluster: revision, tag and namespace names, `--set` values
// (path=value), the hub (as config.json's default_hub), and -f files (absolute paths). The error
// names the field.
Status check_plan_values(const Plan& plan);

}  // namespace getmesh::upgrade
