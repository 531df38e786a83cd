#pragma once

#include "cli/context.hpp"

#include <getmesh/mesh/cluster_cache.hpp>
#include <getmesh/mesh/state.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// The cluster an istioctl command line talks to, as istioctl itself would choose it.
struct ClusterTarget {
  std::string
      kubeconfig;       // getmesh's -c, else istioctl's -c/--kubeconfig; empty: KUBECONFIG, default
  std::string context;  // getmesh's --context, else istioctl's --context; empty: the current one
  std::string istio_namespace = "istio-system";  // istioctl's -i/--istioNamespace
  std::string revision;                          // istioctl's -r/--revision
};

ClusterTarget target_of(const std::string& getmesh_kubeconfig, const std::string& getmesh_context,
                        const std::vector<std::string>& istioctl_args);

// The cache key of a target: absolute kubeconfig paths, context and namespace.
mesh::ClusterKey cache_key_of(const ClusterTarget& target, const Environment& environment);

// Stores the control planes read from a cluster so `getmesh istioctl` can compare versions later
// without a network round trip. Best effort: a cache that cannot be written is skipped.
void remember_control_planes(Context& context, const ClusterTarget& target,
                             const std::string& resolved_context,
                             const std::vector<mesh::ControlPlane>& planes);

}  // namespace getmesh::cli
