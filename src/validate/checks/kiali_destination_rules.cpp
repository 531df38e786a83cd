#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

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

// Kiali's hostsOverlap: equal hosts, `*`, or one a wildcard (`*.suffix`) covering the other
// (a narrower wildcard included).
bool hosts_overlap(std::string_view a, std::string_view b) {
  if (a == b || a == "*" || b == "*") return true;
  const auto within = [](std::string_view host, std::string_view wildcard) {
    return wildcard.starts_with("*") && host.ends_with(wildcard.substr(1));
  };
  return within(a, b) || within(b, a);
}

// A rule enabling mTLS mesh-wide (`*.local`) or for its whole namespace
// (`*.<ns>.svc.cluster.local`): Kiali leaves these out of KIA0201, they are the mTLS checks'
// business.
bool enables_mtls_beyond_a_service(const Resource& rule) {
  if (rule.spec()["trafficPolicy"]["tls"]["mode"].str() != "ISTIO_MUTUAL") return false;
  const auto& host = rule.spec()["host"].str();
  return host == "*.local" || host == "*." + rule.namespace_ + ".svc.cluster.local";
}

// KIA0201: two DestinationRules whose hosts overlap (equal, or one a wildcard covering the other,
// wildcards against wildcards too) with a subset in common, or one of them without subsets.
void check_destination_rule_multi_match(const CheckContext& context) {
  std::vector<std::pair<std::string, const Resource*>> rules;
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) {
    if (enables_mtls_beyond_a_service(*rule)) continue;
    rules.emplace_back(kiali_fqdn(context.index, rule->spec()["host"].str(), rule->namespace_),
                       rule);
  }
  std::set<const Resource*> colliding;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (std::size_t j = i + 1; j < rules.size(); ++j) {
      if (hosts_overlap(rules[i].first, rules[j].first) &&
          overlap(subsets_of(*rules[i].second), subsets_of(*rules[j].second))) {
        colliding.insert(rules[i].second);
        colliding.insert(rules[j].second);
      }
    }
  }
  for (const auto& [fqdn, rule] : rules) {
    if (colliding.contains(rule)) {
      context.sink.add(*rule, "KIA0201",
                       "More than one DestinationRules for the same host subset combination");
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
