#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"

#include <getmesh/core/strings.hpp>

#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

// Subset names of a rule; "~" stands for "no subsets" (the rule covers every subset).
std::set<std::string> subsets_of(const Resource& rule) {
  std::set<std::string> names;
  rule.spec()["subsets"].for_each_item(
      [&](const Node& subset) { names.insert(subset["name"].str()); });
  if (names.empty()) names.insert("~");
  return names;
}

bool overlap(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.contains("~") || b.contains("~")) return true;
  for (const auto& name : a) {
    if (b.contains(name)) return true;
  }
  return false;
}

// KIA0201: two DestinationRules for the same host (or a wildcard covering it) with overlapping
// subsets.
void check_destination_rule_multi_match(const CheckContext& context) {
  std::unordered_map<std::string, std::vector<const Resource*>> exact;
  std::vector<std::pair<std::string, const Resource*>> wildcards;
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) {
    const auto fqdn = kiali_fqdn(context.index, rule->spec()["host"].str(), rule->namespace_);
    if (fqdn.starts_with("*")) {
      if (rule->spec()["trafficPolicy"]["tls"]["mode"].str() != "ISTIO_MUTUAL")
        wildcards.emplace_back(fqdn, rule);
    } else {
      exact[fqdn].push_back(rule);
    }
  }
  std::set<const Resource*> reported;
  const auto report = [&](const Resource* rule) {
    if (reported.insert(rule).second) {
      context.sink.add(*rule, "KIA0201",
                       "More than one DestinationRules for the same host subset combination");
    }
  };
  for (const auto& [fqdn, rules] : exact) {
    std::vector<const Resource*> candidates = rules;
    for (const auto& [pattern, rule] : wildcards) {
      if (wildcard_match(pattern, fqdn)) candidates.push_back(rule);
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      for (std::size_t j = i + 1; j < candidates.size(); ++j) {
        if (overlap(subsets_of(*candidates[i]), subsets_of(*candidates[j]))) {
          report(candidates[i]);
          report(candidates[j]);
        }
      }
    }
  }
}

void check_rule(const CheckContext& context, const Resource& rule) {
  const auto& index = context.index;
  const auto& host = rule.spec()["host"].str();
  rule.spec()["subsets"].for_each_item([&](const Node& subset) {
    if (subset["labels"].empty())
      context.sink.add(rule, "KIA0209", "DestinationRule Subset has not labels", subset.line());
  });
  if (host.empty() || host.starts_with("*") || !index.knows(Kind::kService)) return;
  const auto fqdn = kiali_fqdn(index, host, rule.namespace_);
  const auto* entry = index.resolve_host(fqdn, rule.namespace_);
  const auto short_name = host.substr(0, host.find('.'));
  const bool app_workload =
      index.knows_workloads() && !index.select(rule.namespace_, {{"app", short_name}}).empty();
  if (entry == nullptr && !app_workload) {
    context.sink.add(rule, "KIA0202",
                     "This host has no matching entry in the service registry (service, workload "
                     "or service entries)",
                     rule.spec()["host"].line());
    return;
  }
  if (!index.knows_workloads() || entry == nullptr || entry->resource->kind != Kind::kService)
    return;
  const auto selector = entry->resource->spec()["selector"].string_map();
  rule.spec()["subsets"].for_each_item([&](const Node& subset) {
    if (subset["labels"].empty()) return;
    auto labels = selector;
    for (const auto& pair : subset["labels"].string_map()) labels.push_back(pair);
    if (index.select(entry->resource->namespace_, labels).empty()) {
      context.sink.add(rule, "KIA0203", "This subset's labels are not found in any matching host",
                       subset.line());
    }
  });
}

}  // namespace

void check_kiali_destination_rules(const CheckContext& context) {
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) check_rule(context, *rule);
  check_destination_rule_multi_match(context);
}

}  // namespace getmesh::validate
