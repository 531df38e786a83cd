#include "validate/checks/kiali_mtls_status.hpp"

namespace getmesh::validate {

namespace {

bool mutual(std::string_view tls_mode) {
  return tls_mode == "ISTIO_MUTUAL" || tls_mode == "MUTUAL";
}

// A PeerAuthentication's mode as Kiali reads it: an `mtls` without `mode` is UNSET.
std::string mode_of(const Resource& peer_authentication) {
  const auto& mtls = peer_authentication.spec()["mtls"];
  if (mtls.is_null()) return {};
  const auto& mode = mtls["mode"].str();
  return mode.empty() ? "UNSET" : mode;
}

}  // namespace

KialiMtlsStatus::KialiMtlsStatus(const ResourceIndex& index, bool auto_mtls)
    : index_(index), auto_mtls_(auto_mtls) {}

std::string KialiMtlsStatus::peer_mode(std::string_view ns) const {
  for (const auto* policy : index_.in_namespace(Kind::kPeerAuthentication, ns)) {
    if (policy->spec().has("selector")) continue;  // workload-level
    if (auto mode = mode_of(*policy); !mode.empty()) return mode;
  }
  return {};
}

std::string KialiMtlsStatus::rule_mode(std::string_view host) const {
  for (const auto* rule : index_.destination_rules_for(host)) {
    if (rule->spec()["host"].str() != host) continue;
    const auto& tls = rule->spec()["trafficPolicy"]["tls"];
    if (tls.is_null()) continue;
    const auto& mode = tls["mode"].str();
    return mode.empty() ? "DISABLE" : mode;  // DISABLE is the TLS mode enum's zero value
  }
  return {};
}

KialiMtlsStatus::Tls KialiMtlsStatus::combined(std::string rule_mode, std::string peer_mode) const {
  Tls tls{std::move(rule_mode), std::move(peer_mode), Overall::kPartial};
  const bool unset_rule = tls.rule_mode.empty();
  const bool rule_on = mutual(tls.rule_mode) || (unset_rule && auto_mtls_);
  const bool rule_off = tls.rule_mode == "DISABLE" || (unset_rule && auto_mtls_);
  // PERMISSIVE accepts mutual TLS, which is what an AuthorizationPolicy needs.
  if ((tls.peer_mode == "STRICT" || tls.peer_mode == "PERMISSIVE") && rule_on) {
    tls.overall = Overall::kEnabled;
  } else if (tls.peer_mode == "DISABLE" && rule_off) {
    tls.overall = Overall::kDisabled;
  } else if (tls.peer_mode.empty() && unset_rule) {
    tls.overall = Overall::kNotEnabled;
  }
  return tls;
}

KialiMtlsStatus::Overall KialiMtlsStatus::overall(const Tls& ns, const Tls& mesh) const {
  const auto defined = [](const Tls& tls) {
    return tls.overall == Overall::kEnabled || tls.overall == Overall::kDisabled;
  };
  if (defined(ns)) return ns.overall;
  if (ns.overall == Overall::kPartial) {  // the namespace completes its half with the mesh's
    return overall({}, combined(ns.rule_mode.empty() ? mesh.rule_mode : ns.rule_mode,
                                ns.peer_mode.empty() ? mesh.peer_mode : ns.peer_mode));
  }
  if (defined(mesh)) return mesh.overall;
  const auto& rule = mesh.rule_mode;
  const auto& peer = mesh.peer_mode;
  if (peer.empty() && rule.empty()) return Overall::kNotEnabled;
  if ((peer == "DISABLE" && rule.empty()) || (rule == "DISABLE" && peer.empty()))
    return Overall::kDisabled;
  if (auto_mtls_ && (((peer == "STRICT" || peer == "PERMISSIVE") && rule.empty()) ||
                     (mutual(rule) && peer.empty()))) {
    return Overall::kEnabled;
  }
  return Overall::kPartial;
}

KialiMtlsStatus::Overall KialiMtlsStatus::namespace_status(std::string_view ns) const {
  const auto& root = index_.options().mesh.root_namespace;
  const auto mesh_tls = combined(rule_mode("*.local"), peer_mode(root));
  const Tls mesh{mesh_tls.rule_mode, mesh_tls.peer_mode, overall({}, mesh_tls)};
  const auto ns_tls =
      combined(rule_mode("*." + std::string(ns) + ".svc.cluster.local"), peer_mode(ns));
  const auto status = overall(ns_tls, mesh);
  // Nothing configured anywhere: auto mTLS makes sidecar-to-sidecar traffic mutual TLS.
  return status == Overall::kNotEnabled && auto_mtls_ ? Overall::kEnabled : status;
}

KialiMtlsStatus::Overall KialiMtlsStatus::workload_status(std::string_view ns,
                                                          const Labels& labels) const {
  for (const auto* policy : index_.in_namespace(Kind::kPeerAuthentication, ns)) {
    if (!policy->spec().has("selector")) continue;
    const auto selector = policy->spec()["selector"]["matchLabels"].string_map();
    if (!selector_matches(selector, labels)) continue;
    const auto mode = policy->spec()["mtls"]["mode"].str();
    if (mode == "STRICT") return Overall::kEnabled;
    if (mode == "DISABLE") return Overall::kDisabled;
    if (mode != "PERMISSIVE") continue;
    // PERMISSIVE: what the DestinationRules of the Services this policy's workloads back say.
    for (const auto* service : index_.in_namespace(Kind::kService, ns)) {
      if (!selector_matches(selector, service->spec()["selector"].string_map())) continue;
      const auto fqdn = service->name + "." + service->namespace_ + ".svc.cluster.local";
      for (const auto* rule : index_.destination_rules_for(fqdn)) {
        const auto& mode_node = rule->spec()["trafficPolicy"]["tls"]["mode"];
        if (mutual(mode_node.str())) return Overall::kEnabled;
        if (mode_node.str() == "DISABLE") return Overall::kDisabled;
      }
    }
    return Overall::kNotEnabled;
  }
  return Overall::kNotEnabled;
}

bool KialiMtlsStatus::receives_mtls(std::string_view ns, const Labels& labels) const {
  switch (workload_status(ns, labels)) {
    case Overall::kEnabled:
      return true;
    case Overall::kDisabled:
      return false;
    default:
      return namespace_status(ns) == Overall::kEnabled;
  }
}

}  // namespace getmesh::validate
