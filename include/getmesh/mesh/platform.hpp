#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace getmesh::mesh {

// Where a cluster runs, as far as getmesh can tell without cloud credentials.
enum class Platform { kGeneric, kEks, kAks, kGke, kOpenShift, kK3s, kRke2, kKind, kMinikube };

// "eks", "aks", "gke", "openshift", "k3s", "rke2", "kind", "minikube", "generic".
std::string to_string(Platform platform);
// "Amazon EKS", "Azure AKS", "Google GKE", "OpenShift", "k3s", "RKE2", "kind", "minikube",
// "Kubernetes".
std::string display_name(Platform platform);

// What the kubeconfig and the API server already show about a cluster.
struct PlatformClues {
  std::string context;       // the kubeconfig context's name
  std::string server;        // the API server URL
  std::string exec_command;  // the credential plugin's command, as written; empty without one
  std::vector<std::string> exec_args;
  std::string git_version;              // /version's gitVersion, e.g. "v1.30.5-eks-ce1d5eb"
  std::vector<std::string> api_groups;  // from /apis
  std::optional<nlohmann::json> node;   // one Node, when the user may list nodes
};

struct PlatformGuess {
  Platform platform = Platform::kGeneric;
  std::string evidence;  // what showed it, e.g. "credential plugin aws eks get-token"
};

// The strongest clue wins: API groups (OpenShift), the /version suffix, the node's labels and
// provider ID, the API server's host name, the credential plugin, then the context's name.
PlatformGuess recognise_platform(const PlatformClues& clues);

}  // namespace getmesh::mesh
