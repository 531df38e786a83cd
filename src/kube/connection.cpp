#include <getmesh/core/strings.hpp>
#include <getmesh/kube/connection.hpp>

namespace getmesh::kube {

std::vector<std::string> Connection::child_arguments() const { return {"--context", rest.context}; }

std::map<std::string, std::string> Connection::child_environment() const {
  std::vector<std::string> files;
  files.reserve(kubeconfig_files.size());
  for (const auto& file : kubeconfig_files) files.push_back(file.string());
  return {{"KUBECONFIG", join(files, ":")}};
}

Result<Connection> resolve_connection(const std::string& kubeconfig_flag,
                                      const std::string& context, const Environment& environment) {
  auto config = load_kubeconfig(locate_kubeconfig(kubeconfig_flag, environment));
  if (!config) return config.error();
  auto selection = select_context(*config, context);
  if (!selection) return selection.error();
  auto rest = make_rest_config(*selection);
  if (!rest) return rest.error();
  Connection connection;
  std::error_code error;
  for (const auto& file : config->files) {
    connection.kubeconfig_files.push_back(std::filesystem::absolute(file, error));
  }
  connection.rest = std::move(*rest);
  return connection;
}

std::string ClusterIdentity::describe() const {
  return escape_control(server) + " (kube-system UID " +
         (uid.empty() ? std::string("not recorded") : escape_control(uid)) + ")";
}

Result<ClusterIdentity> identify_cluster(const Client& client) {
  auto kube_system = client.get("/api/v1/namespaces/kube-system");
  if (!kube_system) return kube_system.error();
  ClusterIdentity identity;
  identity.server = client.config().server;
  const auto& metadata = (*kube_system)["metadata"];
  if (metadata.is_object() && metadata.contains("uid") && metadata["uid"].is_string()) {
    identity.uid = metadata["uid"].get<std::string>();
  }
  if (identity.uid.empty()) {
    return runtime_error("the kube-system namespace of " + client.config().describe() +
                             " has no metadata.uid, so the cluster cannot be identified",
                         "check that the server is a Kubernetes API server");
  }
  return identity;
}

}  // namespace getmesh::kube
