#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/kube/kubeconfig.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace getmesh::kube {

// The cluster one getmesh run talks to, resolved once from -c/--kubeconfig (else KUBECONFIG, else
// ~/.kube/config) and --context (else current-context). The REST client is made from `rest`, and
// every child process (istioctl) is pointed at exactly these files and this context name, so no
// part of a run can reach another cluster.
struct Connection {
  std::vector<std::filesystem::path> kubeconfig_files;  // absolute, in kubectl's merge order
  RestConfig rest;  // rest.context is the resolved name; rest.server, rest.namespace_name

  [[nodiscard]] const std::string& context() const { return rest.context; }
  [[nodiscard]] const std::string& server() const { return rest.server; }
  // Flags for a child that reads kubeconfigs as kubectl does: {"--context", name}.
  [[nodiscard]] std::vector<std::string> child_arguments() const;
  // The environment of such a child: KUBECONFIG set to `kubeconfig_files`.
  [[nodiscard]] std::map<std::string, std::string> child_environment() const;
};

// Loads the kubeconfig, selects `context` (empty: the current one) and resolves it. A context
// that the files do not define is a usage error naming the defined ones.
Result<Connection> resolve_connection(const std::string& kubeconfig_flag,
                                      const std::string& context, const Environment& environment);

// What identifies a cluster whatever a kubeconfig calls it: its API server URL and the UID of its
// kube-system namespace (created once with the cluster, never renamed).
struct ClusterIdentity {
  std::string server;
  std::string uid;

  [[nodiscard]] bool operator==(const ClusterIdentity&) const = default;
  // `https://host:6443 (kube-system UID 1234-…)`, for messages.
  [[nodiscard]] std::string describe() const;
};

// Reads the identity of the cluster `client` talks to (GET /api/v1/namespaces/kube-system).
Result<ClusterIdentity> identify_cluster(const Client& client);

}  // namespace getmesh::kube
