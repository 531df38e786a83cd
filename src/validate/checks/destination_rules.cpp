#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

bool needs_ca(const Node& tls) {
  const auto& mode = tls["mode"].str();
  return (mode == "SIMPLE" || mode == "MUTUAL") && tls["caCertificates"].empty();
}

// IST0128 / IST0129: TLS origination that does not verify the server certificate.
void check_certificate_verification(const CheckContext& context, const Resource& rule) {
  const auto& spec = rule.spec();
  const bool credential_with_selector = [&](const Node& tls) {
    return !tls["credentialName"].empty() && spec.has("workloadSelector");
  }(spec["trafficPolicy"]["tls"]);
  const auto& host = spec["host"].str();
  if (const auto& tls = spec["trafficPolicy"]["tls"]; needs_ca(tls) && !credential_with_selector) {
    context.sink.add(
        rule, "IST0128",
        "DestinationRule " + rule.name + " in namespace " + rule.namespace_ +
            " has TLS mode set to " + tls["mode"].str() +
            " but no caCertificates are set to validate server identity for host: " + host,
        tls.line());
  }
  spec["trafficPolicy"]["portLevelSettings"].for_each_item([&](const Node& setting) {
    const auto& tls = setting["tls"];
    if (!needs_ca(tls) || (!tls["credentialName"].empty() && spec.has("workloadSelector"))) return;
    context.sink.add(rule, "IST0129",
                     "DestinationRule " + rule.name + " in namespace " + rule.namespace_ +
                         " has TLS mode set to " + tls["mode"].str() +
                         " but no caCertificates are set to validate server identity for host: " +
                         host + " at port " + setting["port"]["number"].str(),
                     tls.line());
  });
}

Labels selector_of(const HostEntry& entry) {
  if (entry.resource->kind == Kind::kService)
    return entry.resource->spec()["selector"].string_map();
  return entry.resource->spec()["workloadSelector"]["labels"].string_map();
}

// IST0173: a subset whose labels select no pod of the destination service.
void check_subsets_select_pods(const CheckContext& context, const Resource& rule,
                               const HostEntry& entry) {
  const auto base = selector_of(entry);
  const auto& ns = entry.resource->namespace_;
  rule.spec()["subsets"].for_each_item([&](const Node& subset) {
    auto selector = base;
    for (const auto& pair : subset["labels"].string_map()) selector.push_back(pair);
    if (subset["labels"].empty() || !context.index.select(ns, selector).empty()) return;
    context.sink.add(rule, "IST0173",
                     "The destination rule subset " + quote(subset["name"].str()) + " in host " +
                         quote(rule.spec()["host"].str()) + " does not select any pods.",
                     subset.line());
  });
}

}  // namespace

void check_destination_rules(const CheckContext& context) {
  const auto& index = context.index;
  for (const auto* rule : index.of_kind(Kind::kDestinationRule)) {
    check_certificate_verification(context, *rule);
    const auto& host = rule->spec()["host"];
    if (!host.is_scalar() || host.str().empty() || !index.knows(Kind::kService)) continue;
    // Wildcard hosts only match wildcard ServiceEntry hosts.
    const auto* entry = index.resolve_host(host.str(), rule->namespace_);
    if (entry == nullptr || (host.str().starts_with("*") && !entry->fqdn.starts_with("*"))) {
      context.sink.add(
          *rule, "IST0174",
          "The host " + host.str() +
              " defined in the DestinationRule does not match any services in the mesh.",
          host.line());
      continue;
    }
    if (index.knows_workloads() && entry->resource->kind == Kind::kService) {
      check_subsets_select_pods(context, *rule, *entry);
    }
  }
}

}  // namespace getmesh::validate
