// Kiali's Gateway API checks (Kiali master): routes (KIA1401, KIA1402), Gateways (KIA1501-KIA1504)
// and ReferenceGrants (KIA1601).
#include "validate/checks/checks.hpp"
#include "validate/checks/gateway_api.hpp"

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace getmesh::validate {

namespace {

// KIA1401: the parent Gateway exists and is in the route's namespace or shares its listeners with
// it (allowedRoutes All, or a selector matching the route's namespace).
bool gateway_reachable(const CheckContext& context, const Resource& route,
                       const ObjectReference& ref) {
  const auto* gateway = context.index.find(Kind::kKubernetesGateway, ref.namespace_, ref.name);
  if (gateway == nullptr) return false;
  if (gateway->namespace_ == route.namespace_) return true;
  for (const auto& listener : listeners_of(context.index, *gateway)) {
    if (listener.owner == gateway &&
        listener_admits_namespace(context.index, listener, route.namespace_))
      return true;
  }
  return false;
}

void check_kiali_route(const CheckContext& context, const Resource& route) {
  for (const auto& ref : parent_refs(route)) {
    if (!ref.is(kGatewayApiGroup, "Gateway") || ref.name.empty()) continue;
    if (!gateway_reachable(context, route, ref)) {
      context.sink.add(route, "KIA1401",
                       "Route is pointing to a non-existent or inaccessible K8s gateway",
                       ref.node->line());
    }
  }
  if (!context.index.knows(Kind::kService)) return;
  // KIA1402: a Service the route sends to (backendRefs of its rules) or attaches to (a Service
  // parentRef, GAMMA) that does not exist in its namespace, is named with dots, or is in another
  // namespace without a ReferenceGrant letting routes of this kind and namespace refer to it.
  const std::string_view route_kind = route.kind == Kind::kGRPCRoute ? "GRPCRoute" : "HTTPRoute";
  const auto check_service = [&](const ObjectReference& ref) {
    const bool found =
        ref.name.find('.') == std::string::npos &&
        context.index.resolve_host(ref.name + "." + ref.namespace_ + ".svc.cluster.local",
                                   route.namespace_) != nullptr &&
        reference_granted(context.index, route_kind, route.namespace_, ref);
    if (!found) {
      context.sink.add(route, "KIA1402",
                       "Reference doesn't have a valid service (Service name not found)",
                       ref.node->line());
    }
  };
  for (auto ref : parent_refs(route)) {
    if (ref.kind != "Service" || (!ref.group.empty() && ref.group != "core")) continue;
    ref.group.clear();  // "core" is the core group's other spelling
    check_service(ref);
  }
  for (const auto& ref : backend_refs(route)) {
    // Kiali reads the backends of rules, not those of mirror filters
    if (ref.is("", "Service") && ref.path.find(".filters") == std::string::npos) check_service(ref);
  }
}

// KIA1501 and KIA1502: listeners (hostname, port, protocol) and addresses (type, value) that
// another Gateway also has; KIA1503: two listeners of one Gateway with the same combination.
void check_duplicates(const CheckContext& context) {
  std::map<std::string, std::set<const Resource*>> listeners;
  std::map<std::string, std::set<const Resource*>> addresses;
  const auto listener_key = [](const Node& listener) {
    return listener["hostname"].str() + "|" + listener["port"].str() + "|" +
           listener["protocol"].str();
  };
  const auto address_key = [](const Node& address) {
    const auto type = address["type"].empty() ? std::string("IPAddress") : address["type"].str();
    return type + "|" + address["value"].str();
  };
  const auto& gateways = context.index.of_kind(Kind::kKubernetesGateway);
  for (const auto* gateway : gateways) {
    gateway->spec()["listeners"].for_each_item([&](const Node& listener) {
      if (!listener["hostname"].empty()) listeners[listener_key(listener)].insert(gateway);
    });
    gateway->spec()["addresses"].for_each_item(
        [&](const Node& address) { addresses[address_key(address)].insert(gateway); });
  }
  for (const auto* gateway : gateways) {
    std::map<std::string, std::set<std::string>> names;  // combination → listener names
    gateway->spec()["listeners"].for_each_item([&](const Node& listener) {
      if (listener["hostname"].empty()) return;
      const auto key = listener_key(listener);
      if (listeners[key].size() > 1) {
        context.sink.add(*gateway, "KIA1501",
                         "More than one K8s Gateway for the same host port combination",
                         listener.line());
      }
      names[key].insert(listener["name"].str());
      if (names[key].size() > 1) {
        context.sink.add(
            *gateway, "KIA1503",
            "Each listener must have a unique combination of Hostname, Port, and Protocol",
            listener.line());
      }
    });
    gateway->spec()["addresses"].for_each_item([&](const Node& address) {
      if (addresses[address_key(address)].size() > 1) {
        context.sink.add(*gateway, "KIA1502",
                         "More than one K8s Gateway for the same address and type combination",
                         address.line());
      }
    });
  }
}

// KIA1504: the class is none Istio serves (its built-in classes and GatewayClasses with an
// istio.io controller), as Kiali's default configuration lists them.
void check_gateway_class(const CheckContext& context, const Resource& gateway) {
  const auto& name = gateway.spec()["gatewayClassName"];
  if (!name.is_scalar() || is_builtin_gateway_class(name.str())) return;
  const auto* gateway_class = context.index.find(Kind::kGatewayClass, "", name.str());
  if (gateway_class != nullptr &&
      gateway_class->spec()["controllerName"].str().starts_with("istio.io/"))
    return;
  context.sink.add(gateway, "KIA1504", "Gateway API Class not found in Kiali configuration",
                   name.line());
}

// KIA1601: a ReferenceGrant allowing references from a namespace that does not exist.
void check_reference_grant(const CheckContext& context, const Resource& grant) {
  if (!context.index.knows(Kind::kNamespace)) return;
  grant.spec()["from"].for_each_item([&](const Node& from) {
    if (!context.index.namespace_exists(from["namespace"].str())) {
      context.sink.add(grant, "KIA1601", "Namespace is not found or is not accessible",
                       from["namespace"].line());
    }
  });
}

}  // namespace

void check_kiali_gateway_api(const CheckContext& context) {
  for (const auto kind : {Kind::kHTTPRoute, Kind::kGRPCRoute}) {
    for (const auto* route : context.index.of_kind(kind)) check_kiali_route(context, *route);
  }
  check_duplicates(context);
  for (const auto* gateway : context.index.of_kind(Kind::kKubernetesGateway))
    check_gateway_class(context, *gateway);
  for (const auto* grant : context.index.of_kind(Kind::kReferenceGrant))
    check_reference_grant(context, *grant);
}

}  // namespace getmesh::validate
