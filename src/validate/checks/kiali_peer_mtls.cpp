// Kiali's PeerAuthentication mTLS pairing checks (peerauthentications/mesh_mtls_checker.go,
// peerauthentications/namespace_mtls_checker.go): with auto mTLS off, clients only start mTLS
// where a DestinationRule tells them to, so a PeerAuthentication requiring it (STRICT) without
// such a rule breaks traffic.
#include "validate/checks/checks.hpp"

#include <algorithm>

namespace getmesh::validate {

namespace {

// Whether some DestinationRule enables mTLS (ISTIO_MUTUAL) for exactly `host`.
bool mtls_rule_for(const ResourceIndex& index, std::string_view host) {
  const auto& rules = index.of_kind(Kind::kDestinationRule);
  return std::any_of(rules.begin(), rules.end(), [&](const Resource* rule) {
    return rule->spec()["host"].str() == host &&
           rule->spec()["trafficPolicy"]["tls"]["mode"].str() == "ISTIO_MUTUAL";
  });
}

}  // namespace

void check_kiali_peer_mtls(const CheckContext& context) {
  if (context.mesh().auto_mtls) return;
  const bool mesh_rule = mtls_rule_for(context.index, "*.local");
  for (const auto* policy : context.index.of_kind(Kind::kPeerAuthentication)) {
    // Kiali reads a PeerAuthentication with a selector (even an empty one) as workload-level.
    if (policy->spec().has("selector")) continue;
    const auto& mode = policy->spec()["mtls"]["mode"];
    if (mode.str() != "STRICT" || mesh_rule) continue;
    if (policy->namespace_ == context.mesh().root_namespace) {
      context.sink.add(*policy, "KIA0401", "Mesh-wide Destination Rule enabling mTLS is missing",
                       mode.line());
    } else if (!mtls_rule_for(context.index, "*." + policy->namespace_ + ".svc.cluster.local")) {
      context.sink.add(*policy, "KIA0501",
                       "Destination Rule enabling namespace-wide mTLS is missing", mode.line());
    }
  }
}

}  // namespace getmesh::validate
