#pragma once

#include "cli/cluster_target.hpp"
#include "cli/context.hpp"

#include <getmesh/core/distribution.hpp>
#include <getmesh/exec/process.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// `istioctl install` with getmesh's guards: a control plane owned by Helm, a cloud or an operator
// is refused unless --force, the active distribution is vetted and the latest patch,
// the cluster's Kubernetes version is one it supports, the install neither downgrades nor changes
// the flavor of the control plane it replaces. A guard warning asks on a terminal; without one
// the install goes on unless --strict, GETMESH_STRICT_INSTALL=1 or strict_install make it stop.
// Then the default hub is injected, then
// `istioctl [x] precheck` (when this istioctl has it), the install, and `verify-install` (when it
// exists). Cluster flags (--context, --kubeconfig, --revision, the Istio namespace, and for
// verify-install the -f files and --manifests) are forwarded. Returns istioctl's exit code.
Result<int> run_install(Context& context, const std::string& istioctl,
                        const DistributionName& active, std::vector<std::string> args,
                        const exec::EnvironmentOverrides& overrides, const ClusterTarget& target);

}  // namespace getmesh::cli
