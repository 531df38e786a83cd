#include "cli/cluster_target.hpp"

#include <getmesh/istioctl/args.hpp>
#include <getmesh/kube/kubeconfig.hpp>

#include <ctime>

namespace getmesh::cli {

ClusterTarget target_of(const std::string& getmesh_kubeconfig, const std::string& getmesh_context,
                        const std::vector<std::string>& istioctl_args) {
  ClusterTarget target;
  target.kubeconfig = getmesh_kubeconfig;
  if (target.kubeconfig.empty()) {
    target.kubeconfig = istioctl::flag_value(istioctl_args, {"-c", "--kubeconfig"}).value_or("");
  }
  target.context = getmesh_context;
  if (target.context.empty()) {
    target.context = istioctl::flag_value(istioctl_args, {"--context"}).value_or("");
  }
  if (auto name = istioctl::flag_value(istioctl_args, {"-i", "--istioNamespace"})) {
    target.istio_namespace = *name;
  }
  target.revision = istioctl::flag_value(istioctl_args, {"-r", "--revision"}).value_or("");
  return target;
}

mesh::ClusterKey cache_key_of(const ClusterTarget& target, const Environment& environment) {
  mesh::ClusterKey key;
  std::error_code error;
  for (const auto& file : kube::locate_kubeconfig(target.kubeconfig, environment).files) {
    key.kubeconfig_files.push_back(std::filesystem::absolute(file, error));
  }
  key.context = target.context;
  key.istio_namespace = target.istio_namespace;
  return key;
}

void remember_control_planes(Context& context, const ClusterTarget& target,
                             const std::string& resolved_context,
                             const std::vector<mesh::ControlPlane>& planes) {
  auto home = context.home();
  if (!home) return;
  mesh::ClusterLookup lookup;
  lookup.context = resolved_context;
  lookup.checked_at = static_cast<std::int64_t>(std::time(nullptr));
  for (const auto& plane : planes) {
    if (plane.version)
      lookup.control_planes.emplace_back(plane.revision, plane.version->to_string());
  }
  (void)mesh::write_cluster_cache((*home)->cache_dir(), cache_key_of(target, context.environment()),
                                  lookup);
}

}  // namespace getmesh::cli
