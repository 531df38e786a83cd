#include "cli/cluster.hpp"

#include <getmesh/kube/rest_config.hpp>

namespace getmesh::cli {

Result<kube::Kubeconfig> load_kubeconfig(Context& context) {
  return kube::load_kubeconfig(
      kube::locate_kubeconfig(context.options().kubeconfig, context.environment()));
}

Result<kube::Client> connect_cluster(Context& context, kube::ClientOptions options) {
  auto connection = context.connection();
  if (!connection) return connection.error();
  return kube::Client::connect((*connection)->rest, context.http(), context.environment(), options);
}

Result<kube::Client> connect_cluster(Context& context, const kube::Kubeconfig& config,
                                     const std::string& context_name, kube::ClientOptions options) {
  auto selection = kube::select_context(config, context_name);
  if (!selection) return selection.error();
  auto rest = kube::make_rest_config(*selection);
  if (!rest) return rest.error();
  return kube::Client::connect(std::move(*rest), context.http(), context.environment(), options);
}

void add_cluster_options(CLI::App& command, GlobalOptions& options) {
  command
      .add_option("-c,--kubeconfig", options.kubeconfig,
                  "Kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
      ->type_name("FILE");
  command.add_option("--context", options.context, "Kubeconfig context (default: the current one)")
      ->type_name("CONTEXT");
  for (auto* subcommand :
       command.get_subcommands([](CLI::App* sub) { return !sub->get_name().empty(); })) {
    add_cluster_options(*subcommand, options);
  }
}

bool talks_to_cluster(const CLI::App& command) {
  return command.get_option_no_throw("--context") != nullptr;
}

}  // namespace getmesh::cli
