#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"
#include "validate/checks/kiali_import_scope.hpp"
#include "validate/checks/routes.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace getmesh::validate {

namespace {

// Kiali accepts the legacy "name.namespace" form too, and the host form
// "name.namespace.svc.cluster.local".
std::pair<std::string, std::string> kiali_gateway(const GatewayRef& ref) {
  if (ref.text.find('/') == std::string::npos) {
    const auto dot = ref.text.find('.');
    if (dot != std::string::npos) {
      const auto end = ref.text.find('.', dot + 1);
      return {ref.text.substr(dot + 1, end == std::string::npos ? end : end - dot - 1),
              ref.text.substr(0, dot)};
    }
  }
  return {ref.namespace_, ref.name};
}

void check_gateways(const CheckContext& context, const Resource& service) {
  for (const auto& ref : gateway_refs(service, true)) {
    const auto [ns, name] = kiali_gateway(ref);
    if (find_gateway(context.index, ns, name) == nullptr) {
      context.sink.add(service, "KIA1102", "VirtualService is pointing to a non-existent gateway",
                       ref.node->line());
    }
    if (ref.text.find('/') == std::string::npos && ref.text.find('.') != std::string::npos) {
      context.sink.add(service, "KIA1108",
                       "Preferred nomenclature: <gateway namespace>/<gateway name>",
                       ref.node->line());
    }
  }
}

// The subsets of every DestinationRule, by its host as Kiali reads it ("a.b" is service a of a
// known namespace b), wildcard hosts ("*.local", "*.ns.svc.cluster.local") apart.
class KialiSubsets {
 public:
  explicit KialiSubsets(const ResourceIndex& index) {
    for (const auto* rule : index.of_kind(Kind::kDestinationRule)) {
      const auto host = kiali_fqdn(index, rule->spec()["host"].str(), rule->namespace_);
      auto& subsets =
          host.starts_with("*") ? wildcards_.emplace_back(host, Names()).second : by_host_[host];
      rule->spec()["subsets"].for_each_item(
          [&](const Node& item) { subsets.insert(item["name"].str()); });
    }
  }
  // Whether a DestinationRule for `fqdn`, or a wildcard one covering it, defines `subset`.
  [[nodiscard]] bool defined(const std::string& fqdn, const std::string& subset) const {
    if (const auto found = by_host_.find(fqdn);
        found != by_host_.end() && found->second.contains(subset)) {
      return true;
    }
    return std::any_of(wildcards_.begin(), wildcards_.end(), [&](const auto& wildcard) {
      return wildcard.second.contains(subset) && wildcard_match(wildcard.first, fqdn);
    });
  }

 private:
  using Names = std::set<std::string>;
  std::unordered_map<std::string, Names> by_host_;
  std::vector<std::pair<std::string, Names>> wildcards_;
};

void check_routes(const CheckContext& context, const KialiSubsets& subsets,
                  const Resource& service) {
  const auto& spec = service.spec();
  for (const char* section : {"http", "tcp", "tls"}) {
    spec[section].for_each_item([&](const Node& rule) {
      const auto& routes = rule["route"];
      if (routes.size() == 1) {
        const auto weight = routes.at(0)["weight"].as_int();
        if (weight && *weight > 0 && *weight < 100) {
          context.sink.add(
              service, "KIA1104",
              "The weight is assumed to be 100 because there is only one route destination",
              routes.at(0)["weight"].line());
        }
      }
      std::set<std::string> seen;
      routes.for_each_item([&](const Node& route) {
        // the same host (as Kiali resolves it) and subset, or the same host without a subset
        const auto& destination = route["destination"];
        const auto key = kiali_fqdn(context.index, destination["host"].str(), service.namespace_) +
                         "|" + destination["subset"].str();
        if (!seen.insert(key).second) {
          context.sink.add(
              service, "KIA1105",
              "This host subset combination is already referenced in another route destination",
              destination.line());
        }
      });
    });
  }
  const bool services_known = context.index.knows(Kind::kService);
  for (const auto& destination : route_destinations(service)) {
    if (destination.mirror || destination.host.empty()) continue;
    const auto line = destination.node->line();
    if (services_known && !kiali_host_exists(context.index, destination.host, service.namespace_)) {
      // under ALLOW_ANY, traffic to an unknown host still leaves the mesh
      context.sink.add(service, "KIA1101",
                       context.mesh().outbound_allow_any ? Severity::kWarning : Severity::kError,
                       "DestinationWeight on route doesn't have a valid service (host not found)",
                       line);
    }
    if (!destination.subset.empty() &&
        !subsets.defined(kiali_fqdn(context.index, destination.host, service.namespace_),
                         destination.subset)) {
      context.sink.add(service, "KIA1107", "Subset not found", line);
    }
  }
}

// Gateways a VirtualService is bound to, one by one (Kiali compares hosts per gateway); no
// gateways is the mesh, as `mesh` is.
std::vector<std::string> bound_gateways(const Resource& service) {
  std::vector<std::string> gateways;
  service.spec()["gateways"].for_each_item([&](const Node& node) {
    if (node.str() == "mesh") gateways.emplace_back("mesh");
  });
  for (const auto& ref : gateway_refs(service, false)) {
    const auto [ns, name] = kiali_gateway(ref);
    gateways.push_back(ns + "/" + name);
  }
  if (gateways.empty()) gateways.emplace_back("mesh");
  return gateways;
}

// A host as Kiali groups it: the namespace part of its FQDN (empty for names outside the cluster
// domain) and the service part (`*` for a namespace wildcard).
std::pair<std::string, std::string> namespace_and_service(const std::string& fqdn) {
  if (auto parts = cluster_name_parts(fqdn)) return {parts->namespace_, parts->service};
  return {"", fqdn};
}

// KIA1106: VirtualServices bound to a same gateway defining the same host, or, in one
// namespace, a namespace wildcard host (`*.ns.svc.cluster.local`, or `*` in that namespace)
// beside other hosts of it. A VirtualService none of whose hosts the Sidecar of its namespace
// imports is left out, as Kiali does.
void check_virtual_service_multi_match(const CheckContext& context) {
  const KialiImportScopes scopes(context.index);
  // gateway|namespace → service → VirtualServices naming it
  std::map<std::string, std::map<std::string, std::vector<const Resource*>>> groups;
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    const auto hosts = service->spec()["hosts"].strings();
    if (!scopes.imports_any(service->namespace_, hosts)) continue;
    for (const auto& host : hosts) {
      // `*` covers every host of the VirtualService's namespace as a namespace wildcard does
      const auto [ns, name] =
          host == "*" ? std::pair<std::string, std::string>{service->namespace_, "*"}
                      : namespace_and_service(kiali_fqdn(context.index, host, service->namespace_));
      for (const auto& gateway : bound_gateways(*service)) {
        groups[gateway + "|" + ns][name].push_back(service);
      }
    }
  }
  std::set<const Resource*> colliding;
  for (const auto& [group, services] : groups) {
    const bool wildcard_beside_others = services.contains("*") && services.size() > 1;
    for (const auto& [name, declaring] : services) {
      if (declaring.size() > 1 || wildcard_beside_others)
        colliding.insert(declaring.begin(), declaring.end());
    }
  }
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    if (colliding.contains(service))
      context.sink.add(*service, "KIA1106", "More than one Virtual Service for same host");
  }
}

}  // namespace

void check_kiali_virtual_services(const CheckContext& context) {
  const KialiSubsets subsets(context.index);
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    check_gateways(context, *service);
    check_routes(context, subsets, *service);
  }
  check_virtual_service_multi_match(context);
}

}  // namespace getmesh::validate
