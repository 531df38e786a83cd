#include "validate/checks/mtls.hpp"

namespace getmesh::validate {

MtlsState::MtlsState(const ResourceIndex& index) : index_(index) {
  for (const auto* policy : index.of_kind(Kind::kPeerAuthentication)) {
    if (policy->spec()["selector"]["matchLabels"].empty())
      namespace_policies_.emplace(policy->namespace_, policy);
  }
}

const Resource* MtlsState::namespace_policy(std::string_view ns) const {
  const auto found = namespace_policies_.find(std::string(ns));
  return found == namespace_policies_.end() ? nullptr : found->second;
}

const Resource* MtlsState::mesh_policy() const {
  return namespace_policy(index_.options().mesh.root_namespace);
}

std::string MtlsState::mode(const Resource& peer_authentication) {
  return peer_authentication.spec()["mtls"]["mode"].str();
}

std::string MtlsState::effective_mode(std::string_view ns) const {
  if (const auto* policy = namespace_policy(ns);
      policy != nullptr && !mode(*policy).empty() && mode(*policy) != "UNSET") {
    return mode(*policy);
  }
  if (const auto* policy = mesh_policy(); policy != nullptr && mode(*policy) != "UNSET")
    return mode(*policy);
  return {};
}

std::string MtlsState::rule_mode(const std::string& host) const {
  for (const auto* rule : index_.destination_rules_for(host)) {
    const auto& mode = rule->spec()["trafficPolicy"]["tls"]["mode"];
    if (!mode.empty()) return mode.str();
  }
  return {};
}

std::string MtlsState::namespace_rule_mode(std::string_view ns) const {
  return rule_mode("*." + std::string(ns) + ".svc.cluster.local");
}

std::string MtlsState::mesh_rule_mode() const { return rule_mode("*.local"); }

}  // namespace getmesh::validate
