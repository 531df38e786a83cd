#include "validate/checks/checks.hpp"
#include "validate/index.hpp"
#include "validate/mesh_config.hpp"

#include <getmesh/validate/analyze.hpp>

namespace getmesh::validate {

std::vector<Finding> analyze(const std::vector<Resource>& resources,
                             const AnalyzeOptions& options) {
  auto effective = options;
  effective.mesh = mesh_settings(resources, options.mesh);
  const ResourceIndex index(resources, effective);
  Sink sink;
  const CheckContext context{index, sink};
  for (const auto check : {
           check_schemas,
           check_virtual_service_references,
           check_virtual_service_conflicts,
           check_destination_rules,
           check_gateways,
           check_service_entries,
           check_sidecars_and_telemetry,
           check_envoy_filters,
           check_kubernetes_objects,
           check_security_policies,
           check_deprecations,
           check_istio_annotations,
           check_ambient_and_gateway_api,
           check_gateway_api_references,
           check_gateway_api_listeners,
           check_waypoints,
           check_webhooks,
           check_injector_config,
           check_control_plane,
           check_crd_versions,
           check_conditions,
           check_gateway_credentials,
           check_kiali_virtual_services,
           check_kiali_destination_rules,
           check_kiali_destination_rule_hosts,
           check_kiali_gateways,
           check_kiali_selectors,
           check_kiali_sidecars,
           check_kiali_authorization,
           check_kiali_mtls,
           check_kiali_gateway_api,
           check_kiali_identities,
           check_kiali_peer_mtls,
           check_kiali_workload_groups,
           check_kiali_service_ports,
       }) {
    check(context);
  }
  auto findings = sink.take();
  sort_and_deduplicate(findings);
  return findings;
}

}  // namespace getmesh::validate
