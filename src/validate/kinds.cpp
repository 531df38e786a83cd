#include <getmesh/validate/kinds.hpp>

#include <array>

namespace getmesh::validate {

namespace {

constexpr std::string_view kNetworking = "networking.istio.io";
constexpr std::string_view kSecurity = "security.istio.io";
constexpr std::string_view kGatewayApi = "gateway.networking.k8s.io";

constexpr std::array kAccepted = {
#define GETMESH_NETWORKING(kind_text, id)                                             \
  AcceptedKind{kNetworking, "v1", kind_text, Kind::id, true},                         \
      AcceptedKind{kNetworking, "v1beta1", kind_text, Kind::id, true}, AcceptedKind { \
    kNetworking, "v1alpha3", kind_text, Kind::id, true                                \
  }
    GETMESH_NETWORKING("VirtualService", kVirtualService),
    GETMESH_NETWORKING("DestinationRule", kDestinationRule),
    GETMESH_NETWORKING("Gateway", kGateway),
    GETMESH_NETWORKING("ServiceEntry", kServiceEntry),
    GETMESH_NETWORKING("Sidecar", kSidecar),
    GETMESH_NETWORKING("WorkloadEntry", kWorkloadEntry),
    GETMESH_NETWORKING("WorkloadGroup", kWorkloadGroup),
#undef GETMESH_NETWORKING
    AcceptedKind{kNetworking, "v1alpha3", "EnvoyFilter", Kind::kEnvoyFilter, true},
    AcceptedKind{kNetworking, "v1beta1", "ProxyConfig", Kind::kProxyConfig, true},
    AcceptedKind{kSecurity, "v1", "AuthorizationPolicy", Kind::kAuthorizationPolicy, true},
    AcceptedKind{kSecurity, "v1beta1", "AuthorizationPolicy", Kind::kAuthorizationPolicy, true},
    AcceptedKind{kSecurity, "v1", "PeerAuthentication", Kind::kPeerAuthentication, true},
    AcceptedKind{kSecurity, "v1beta1", "PeerAuthentication", Kind::kPeerAuthentication, true},
    AcceptedKind{kSecurity, "v1", "RequestAuthentication", Kind::kRequestAuthentication, true},
    AcceptedKind{kSecurity, "v1beta1", "RequestAuthentication", Kind::kRequestAuthentication, true},
    AcceptedKind{"telemetry.istio.io", "v1", "Telemetry", Kind::kTelemetry, true},
    AcceptedKind{"telemetry.istio.io", "v1alpha1", "Telemetry", Kind::kTelemetry, true},
    AcceptedKind{"extensions.istio.io", "v1alpha1", "WasmPlugin", Kind::kWasmPlugin, true},
    // The versions the Gateway API v1.6.1 standard channel serves, newest first.
    AcceptedKind{kGatewayApi, "v1", "GatewayClass", Kind::kGatewayClass, false},
    AcceptedKind{kGatewayApi, "v1beta1", "GatewayClass", Kind::kGatewayClass, false},
    AcceptedKind{kGatewayApi, "v1", "Gateway", Kind::kKubernetesGateway, false},
    AcceptedKind{kGatewayApi, "v1beta1", "Gateway", Kind::kKubernetesGateway, false},
    AcceptedKind{kGatewayApi, "v1", "HTTPRoute", Kind::kHTTPRoute, false},
    AcceptedKind{kGatewayApi, "v1beta1", "HTTPRoute", Kind::kHTTPRoute, false},
    AcceptedKind{kGatewayApi, "v1", "GRPCRoute", Kind::kGRPCRoute, false},
    AcceptedKind{kGatewayApi, "v1", "TCPRoute", Kind::kTCPRoute, false},
    AcceptedKind{kGatewayApi, "v1", "TLSRoute", Kind::kTLSRoute, false},
    AcceptedKind{kGatewayApi, "v1", "ReferenceGrant", Kind::kReferenceGrant, false},
    AcceptedKind{kGatewayApi, "v1beta1", "ReferenceGrant", Kind::kReferenceGrant, false},
    AcceptedKind{kGatewayApi, "v1", "BackendTLSPolicy", Kind::kBackendTLSPolicy, false},
    AcceptedKind{kGatewayApi, "v1", "ListenerSet", Kind::kListenerSet, false},
    AcceptedKind{"", "v1", "Namespace", Kind::kNamespace, false},
    AcceptedKind{"", "v1", "Service", Kind::kService, false},
    AcceptedKind{"", "v1", "Pod", Kind::kPod, false},
    AcceptedKind{"", "v1", "Secret", Kind::kSecret, false},
    AcceptedKind{"", "v1", "ServiceAccount", Kind::kServiceAccount, false},
    AcceptedKind{"apps", "v1", "Deployment", Kind::kDeployment, false},
    AcceptedKind{"", "v1", "ConfigMap", Kind::kConfigMap, false},
    AcceptedKind{"admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
                 Kind::kMutatingWebhookConfiguration, false},
    AcceptedKind{"admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
                 Kind::kValidatingWebhookConfiguration, false},
    AcceptedKind{"apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                 Kind::kCustomResourceDefinition, false},
    AcceptedKind{"", "v1", "Node", Kind::kNode, false},
};

}  // namespace

std::span<const AcceptedKind> accepted_kinds() { return kAccepted; }

Classified classify(std::string_view api_version, std::string_view kind) {
  const auto slash = api_version.rfind('/');
  const auto group =
      slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
  const auto version =
      slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
  Classified result;
  for (const auto& accepted : kAccepted) {
    if (accepted.kind != kind || accepted.group != group) continue;
    if (accepted.version == version) return {Classified::Status::kKnown, accepted.id};
    result = {Classified::Status::kUnservedVersion, accepted.id};
  }
  return result;
}

bool is_namespaced(Kind kind) {
  switch (kind) {
    case Kind::kNamespace:
    case Kind::kGatewayClass:
    case Kind::kMutatingWebhookConfiguration:
    case Kind::kValidatingWebhookConfiguration:
    case Kind::kCustomResourceDefinition:
    case Kind::kNode:
      return false;
    default:
      return true;
  }
}

bool is_istio(Kind kind) { return kind <= Kind::kWasmPlugin; }

bool is_gateway_api(Kind kind) { return kind >= Kind::kGatewayClass && kind <= Kind::kListenerSet; }

std::string_view kind_name(Kind kind) {
  static constexpr std::array<std::string_view, kKindCount> kNames = {
      "VirtualService",
      "DestinationRule",
      "Gateway",
      "ServiceEntry",
      "Sidecar",
      "WorkloadEntry",
      "WorkloadGroup",
      "EnvoyFilter",
      "ProxyConfig",
      "AuthorizationPolicy",
      "PeerAuthentication",
      "RequestAuthentication",
      "Telemetry",
      "WasmPlugin",
      "GatewayClass",
      "Gateway",
      "HTTPRoute",
      "GRPCRoute",
      "TCPRoute",
      "TLSRoute",
      "ReferenceGrant",
      "BackendTLSPolicy",
      "ListenerSet",
      "Namespace",
      "Service",
      "Pod",
      "Deployment",
      "Secret",
      "ServiceAccount",
      "ConfigMap",
      "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration",
      "CustomResourceDefinition",
      "Node",
  };
  return kNames[static_cast<std::size_t>(kind)];
}

}  // namespace getmesh::validate
