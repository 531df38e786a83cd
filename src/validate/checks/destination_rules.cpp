#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <array>
#include <optional>

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

constexpr std::string_view kHostnameLabel = "kubernetes.io/hostname";
constexpr std::array<std::string_view, 3> kTopologyLabels = {
    "topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"};

bool is_topology_label(std::string_view key) {
  return key == kHostnameLabel ||
         std::find(kTopologyLabels.begin(), kTopologyLabels.end(), key) != kTopologyLabels.end();
}

// A pod's labels as Istio sees its endpoints: with its Node's (non-empty) topology labels and the
// node name as `kubernetes.io/hostname`.
Labels endpoint_labels(const ResourceIndex& index, const Workload& workload) {
  auto labels = workload.labels;
  const auto& node_name = (*workload.pod_spec)["nodeName"].str();
  const auto* node = workload.resource->kind == Kind::kPod && !node_name.empty()
                         ? index.find(Kind::kNode, "", node_name)
                         : nullptr;
  if (node == nullptr) return labels;
  for (const auto key : kTopologyLabels) {
    if (const auto* value = node->label(key); value != nullptr && !value->empty())
      labels.emplace_back(key, *value);
  }
  labels.emplace_back(kHostnameLabel, node_name);
  return labels;
}

// Whether a subset selector picks some pod; topology labels are matched against the pods' Nodes
// (nullopt when Nodes are unknown and the subset uses them).
std::optional<bool> selects_pods(const ResourceIndex& index, std::string_view ns,
                                 const Labels& selector) {
  Labels pod_part;
  Labels topology_part;
  for (const auto& pair : selector)
    (is_topology_label(pair.first) ? topology_part : pod_part).push_back(pair);
  const auto candidates = index.select(ns, pod_part);
  if (topology_part.empty()) return !candidates.empty();
  if (!index.knows(Kind::kNode)) return std::nullopt;
  return std::any_of(candidates.begin(), candidates.end(), [&](const Workload* workload) {
    return selector_matches(topology_part, endpoint_labels(index, *workload));
  });
}

// IST0173: a subset whose labels select no pod of the destination service.
void check_subsets_select_pods(const CheckContext& context, const Resource& rule,
                               const HostEntry& entry) {
  const auto base = selector_of(entry);
  const auto& ns = entry.resource->namespace_;
  rule.spec()["subsets"].for_each_item([&](const Node& subset) {
    auto selector = base;
    for (const auto& pair : subset["labels"].string_map()) selector.push_back(pair);
    if (subset["labels"].empty() || selects_pods(context.index, ns, selector).value_or(true))
      return;
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
    const auto* entry =
        index.resolve_host(host.str(), rule->namespace_, rule->spec()["exportTo"].strings());
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
