// KIA0202, KIA0203 and KIA0209: a DestinationRule's host and subsets against the registry, as
// Kiali's NoDestinationChecker (destinationrules/no_dest_checker.go) reads them.
#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"
#include "validate/checks/routes.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace getmesh::validate {

namespace {

// "fqdn|subset" of every route destination (http, tcp, tls; not mirrors) of every
// VirtualService, hosts read as Kiali reads them.
std::unordered_set<std::string> referenced_subsets(const ResourceIndex& index) {
  std::unordered_set<std::string> referenced;
  for (const auto* service : index.of_kind(Kind::kVirtualService)) {
    for (const auto& destination : route_destinations(*service)) {
      if (destination.mirror || destination.subset.empty()) continue;
      referenced.insert(kiali_fqdn(index, destination.host, service->namespace_) + "|" +
                        destination.subset);
    }
  }
  return referenced;
}

// Whether the host is in the registry: a wildcard, a workload of the rule's own namespace whose
// `app` label is the host's service name (Kiali looks for those in that namespace only), a
// Service or a ServiceEntry host visible from the rule's namespace.
bool host_found(const ResourceIndex& index, const Resource& rule, const std::string& fqdn,
                const HostEntry* entry) {
  if (fqdn.starts_with("*") || entry != nullptr) return true;
  const auto parts = cluster_name_parts(fqdn);
  return parts && parts->namespace_ == rule.namespace_ && index.knows_workloads() &&
         !index.select(parts->namespace_, {{"app", parts->service}}).empty();
}

// Whether a subset's labels pick something behind the host: pods the Service's selector and the
// labels both pick, or endpoints of the ServiceEntry carrying the labels. nullopt when that cannot
// be told: no workloads known, a Service without a selector, a ServiceEntry selecting
// WorkloadEntries, or a host found only through workload labels.
std::optional<bool> subset_matches(const ResourceIndex& index, const HostEntry* entry,
                                   const Labels& subset_labels) {
  if (entry == nullptr) return std::nullopt;
  const auto& resource = *entry->resource;
  if (resource.kind == Kind::kServiceEntry) {
    if (!resource.spec()["workloadSelector"].empty()) return std::nullopt;
    bool matched = false;
    resource.spec()["endpoints"].for_each_item([&](const Node& endpoint) {
      matched = matched || selector_matches(subset_labels, endpoint["labels"].string_map());
    });
    return matched;
  }
  auto selector = resource.spec()["selector"].string_map();
  if (selector.empty() || !index.knows_workloads()) return std::nullopt;
  selector.insert(selector.end(), subset_labels.begin(), subset_labels.end());
  return !index.select(resource.namespace_, selector).empty();
}

void check_rule_host(const CheckContext& context, const std::unordered_set<std::string>& referenced,
                     const Resource& rule) {
  const auto& index = context.index;
  const auto& host = rule.spec()["host"].str();
  if (host.empty()) return;
  const auto fqdn = kiali_fqdn(index, host, rule.namespace_);
  const bool wildcard = fqdn.starts_with("*");
  const auto* entry = wildcard ? nullptr : index.resolve_host(fqdn, rule.namespace_);
  // without the Services of the world, a host not found may still exist: only its subsets are
  // checked then
  if (!host_found(index, rule, fqdn, entry) && index.knows(Kind::kService)) {
    context.sink.add(rule, "KIA0202",
                     context.mesh().outbound_allow_any ? Severity::kWarning : Severity::kError,
                     "This host has no matching entry in the service registry (service, workload "
                     "or service entries)",
                     rule.spec()["host"].line());
    return;
  }
  // A label-less subset is a warning unless another subset's labels pick something (the rule is
  // in use), then it is information; a subset whose labels pick nothing is an error when a route
  // uses it, information otherwise. Undecidable subsets count as picking something.
  bool labels_pick_something = false;
  std::vector<const Node*> label_less;
  rule.spec()["subsets"].for_each_item([&](const Node& subset) {
    const auto labels = subset["labels"].string_map();
    if (labels.empty()) {
      label_less.push_back(&subset);
      return;
    }
    const auto matches =
        wildcard ? std::optional<bool>(true) : subset_matches(index, entry, labels);
    if (!matches || *matches) {
      labels_pick_something = true;
      return;
    }
    const bool used = referenced.contains(fqdn + "|" + subset["name"].str());
    context.sink.add(rule, "KIA0203", used ? Severity::kError : Severity::kInfo,
                     "This subset's labels are not found in any matching host", subset.line());
  });
  for (const auto* subset : label_less) {
    context.sink.add(rule, "KIA0209", labels_pick_something ? Severity::kInfo : Severity::kWarning,
                     "DestinationRule Subset has not labels", subset->line());
  }
}

}  // namespace

void check_kiali_destination_rule_hosts(const CheckContext& context) {
  const auto& rules = context.index.of_kind(Kind::kDestinationRule);
  if (rules.empty()) return;
  const auto referenced = referenced_subsets(context.index);
  for (const auto* rule : rules) check_rule_host(context, referenced, *rule);
}

}  // namespace getmesh::validate
