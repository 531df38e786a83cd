#include "validate/checks/checks.hpp"
#include "validate/checks/mtls.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

// Istio's namespace patterns in authorization rules: "*", "prefix*", "*suffix", or a name.
bool namespace_pattern_matches(const ResourceIndex& index, const std::string& pattern) {
  if (pattern == "*") return true;
  if (pattern.starts_with("*") || pattern.ends_with("*")) {
    const bool suffix = pattern.starts_with("*");
    const auto part = suffix ? pattern.substr(1) : pattern.substr(0, pattern.size() - 1);
    for (const auto& ns : index.namespaces()) {
      if (suffix ? ns.ends_with(part) : ns.starts_with(part)) return true;
    }
    return false;
  }
  for (const auto& ns : index.namespaces()) {
    if (to_lower(ns) == to_lower(pattern)) return true;
  }
  return false;
}

// IST0101 (namespace): source namespaces of authorization rules that do not exist.
void check_rule_namespaces(const CheckContext& context, const Resource& policy) {
  if (!context.index.knows(Kind::kNamespace)) return;
  policy.spec()["rules"].for_each_item([&](const Node& rule) {
    rule["from"].for_each_item([&](const Node& from) {
      for (const char* field : {"namespaces", "notNamespaces"}) {
        from["source"][field].for_each_item([&](const Node& ns) {
          if (!ns.is_scalar() || namespace_pattern_matches(context.index, ns.str())) return;
          context.sink.add(policy, "IST0101", "Referenced namespace not found: " + quote(ns.str()),
                           ns.line());
        });
      }
    });
  });
}

// IST0127: an authorization policy whose selector matches no workload.
void check_policy_workloads(const CheckContext& context, const Resource& policy) {
  if (!context.index.knows_workloads()) return;
  const auto& selector = policy.spec()["selector"]["matchLabels"];
  const bool root = policy.namespace_ == context.mesh().root_namespace;
  if (selector.empty()) {
    if (root || !context.index.select(policy.namespace_, {}).empty()) return;
    context.sink.add(policy, "IST0127",
                     "No matching workloads for this resource with the following labels: ");
    return;
  }
  const auto labels = selector.string_map();
  if (!context.index.select(root ? "" : policy.namespace_, labels).empty()) return;
  context.sink.add(
      policy, "IST0127",
      "No matching workloads for this resource with the following labels: " + selector_text(labels),
      selector.line());
}

// IST0113: a DestinationRule whose TLS mode contradicts the namespace's PeerAuthentication.
void check_mtls_conflicts(const CheckContext& context) {
  const MtlsState state(context.index);
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) {
    const auto& tls_mode = rule->spec()["trafficPolicy"]["tls"]["mode"].str();
    if (tls_mode.empty()) continue;
    const auto host = expand_host(rule->spec()["host"].str(), rule->namespace_);
    // The namespace of the destination: "name.ns.svc.cluster.local" or "*.ns.svc.cluster.local".
    const auto parts = split(host, '.');
    if (parts.size() != 5 || parts[2] != "svc") continue;
    const auto peer_mode = state.effective_mode(parts[1]);
    const bool conflict = (tls_mode == "DISABLE" && peer_mode == "STRICT") ||
                          (tls_mode == "ISTIO_MUTUAL" && peer_mode == "DISABLE");
    if (!conflict) continue;
    context.sink.add(
        *rule, "IST0113",
        "A DestinationRule and PeerAuthentication are in conflict with regards to mTLS for host " +
            host + ". The DestinationRule " + quote(qualified(*rule)) + " sets TLS mode " +
            tls_mode + " but the PeerAuthentication of namespace " + parts[1] + " sets " +
            peer_mode + ".",
        rule->spec()["trafficPolicy"]["tls"].line());
  }
}

}  // namespace

void check_security_policies(const CheckContext& context) {
  for (const auto* policy : context.index.of_kind(Kind::kAuthorizationPolicy)) {
    check_rule_namespaces(context, *policy);
    check_policy_workloads(context, *policy);
  }
  check_mtls_conflicts(context);
}

}  // namespace getmesh::validate
