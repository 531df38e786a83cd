#include <getmesh/core/strings.hpp>
#include <getmesh/upgrade/binding.hpp>

namespace getmesh::upgrade {

Result<Binding> check_binding(const Plan& plan, const kube::ClusterIdentity& here) {
  const kube::ClusterIdentity recorded{plan.server, plan.cluster_uid};
  const bool server_matches = !plan.server.empty() && plan.server == here.server;
  if (server_matches && plan.cluster_uid.empty()) return Binding::kServerOnly;
  if (server_matches && plan.cluster_uid == here.uid) return Binding::kSameCluster;
  return runtime_error(
      "the upgrade record names another cluster than the one this run reaches: recorded " +
          recorded.describe() + ", reached " + here.describe() + "; nothing was changed",
      "point -c/--kubeconfig and --context at the cluster the upgrade was started on; if this "
      "record was copied or edited, inspect it with \"getmesh upgrade status -o json\"");
}

}  // namespace getmesh::upgrade
