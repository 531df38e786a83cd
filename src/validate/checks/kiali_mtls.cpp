#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"
#include "validate/checks/mtls.hpp"

namespace getmesh::validate {

namespace {

// The namespace of a namespace-wide host "*.<ns>.svc.cluster.local"; empty for other hosts.
std::string namespace_wide(const std::string& host) {
  const auto parts = cluster_name_parts(host);
  return parts && parts->service == "*" ? parts->namespace_ : std::string();
}

// Whether a PeerAuthentication (or none: nullptr) turns mTLS on, as Kiali reads it: STRICT or
// PERMISSIVE.
bool enables_peer_mtls(const Resource* policy) {
  if (policy == nullptr) return false;
  const auto mode = MtlsState::mode(*policy);
  return mode == "STRICT" || mode == "PERMISSIVE";
}

// KIA0205/KIA0206: a DestinationRule enabling mTLS mesh-wide (`*.local`) or for its namespace,
// while auto mTLS is off and no PeerAuthentication of that scope (or, for a namespace, of the
// mesh) enables it.
void check_rule_without_peer_mtls(const CheckContext& context, const MtlsState& state,
                                  const Resource& rule) {
  if (context.mesh().auto_mtls) return;
  const auto& tls = rule.spec()["trafficPolicy"]["tls"];
  if (tls["mode"].str() != "ISTIO_MUTUAL") return;
  const auto& host = rule.spec()["host"].str();
  const bool mesh_on = enables_peer_mtls(state.mesh_policy());
  if (host == "*.local" && !mesh_on) {
    context.sink.add(rule, "KIA0205", "PeerAuthentication enabling mTLS at mesh level is missing",
                     tls["mode"].line());
  } else if (namespace_wide(host) == rule.namespace_ && !mesh_on &&
             !enables_peer_mtls(state.namespace_policy(rule.namespace_))) {
    context.sink.add(rule, "KIA0206", "PeerAuthentication enabling namespace-wide mTLS is missing",
                     tls["mode"].line());
  }
}

}  // namespace

void check_kiali_mtls(const CheckContext& context) {
  const MtlsState state(context.index);
  const auto* mesh_policy = state.mesh_policy();
  const bool mesh_strict = mesh_policy != nullptr && MtlsState::mode(*mesh_policy) == "STRICT";
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) {
    check_rule_without_peer_mtls(context, state, *rule);
  }
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) {
    if (rule->spec()["trafficPolicy"]["tls"]["mode"].str() != "DISABLE") continue;
    const auto& host = rule->spec()["host"].str();
    const auto line = rule->spec()["trafficPolicy"]["tls"].line();
    if (const auto ns = namespace_wide(host); !ns.empty()) {
      const auto* policy = state.namespace_policy(ns);
      const auto mode = policy != nullptr ? MtlsState::mode(*policy) : std::string();
      if (mode == "STRICT") {
        context.sink.add(*rule, "KIA0207",
                         "PeerAuthentication with TLS strict mode found, it should be permissive",
                         line);
      } else if ((mode.empty() || mode == "UNSET") && mesh_strict) {
        context.sink.add(*rule, "KIA0208",
                         "PeerAuthentication enabling mTLS found, permissive mode needed", line);
      }
    } else if (host == "*.local" && mesh_strict) {
      context.sink.add(*rule, "KIA0208",
                       "PeerAuthentication enabling mTLS found, permissive mode needed", line);
    }
  }
  const auto mesh_rule = state.mesh_rule_mode();
  for (const auto* policy : context.index.of_kind(Kind::kPeerAuthentication)) {
    if (MtlsState::mode(*policy) != "DISABLE" || !policy->spec()["selector"]["matchLabels"].empty())
      continue;
    if (policy->namespace_ == context.mesh().root_namespace) {
      if (MtlsState::enables_mtls(mesh_rule)) {
        context.sink.add(*policy, "KIA0506",
                         "Destination Rule disabling mesh-wide mTLS is missing");
      }
      continue;
    }
    const auto namespace_rule = state.namespace_rule_mode(policy->namespace_);
    if (MtlsState::enables_mtls(namespace_rule) ||
        (namespace_rule.empty() && MtlsState::enables_mtls(mesh_rule))) {
      context.sink.add(*policy, "KIA0505",
                       "Destination Rule disabling namespace-wide mTLS is missing");
    }
  }
}

}  // namespace getmesh::validate
