#include "validate/checks/checks.hpp"
#include "validate/schema/kinds.hpp"
#include "validate/schema/known_fields.hpp"

namespace getmesh::validate {

void check_schemas(const CheckContext& context) {
  using CheckKind = void (*)(schema::Report&, const Resource&);
  static constexpr std::pair<Kind, CheckKind> kChecks[] = {
      {Kind::kVirtualService, schema::check_virtual_service},
      {Kind::kDestinationRule, schema::check_destination_rule},
      {Kind::kGateway, schema::check_gateway},
      {Kind::kServiceEntry, schema::check_service_entry},
      {Kind::kSidecar, schema::check_sidecar},
      {Kind::kAuthorizationPolicy, schema::check_authorization_policy},
      {Kind::kPeerAuthentication, schema::check_peer_authentication},
      {Kind::kRequestAuthentication, schema::check_request_authentication},
      {Kind::kTelemetry, schema::check_telemetry},
      {Kind::kEnvoyFilter, schema::check_envoy_filter},
      {Kind::kWorkloadEntry, schema::check_workload_entry},
      {Kind::kWorkloadGroup, schema::check_workload_group},
  };
  for (const auto& [kind, check] : kChecks) {
    for (const auto* resource : context.index.of_kind(kind)) {
      schema::Report report(*resource, context.sink);
      schema::check_known_fields(report, *resource);
      check(report, *resource);
    }
  }
  for (const auto kind : {Kind::kGatewayClass, Kind::kKubernetesGateway, Kind::kHTTPRoute,
                          Kind::kGRPCRoute, Kind::kTCPRoute, Kind::kTLSRoute, Kind::kReferenceGrant,
                          Kind::kBackendTLSPolicy, Kind::kListenerSet}) {
    for (const auto* resource : context.index.of_kind(kind)) {
      schema::Report report(*resource, context.sink);
      schema::check_known_fields(report, *resource);
      schema::check_gateway_api(report, *resource);
    }
  }
  for (const auto kind : {Kind::kProxyConfig, Kind::kWasmPlugin}) {
    for (const auto* resource : context.index.of_kind(kind)) {
      schema::Report report(*resource, context.sink);
      schema::check_known_fields(report, *resource);
    }
  }
}

}  // namespace getmesh::validate
