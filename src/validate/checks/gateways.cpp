#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

// Services in the workloads' namespaces whose selector picks at least one of them.
std::vector<const Resource*> services_selecting(const std::vector<const Workload*>& workloads) {
  std::vector<const Resource*> services;
  for (const auto* workload : workloads)
    services.insert(services.end(), workload->services.begin(), workload->services.end());
  std::sort(services.begin(), services.end());
  services.erase(std::unique(services.begin(), services.end()), services.end());
  return services;
}

// IST0101 (selector, credentialName) and IST0162 for one gateway.
void check_workloads(const CheckContext& context, const Resource& gateway) {
  const auto& index = context.index;
  const auto selector = gateway.spec()["selector"].string_map();
  if (!index.knows_workloads()) return;
  const auto workloads = index.select("", selector);
  if (workloads.empty()) {
    context.sink.add(gateway, "IST0101",
                     "Referenced selector not found: " + quote(selector_text(selector)),
                     gateway.spec()["selector"].line());
    return;
  }
  if (index.knows(Kind::kSecret)) {
    gateway.spec()["servers"].for_each_item([&](const Node& server) {
      const auto& credential = server["tls"]["credentialName"];
      if (credential.empty()) return;
      const bool found = std::any_of(workloads.begin(), workloads.end(),
                                     [&](const Workload* workload) {
                                       return index.find(Kind::kSecret, workload->namespace_,
                                                         credential.str()) != nullptr;
                                     }) ||
                         index.find(Kind::kSecret, gateway.namespace_, credential.str()) != nullptr;
      if (!found)
        context.sink.add(gateway, "IST0101",
                         "Referenced credentialName not found: " + quote(credential.str()),
                         credential.line());
    });
  }
  if (!index.knows(Kind::kService)) return;
  std::set<std::int64_t> ports;
  for (const auto* service : services_selecting(workloads)) {
    service->spec()["ports"].for_each_item([&](const Node& port) {
      ports.insert(port["port"].as_int().value_or(0));
      ports.insert(port["targetPort"].as_int().value_or(port["port"].as_int().value_or(0)));
    });
  }
  gateway.spec()["servers"].for_each_item([&](const Node& server) {
    const auto number = server["port"]["number"].as_int();
    if (!number || ports.contains(*number)) return;
    context.sink.add(gateway, "IST0162",
                     "The gateway is listening on a target port (port " + std::to_string(*number) +
                         ") that is not defined in the Service associated with its workload "
                         "instances (Pod selector " +
                         selector_text(selector) +
                         "). If you need to access the gateway port through the gateway "
                         "Service, it will not be available.",
                     server["port"].line());
  });
}

// Whether two gateways' selectors pick the same workloads: equal selectors, or one within the
// other while some workload carries both (the larger one's labels).
bool same_workloads(const ResourceIndex& index, const Labels& a, const Labels& b) {
  if (selector_text(a) == selector_text(b)) return true;
  const bool a_in_b = selector_matches(a, b);
  if (!a_in_b && !selector_matches(b, a)) return false;
  return !index.select("", a_in_b ? b : a).empty();
}

// IST0145: gateways on the same workloads serving the same host on the same port and bind.
void check_conflicts(const CheckContext& context) {
  struct Use {
    const Resource* gateway;
    const Node* server;
    Labels selector;
  };
  std::unordered_map<std::string, std::vector<Use>> uses;  // port|bind|host
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    const auto selector = gateway->spec()["selector"].string_map();
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      for (const auto& host : server["hosts"].strings()) {
        uses[server["port"]["number"].str() + "|" + server["bind"].str() + "|" + host].push_back(
            {gateway, &server, selector});
      }
    });
  }
  std::set<std::pair<const Resource*, const Node*>> reported;
  for (const auto& [key, list] : uses) {
    if (list.size() < 2) continue;
    const auto parts = split(key, '|');
    // Uses grouped by selector, so that selectors are compared once per pair, not per use.
    std::map<std::string, std::vector<const Use*>> by_selector;
    for (const auto& use : list) by_selector[selector_text(use.selector)].push_back(&use);
    for (const auto& [selector, group] : by_selector) {
      std::set<std::string> conflicting;
      for (const auto& [other_selector, other_group] : by_selector) {
        if (other_selector != selector &&
            !same_workloads(context.index, group.front()->selector, other_group.front()->selector))
          continue;
        for (const auto* other : other_group) conflicting.insert(qualified(*other->gateway));
      }
      for (const auto* use : group) {
        auto others = conflicting;
        others.erase(qualified(*use->gateway));
        if (others.empty() || !reported.insert({use->gateway, use->server}).second) continue;
        context.sink.add(*use->gateway, "IST0145",
                         "Conflict with gateways " +
                             join(std::vector<std::string>(others.begin(), others.end()), ",") +
                             " (workload selector " + selector + ", port " + parts[0] + ", hosts " +
                             parts[2] + ").",
                         use->server->line());
      }
    }
  }
}

// IST0138: gateways using the same certificate where one's workloads include the other's (its
// selector is within the other's); reported on the gateway whose selector is the smaller.
void check_duplicate_certificates(const CheckContext& context) {
  std::unordered_map<std::string, std::set<const Resource*>> by_certificate;
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      const auto& tls = server["tls"];
      std::string certificate = tls["credentialName"].str();
      if (certificate.empty() && !tls["serverCertificate"].empty() && !tls["privateKey"].empty()) {
        certificate = tls["serverCertificate"].str() + "|" + tls["privateKey"].str();
      }
      if (!certificate.empty()) by_certificate[certificate].insert(gateway);
    });
  }
  for (const auto& [certificate, gateways] : by_certificate) {
    if (gateways.size() < 2) continue;
    for (const auto* gateway : gateways) {
      const auto selector = gateway->spec()["selector"].string_map();
      std::vector<std::string> names = {qualified(*gateway)};
      for (const auto* other : gateways) {
        if (other != gateway && selector_matches(selector, other->spec()["selector"].string_map()))
          names.push_back(qualified(*other));
      }
      if (names.size() < 2) continue;
      std::sort(names.begin(), names.end());
      context.sink.add(
          *gateway, "IST0138",
          "Duplicate certificate in gateways " + join(names, ", ") +
              " on the same workloads may cause 404s on requests routed to the wrong server");
    }
  }
}

}  // namespace

void check_gateways(const CheckContext& context) {
  for (const auto* gateway : context.index.of_kind(Kind::kGateway))
    check_workloads(context, *gateway);
  check_conflicts(context);
  check_duplicate_certificates(context);
}

}  // namespace getmesh::validate
