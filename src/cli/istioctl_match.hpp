#pragma once

#include "cli/cluster_target.hpp"
#include "cli/context.hpp"

#include <getmesh/core/distribution.hpp>

namespace getmesh::cli {

// The istioctl to run for a command aimed at `target`. When the active istioctl's minor differs
// from the target's control plane, warns and names a fetched distribution that matches; with
// `auto_select` (and no .getmesh-version pin) returns that one instead of `active`.
// The control plane comes from the per-context cache (<home>/cache/clusters); the cluster itself
// is asked only with `auto_select` on and no fresh entry, so the default path stays off the
// network.
DistributionName choose_istioctl(Context& context, const Active& active,
                                 const ClusterTarget& target, bool auto_select);

}  // namespace getmesh::cli
