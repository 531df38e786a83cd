#pragma once

#include <getmesh/validate/node.hpp>

#include <string>
#include <utility>
#include <vector>

namespace getmesh::validate {

// The kinds config-validate understands: Istio's configuration kinds, the Kubernetes Gateway API
// kinds Istio implements, and the Kubernetes objects its checks read. Everything else is skipped
// (and counted).
enum class Kind {
  kVirtualService,
  kDestinationRule,
  kGateway,
  kServiceEntry,
  kSidecar,
  kWorkloadEntry,
  kWorkloadGroup,
  kEnvoyFilter,
  kProxyConfig,
  kAuthorizationPolicy,
  kPeerAuthentication,
  kRequestAuthentication,
  kTelemetry,
  kWasmPlugin,
  // Gateway API (gateway.networking.k8s.io). kKubernetesGateway's kind name is "Gateway", as
  // istioctl prints it; the group tells it from Istio's Gateway.
  kGatewayClass,
  kKubernetesGateway,
  kHTTPRoute,
  kGRPCRoute,
  kTCPRoute,
  kTLSRoute,
  kReferenceGrant,
  kBackendTLSPolicy,
  kListenerSet,
  kNamespace,
  kService,
  kPod,
  kDeployment,
  kSecret,
  // Workload identities (AuthorizationPolicy principals, WorkloadGroup service accounts).
  kServiceAccount,
  // Cluster state the control-plane checks read: istiod's and the injector's ConfigMaps, the
  // webhook configurations, CRDs (their versions) and Nodes (topology labels).
  kConfigMap,
  kMutatingWebhookConfiguration,
  kValidatingWebhookConfiguration,
  kCustomResourceDefinition,
  kNode,
};

inline constexpr std::size_t kKindCount = static_cast<std::size_t>(Kind::kNode) + 1;

// "VirtualService" etc.
std::string_view kind_name(Kind kind);

// Where an object came from: a file and line, or the cluster (empty file).
struct Origin {
  std::string file;
  int line = 0;
  [[nodiscard]] bool from_file() const { return !file.empty(); }
  // "file:line", or "" for cluster objects.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Origin&, const Origin&) = default;
};

// One object of a known kind. `document` is the whole object; checks read `spec()`.
struct Resource {
  Kind kind = Kind::kVirtualService;
  std::string api_version;
  std::string name;
  std::string namespace_;  // empty for cluster-scoped kinds (Namespace)
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, std::string>> annotations;
  Node document;
  Origin origin;
  // Read from a cluster as metadata only (Secrets without their data, CRDs, Nodes).
  bool metadata_only = false;

  [[nodiscard]] const Node& spec() const { return document["spec"]; }
  [[nodiscard]] const Node& metadata() const { return document["metadata"]; }
  [[nodiscard]] const std::string* annotation(std::string_view key) const;
  [[nodiscard]] const std::string* label(std::string_view key) const;
};

// How findings and istioctl name an object: kind, namespace, name.
struct ObjectRef {
  std::string kind;
  std::string namespace_;
  std::string name;
  friend bool operator==(const ObjectRef&, const ObjectRef&) = default;
  friend auto operator<=>(const ObjectRef&, const ObjectRef&) = default;
};

inline ObjectRef ref_of(const Resource& resource) {
  return {std::string(kind_name(resource.kind)), resource.namespace_, resource.name};
}

// "namespace/name", as messages name objects.
inline std::string qualified(const Resource& resource) {
  return resource.namespace_ + "/" + resource.name;
}

}  // namespace getmesh::validate
