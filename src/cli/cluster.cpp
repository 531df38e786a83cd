#include "cli/cluster.hpp"

#include <getmesh/kube/rest_config.hpp>

namespace getmesh::cli {

Result<kube::Kubeconfig> load_kubeconfig(Context& context) {
  return kube::load_kubeconfig(
      kube::locate_kubeconfig(context.options().kubeconfig, context.environment()));
}

Result<kube::Client> connect_cluster(Context& context, const std::string& context_name,
                                     kube::ClientOptions options) {
  auto config = load_kubeconfig(context);
  if (!config) return config.error();
  return connect_cluster(context, *config, context_name, options);
}

Result<kube::Client> connect_cluster(Context& context, const kube::Kubeconfig& config,
                                     const std::string& context_name, kube::ClientOptions options) {
  auto selection = kube::select_context(config, context_name);
  if (!selection) return selection.error();
  auto rest = kube::make_rest_config(*selection);
  if (!rest) return rest.error();
  return kube::Client::connect(std::move(*rest), context.http(), context.environment(), options);
}

}  // namespace getmesh::cli
