#include "validate/checks/checks.hpp"
#include "validate/checks/routes.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

bool binds_mesh(const Resource& service) {
  const auto gateways = service.spec()["gateways"].strings();
  return gateways.empty() || std::find(gateways.begin(), gateways.end(), "mesh") != gateways.end();
}

// The first names, comma-separated, and how many more there are: every conflicting VirtualService
// gets a finding, so listing all of them in each would grow quadratically.
std::string first_names(const std::vector<std::string>& names) {
  constexpr std::size_t kListed = 10;
  if (names.size() <= kListed) return join(names, ",");
  const std::vector<std::string> first(names.begin(), names.begin() + kListed);
  return join(first, ",") + " and " + std::to_string(names.size() - kListed) + " more";
}

// IST0109: mesh-bound VirtualServices defining the same host in overlapping exportTo scopes.
void check_mesh_host_conflicts(const CheckContext& context) {
  std::unordered_map<std::string, std::vector<const Resource*>> by_host;
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    if (!binds_mesh(*service)) continue;
    auto scopes = service->spec()["exportTo"].strings();
    if (scopes.empty()) scopes = {"*"};
    for (auto& scope : scopes) scope = scope == "." ? service->namespace_ : scope;
    for (const auto& host : service->spec()["hosts"].strings()) {
      for (const auto& scope : scopes)
        by_host[expand_host(host, service->namespace_) + "|" + scope].push_back(service);
    }
  }
  // Wildcard hosts exported everywhere also cover the hosts they match in narrower scopes.
  std::vector<std::pair<std::string, const std::vector<const Resource*>*>> wildcards;
  for (const auto& [key, services] : by_host) {
    if (key.starts_with("*") && key.ends_with("|*"))
      wildcards.emplace_back(key.substr(0, key.size() - 2), &services);
  }
  std::unordered_map<const Resource*, std::set<std::string>> reported;
  for (const auto& [key, services] : by_host) {
    const auto host = key.substr(0, key.find('|'));
    std::vector<const Resource*> conflicting = services;
    if (!key.ends_with("|*")) {
      for (const auto& [wildcard, covering] : wildcards) {
        if (wildcard_match(wildcard, host))
          conflicting.insert(conflicting.end(), covering->begin(), covering->end());
      }
      if (const auto star = by_host.find(host + "|*");
          star != by_host.end() && !host.starts_with("*"))
        conflicting.insert(conflicting.end(), star->second.begin(), star->second.end());
    }
    std::sort(conflicting.begin(), conflicting.end());
    conflicting.erase(std::unique(conflicting.begin(), conflicting.end()), conflicting.end());
    if (conflicting.size() < 2) continue;
    std::vector<std::string> names;
    for (const auto* service : conflicting) names.push_back(qualified(*service));
    std::sort(names.begin(), names.end());
    const auto message = "The VirtualServices " + first_names(names) +
                         " associated with mesh gateway define the same host " + host +
                         " which can lead to undefined behavior. This can be fixed by merging the "
                         "conflicting VirtualServices into a single resource.";
    for (const auto* service : conflicting) {
      if (!reported[service].insert(host).second) continue;
      context.sink.add(*service, "IST0109", message);
    }
  }
}

// The hosts of `gateway`'s servers that a VirtualService in `namespace_` may bind to.
std::vector<std::string> gateway_hosts(const Resource& gateway, const std::string& namespace_) {
  std::vector<std::string> hosts;
  gateway.spec()["servers"].for_each_item([&](const Node& server) {
    for (const auto& host : server["hosts"].strings()) {
      const auto slash = host.find('/');
      if (slash == std::string::npos) {
        hosts.push_back(host);
        continue;
      }
      const auto ns = host.substr(0, slash);
      if (ns == "*" || ns == namespace_ || (ns == "." && gateway.namespace_ == namespace_)) {
        hosts.push_back(host.substr(slash + 1));
      }
    }
  });
  return hosts;
}

// The host names a Kubernetes Gateway's listeners serve; a listener without one serves all.
std::vector<std::string> listener_hosts(const Resource& gateway) {
  std::vector<std::string> hosts;
  gateway.spec()["listeners"].for_each_item([&](const Node& listener) {
    const auto& hostname = listener["hostname"];
    hosts.push_back(hostname.str().empty() ? "*" : hostname.str());
  });
  return hosts;
}

// IST0132: a VirtualService bound to a gateway that serves none of its hosts.
void check_hosts_in_gateways(const CheckContext& context) {
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    const auto hosts = service->spec()["hosts"].strings();
    for (const auto& ref : gateway_refs(*service, false)) {
      if (internal_gateway_ref(ref)) continue;
      std::vector<std::string> served;
      if (const auto* gateway = context.index.find(Kind::kGateway, ref.namespace_, ref.name)) {
        served = gateway_hosts(*gateway, service->namespace_);
      } else if (const auto* k8s = kubernetes_gateway(context.index, ref.namespace_, ref.name)) {
        served = listener_hosts(*k8s);
      }
      std::vector<std::string> missing;
      for (const auto& host : hosts) {
        const bool found = std::any_of(
            served.begin(), served.end(),
            [&](const std::string& server_host) { return hosts_overlap(server_host, host); });
        if (!found) missing.push_back(host);
      }
      if (missing.size() == hosts.size() && !hosts.empty()) {
        context.sink.add(*service, "IST0132",
                         "one or more host [" + join(missing, ",") +
                             "] defined in VirtualService " + qualified(*service) +
                             " not found in Gateway " + ref.namespace_ + "/" + ref.name + ".",
                         ref.node->line());
      }
    }
  }
}

// IST0140: subsets of mesh routing rules do not apply to requests entering through a gateway.
void check_ingress_subsets(const CheckContext& context) {
  std::unordered_map<std::string, const Resource*> subset_routers;  // host → VirtualService
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    const auto hosts = service->spec()["hosts"].strings();
    for (const auto& destination : route_destinations(*service)) {
      if (destination.subset.empty()) continue;
      if (std::find(hosts.begin(), hosts.end(), destination.host) != hosts.end()) {
        subset_routers.emplace(destination.host, service);
      }
    }
  }
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    if (service->spec()["gateways"].empty()) continue;
    for (const auto& destination : route_destinations(*service)) {
      if (!destination.subset.empty() || destination.path.find("spec.http") != 0) continue;
      const auto found = subset_routers.find(destination.host);
      if (found == subset_routers.end() || found->second == service) continue;
      context.sink.add(*service, "IST0140",
                       "Subset in virtual service " + qualified(*found->second) +
                           " has no effect on ingress gateway " + qualified(*service) + " requests",
                       destination.node->line());
    }
  }
}

// IST0165: references to gateways Istio generates for Kubernetes Gateway API objects.
void check_internal_gateways(const CheckContext& context) {
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    for (const auto& ref : gateway_refs(*service, true)) {
      if (internal_gateway_ref(ref)) {
        context.sink.add(*service, "IST0165",
                         "Ingress or Gateway API VirtualService references internal gateway " +
                             quote(ref.text) + "; reference the Gateway API Gateway instead",
                         ref.node->line());
      }
    }
  }
}

}  // namespace

void check_virtual_service_conflicts(const CheckContext& context) {
  check_mesh_host_conflicts(context);
  check_hosts_in_gateways(context);
  check_ingress_subsets(context);
  check_internal_gateways(context);
}

}  // namespace getmesh::validate
