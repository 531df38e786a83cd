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

// Whether the Secret `name` is where a gateway running in `namespaces` (all namespaces when none
// is known) or in the Gateway's own namespace can read it.
bool credential_found(const ResourceIndex& index, const Resource& gateway,
                      const std::vector<std::string>& namespaces, const std::string& name) {
  if (index.find(Kind::kSecret, gateway.namespace_, name) != nullptr) return true;
  if (namespaces.empty()) {
    const auto& secrets = index.of_kind(Kind::kSecret);
    return std::any_of(secrets.begin(), secrets.end(),
                       [&](const Resource* secret) { return secret->name == name; });
  }
  return std::any_of(namespaces.begin(), namespaces.end(), [&](const std::string& ns) {
    return index.find(Kind::kSecret, ns, name) != nullptr;
  });
}

// IST0101 (selector, credentialName) and IST0162 for one gateway.
void check_workloads(const CheckContext& context, const Resource& gateway) {
  const auto& index = context.index;
  const auto selector = gateway.spec()["selector"].string_map();
  const auto workloads =
      index.knows_workloads() ? index.select("", selector) : std::vector<const Workload*>();
  // Where the gateway's pods run, which is where its credentials must be.
  std::vector<std::string> namespaces;
  for (const auto* workload : workloads) namespaces.push_back(workload->namespace_);
  if (auto assumed = index.assumed_gateway_namespace(selector); namespaces.empty() && assumed)
    namespaces.push_back(*assumed);
  if (namespaces.empty() && index.knows_workloads()) {
    context.sink.add(gateway, "IST0101",
                     "Referenced selector not found: " + quote(selector_text(selector)),
                     gateway.spec()["selector"].line());
    return;
  }
  if (index.knows(Kind::kSecret)) {
    gateway.spec()["servers"].for_each_item([&](const Node& server) {
      const auto& credential = server["tls"]["credentialName"];
      if (credential.empty() || credential_found(index, gateway, namespaces, credential.str()))
        return;
      context.sink.add(gateway, "IST0101",
                       "Referenced credentialName not found: " + quote(credential.str()),
                       credential.line());
    });
  }
  if (workloads.empty()) return;
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

// IST0145: gateways with the same selector serving the same host on the same port.
void check_conflicts(const CheckContext& context) {
  struct Use {
    const Resource* gateway;
    const Node* server;
  };
  std::unordered_map<std::string, std::vector<Use>> uses;  // selector|port|bind|host
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    const auto selector = selector_text(gateway->spec()["selector"].string_map());
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      for (const auto& host : server["hosts"].strings()) {
        uses[selector + "|" + server["port"]["number"].str() + "|" + server["bind"].str() + "|" +
             host]
            .push_back({gateway, &server});
      }
    });
  }
  std::set<std::pair<const Resource*, const Node*>> reported;
  for (const auto& [key, list] : uses) {
    std::set<const Resource*> gateways;
    for (const auto& use : list) gateways.insert(use.gateway);
    if (gateways.size() < 2) continue;
    const auto parts = split(key, '|');
    for (const auto& use : list) {
      if (!reported.insert({use.gateway, use.server}).second) continue;
      std::vector<std::string> others;
      for (const auto* other : gateways) {
        if (other != use.gateway) others.push_back(qualified(*other));
      }
      context.sink.add(*use.gateway, "IST0145",
                       "Conflict with gateways " + join(others, ",") + " (workload selector " +
                           parts[0] + ", port " + parts[1] + ", hosts " + parts[3] + ").",
                       use.server->line());
    }
  }
}

// IST0138: two gateways on the same workloads using the same certificate.
void check_duplicate_certificates(const CheckContext& context) {
  std::unordered_map<std::string, std::set<const Resource*>>
      by_certificate;  // selector|certificate
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    const auto selector = selector_text(gateway->spec()["selector"].string_map());
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      const auto& tls = server["tls"];
      std::string certificate = tls["credentialName"].str();
      if (certificate.empty() && !tls["serverCertificate"].empty() && !tls["privateKey"].empty()) {
        certificate = tls["serverCertificate"].str() + "|" + tls["privateKey"].str();
      }
      if (!certificate.empty()) by_certificate[selector + "|" + certificate].insert(gateway);
    });
  }
  for (const auto& [key, gateways] : by_certificate) {
    if (gateways.size() < 2) continue;
    std::vector<std::string> names;
    for (const auto* gateway : gateways) names.push_back(qualified(*gateway));
    for (const auto* gateway : gateways) {
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
