#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"
#include "validate/checks/kiali_import_scope.hpp"

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
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
bool kiali_hosts_overlap(std::string_view a, std::string_view b) {
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
// wildcards against wildcards too) with a subset in common, or one of them without subsets. A rule
// for a host the Sidecar of its namespace does not import is left out, as Kiali does.
void check_destination_rule_multi_match(const CheckContext& context) {
  const KialiImportScopes scopes(context.index);
  struct Rule {
    std::string fqdn;
    const Resource* resource;
    std::set<std::string> subsets;
  };
  std::vector<Rule> rules;
  for (const auto* rule : context.index.of_kind(Kind::kDestinationRule)) {
    if (enables_mtls_beyond_a_service(*rule) ||
        !scopes.imports(rule->namespace_, rule->spec()["host"].str()))
      continue;
    rules.push_back({kiali_fqdn(context.index, rule->spec()["host"].str(), rule->namespace_), rule,
                     subsets_of(*rule)});
  }
  // Plain hosts only overlap when equal: they are compared within their host's group; a
  // wildcard host is compared with every other rule.
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_host;
  std::vector<std::size_t> wildcards;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].fqdn.starts_with("*"))
      wildcards.push_back(i);
    else
      by_host[rules[i].fqdn].push_back(i);
  }
  std::set<const Resource*> colliding;
  const auto compare = [&](std::size_t i, std::size_t j) {
    if (i != j && kiali_hosts_overlap(rules[i].fqdn, rules[j].fqdn) &&
        overlap(rules[i].subsets, rules[j].subsets)) {
      colliding.insert(rules[i].resource);
      colliding.insert(rules[j].resource);
    }
  };
  for (const auto& [host, group] : by_host) {
    for (std::size_t a = 0; a < group.size(); ++a) {
      for (std::size_t b = a + 1; b < group.size(); ++b) compare(group[a], group[b]);
    }
  }
  for (const auto i : wildcards) {
    for (std::size_t j = 0; j < rules.size(); ++j) compare(i, j);
  }
  for (const auto& rule : rules) {
    if (colliding.contains(rule.resource)) {
      context.sink.add(*rule.resource, "KIA0201",
                       "More than one DestinationRules for the same host subset combination");
    }
  }
}

bool mutual_tls(const Resource& rule) {
  return rule.spec()["trafficPolicy"]["tls"]["mode"].str() == "ISTIO_MUTUAL";
}

bool has_tls_settings(const Resource& rule) {
  const auto& policy = rule.spec()["trafficPolicy"];
  bool port_tls = false;
  policy["portLevelSettings"].for_each_item(
      [&](const Node& port) { port_tls = port_tls || !port["tls"].empty(); });
  return !policy["tls"].empty() || port_tls;
}

// KIA0204: a DestinationRule without TLS settings (none in its traffic policy, none per port)
// for a host where another rule enables mTLS: mesh-wide (`*.local`), for the host's namespace
// (`*.<ns>.svc.cluster.local`), or for the host itself. Being more specific, it overrides that
// rule's TLS settings, and its traffic goes out in plain text. A rule for a host the Sidecar of
// its namespace does not import is left out, as for KIA0201.
void check_overridden_mtls(const CheckContext& context) {
  const KialiImportScopes scopes(context.index);
  const auto rules = context.index.of_kind(Kind::kDestinationRule);
  // The hosts rules enable mTLS for, looked up once per rule (a rule with TLS settings is never
  // judged, so it never meets itself here).
  std::unordered_set<std::string> mutual_hosts;
  for (const auto* rule : rules) {
    if (mutual_tls(*rule)) mutual_hosts.insert(rule->spec()["host"].str());
  }
  for (const auto* rule : rules) {
    if (has_tls_settings(*rule) || !scopes.imports(rule->namespace_, rule->spec()["host"].str()))
      continue;
    const auto fqdn = kiali_fqdn(context.index, rule->spec()["host"].str(), rule->namespace_);
    const auto parts = cluster_name_parts(fqdn);
    const auto ns = parts ? parts->namespace_ : std::string();
    const bool overridden =
        mutual_hosts.contains("*.local") ||
        (!ns.empty() && mutual_hosts.contains("*." + ns + ".svc.cluster.local")) ||
        mutual_hosts.contains(fqdn);
    if (overridden) {
      context.sink.add(*rule, "KIA0204",
                       "mTLS settings of a non-local Destination Rule are overridden",
                       rule->spec()["host"].line());
    }
  }
}

}  // namespace

void check_kiali_destination_rules(const CheckContext& context) {
  check_destination_rule_multi_match(context);
  check_overridden_mtls(context);
}

}  // namespace getmesh::validate
