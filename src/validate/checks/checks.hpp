#pragma once

#include "validate/index.hpp"
#include "validate/sink.hpp"

namespace getmesh::validate {

// What every check gets: the world, indexed, and where findings go.
struct CheckContext {
  const ResourceIndex& index;
  Sink& sink;
  [[nodiscard]] const MeshSettings& mesh() const { return index.options().mesh; }
};

// Schema and field validation of every Istio object (IST0106 errors, IST0133 warnings,
// IST0130/0131).
void check_schemas(const CheckContext& context);

// Istio analyzers decidable from configuration, one function per upstream analyzer family.
void check_virtual_service_references(const CheckContext& context);  // IST0101, IST0112
void check_virtual_service_conflicts(
    const CheckContext& context);                           // IST0109, IST0132, IST0140, IST0165
void check_destination_rules(const CheckContext& context);  // IST0128, IST0129, IST0173, IST0174
void check_gateways(const CheckContext& context);           // IST0101, IST0138, IST0145, IST0162
// IST0134, IST0177, KIA1201, KIA1211, KIA1212
void check_service_entries(const CheckContext& context);
// IST0101 (selectors), IST0110, IST0111, IST0157, IST0159, IST0160
void check_sidecars_and_telemetry(const CheckContext& context);
void check_envoy_filters(const CheckContext& context);  // IST0151..IST0155
// IST0102, IST0103, IST0116, IST0118, IST0123, IST0137, IST0144, IST0147, IST0150
void check_kubernetes_objects(const CheckContext& context);
void check_security_policies(
    const CheckContext& context);                      // IST0101 (namespaces), IST0113, IST0127
void check_deprecations(const CheckContext& context);  // IST0002
// IST0107, IST0108, IST0125, IST0135 and (with AnalyzeOptions::alpha_annotations) IST0136
void check_istio_annotations(const CheckContext& context);
void check_ambient_and_gateway_api(const CheckContext& context);  // IST0149, IST0166, IST0167
// Gateway API: missing references (IST0101) and the negative conditions Istio would report
// (IST0171): references no ReferenceGrant allows, routes no listener accepts, conflicting
// listeners.
void check_gateway_api_references(const CheckContext& context);
void check_gateway_api_listeners(const CheckContext& context);
void check_waypoints(const CheckContext& context);  // IST0101, IST0171 (istio.io/use-waypoint)

// Analyzers of cluster state (webhooks, istiod's ConfigMaps and Deployment, CRDs, status
// conditions); its objects come from the cluster or, offline, from the files.
void check_webhooks(const CheckContext& context);             // IST0139, IST0146, IST0163, IST0164
void check_injector_config(const CheckContext& context);      // IST0158 (IST0148: with IST0102)
void check_control_plane(const CheckContext& context);        // IST0126, IST0175
void check_crd_versions(const CheckContext& context);         // IST0156, IST0172, IST0176
void check_conditions(const CheckContext& context);           // IST0171
void check_gateway_credentials(const CheckContext& context);  // IST0161

// Kiali's checks.
void check_kiali_virtual_services(const CheckContext& context);   // KIA1101, 1102, 1104..1108
void check_kiali_destination_rules(const CheckContext& context);  // KIA0201, KIA0204
// KIA0202, KIA0203, KIA0209
void check_kiali_destination_rule_hosts(const CheckContext& context);
void check_kiali_gateways(const CheckContext& context);         // KIA0301, KIA0302
void check_kiali_selectors(const CheckContext& context);        // KIA0002..KIA0005
void check_kiali_sidecars(const CheckContext& context);         // KIA1004, KIA1006
void check_kiali_authorization(const CheckContext& context);    // KIA0101, 0102, 0104, 0105
void check_kiali_mtls(const CheckContext& context);             // KIA0205..0208, 0505, 0506
void check_kiali_gateway_api(const CheckContext& context);      // KIA1401, 1402, 1501..1504, 1601
void check_kiali_identities(const CheckContext& context);       // KIA0106..KIA0108, KIA1701
void check_kiali_peer_mtls(const CheckContext& context);        // KIA0401, KIA0501
void check_kiali_workload_groups(const CheckContext& context);  // KIA1007, KIA1702
void check_kiali_service_ports(const CheckContext& context);    // KIA0601, KIA0602, KIA0701

}  // namespace getmesh::validate
