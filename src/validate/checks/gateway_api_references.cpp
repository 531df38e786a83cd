// What Istio's Gateway API controller finds wrong in the references between Gateway API objects:
// IST0101 for references to objects that do not exist, and IST0171 for the negative status
// condition it would write (references across namespaces no ReferenceGrant allows, routes no
// listener accepts, ListenerSets their Gateway does not admit).
#include "validate/checks/checks.hpp"
#include "validate/checks/gateway_api.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

constexpr std::string_view kIstioGroup = "networking.istio.io";

void not_found(const CheckContext& context, const Resource& resource, const ObjectReference& ref,
               std::string_view what, const std::string& value) {
  context.sink.add(resource, "IST0101",
                   "Referenced " + std::string(what) + " not found: " + quote(value),
                   ref.node->line());
}

// A reference across namespaces that no ReferenceGrant allows.
void check_grant(const CheckContext& context, const Resource& from, const ObjectReference& ref) {
  if (reference_granted(context.index, kind_name(from.kind), from.namespace_, ref)) return;
  predict_condition(context, from, ref.node->line(), "ResolvedRefs=False (RefNotPermitted)",
                    "the reference to " + ref.kind + " " + ref.text() +
                        " crosses namespaces and no ReferenceGrant in namespace " + ref.namespace_ +
                        " allows it from " + std::string(kind_name(from.kind)) + "s of namespace " +
                        from.namespace_ + "; add one, or the reference is ignored");
}

// Why no listener of `gateway` accepts `route` through `ref`; empty when one does.
std::string unaccepted_reason(const CheckContext& context, const Resource& route,
                              const Resource& gateway, const ObjectReference& ref) {
  const auto hostnames = route.spec()["hostnames"].strings();
  std::string reason = "NoMatchingParent";
  int rank = 0;  // the most specific reason among the candidate listeners
  for (const auto& listener : listeners_of(context.index, gateway)) {
    if (!ref.section.empty() && listener.name != ref.section) continue;
    if (ref.port && listener.port != *ref.port) continue;
    if (!listener_admits_namespace(context.index, listener, route.namespace_) ||
        !listener_admits_kind(listener, route.kind)) {
      if (rank < 1) reason = "NotAllowedByListeners", rank = 1;
      continue;
    }
    if (!listener_matches_hostnames(listener, hostnames)) {
      if (rank < 2) reason = "NoMatchingListenerHostname", rank = 2;
      continue;
    }
    return {};
  }
  return reason;
}

void check_gateway_parent(const CheckContext& context, const Resource& route,
                          const ObjectReference& ref) {
  const auto* gateway = context.index.find(Kind::kKubernetesGateway, ref.namespace_, ref.name);
  if (gateway == nullptr) return not_found(context, route, ref, "gateway", ref.text());
  if (!ref.section.empty()) {
    bool found = false;
    for (const auto& listener : listeners_of(context.index, *gateway))
      found = found || listener.name == ref.section;
    if (!found) return not_found(context, route, ref, "listener", ref.text() + "/" + ref.section);
  }
  const auto reason = unaccepted_reason(context, route, *gateway, ref);
  if (reason.empty()) return;
  const auto why =
      reason == "NoMatchingListenerHostname"
          ? "no hostname of the route matches a listener of Gateway " + ref.text()
      : reason == "NotAllowedByListeners"
          ? "the listeners of Gateway " + ref.text() + " do not admit " +
                std::string(kind_name(route.kind)) + "s from namespace " + route.namespace_ +
                " (allowedRoutes)"
          : "Gateway " + ref.text() + " has no listener on the port the parentRef names";
  predict_condition(context, route, ref.node->line(), "Accepted=False (" + reason + ")",
                    why + "; the route is not attached there");
}

void check_route_references(const CheckContext& context, const Resource& route) {
  const auto& index = context.index;
  for (const auto& ref : parent_refs(route)) {
    if (ref.is(kGatewayApiGroup, "Gateway")) {
      check_gateway_parent(context, route, ref);
    } else if (ref.is(kGatewayApiGroup, "ListenerSet")) {
      if (index.find(Kind::kListenerSet, ref.namespace_, ref.name) == nullptr)
        not_found(context, route, ref, "ListenerSet", ref.text());
    } else if (ref.is("", "Service")) {
      if (index.knows(Kind::kService) &&
          index.find(Kind::kService, ref.namespace_, ref.name) == nullptr)
        not_found(context, route, ref, "service", ref.text());
    } else if (ref.is(kIstioGroup, "ServiceEntry")) {
      if (index.find(Kind::kServiceEntry, ref.namespace_, ref.name) == nullptr)
        not_found(context, route, ref, "ServiceEntry", ref.text());
    }
  }
  for (const auto& ref : backend_refs(route)) {
    if (ref.is("", "Service")) {
      if (index.knows(Kind::kService)) {
        const auto* service = index.service(ref.name + "." + ref.namespace_ + ".svc.cluster.local");
        if (service == nullptr) {
          not_found(context, route, ref, "backend service", ref.text());
          continue;
        }
        const bool has_port =
            !ref.port || service->ports.empty() ||
            std::any_of(service->ports.begin(), service->ports.end(),
                        [&](const ServicePort& port) { return port.number == *ref.port; });
        if (!has_port) {
          not_found(context, route, ref, "backend service port",
                    ref.text() + ":" + std::to_string(*ref.port));
        }
      }
    } else if (ref.is(kIstioGroup, "ServiceEntry")) {
      if (index.find(Kind::kServiceEntry, ref.namespace_, ref.name) == nullptr) {
        not_found(context, route, ref, "backend ServiceEntry", ref.text());
        continue;
      }
    } else {
      continue;  // Istio's Hostname backends, InferencePools and other implementations' kinds
    }
    check_grant(context, route, ref);
  }
}

void check_gateway_class_reference(const CheckContext& context, const Resource& gateway) {
  const auto& class_name = gateway.spec()["gatewayClassName"];
  if (class_name.is_scalar() && !is_builtin_gateway_class(class_name.str()) &&
      context.index.find(Kind::kGatewayClass, "", class_name.str()) == nullptr) {
    context.sink.add(gateway, "IST0101",
                     "Referenced GatewayClass not found: " + quote(class_name.str()),
                     class_name.line());
  }
}

// certificateRefs of a Gateway or a ListenerSet.
void check_certificates(const CheckContext& context, const Resource& owner) {
  for (const auto& ref : certificate_refs(owner)) {
    if (!ref.is("", "Secret")) continue;
    if (context.index.knows(Kind::kSecret) &&
        context.index.find(Kind::kSecret, ref.namespace_, ref.name) == nullptr) {
      not_found(context, owner, ref, "certificate Secret", ref.text());
      continue;
    }
    check_grant(context, owner, ref);
  }
}

void check_listener_set(const CheckContext& context, const Resource& set) {
  const auto parent = listener_set_parent(set);
  if (!parent || !parent->is(kGatewayApiGroup, "Gateway")) return;
  const auto* gateway =
      context.index.find(Kind::kKubernetesGateway, parent->namespace_, parent->name);
  if (gateway == nullptr) return not_found(context, set, *parent, "gateway", parent->text());
  if (!admits_listener_sets(context.index, *gateway, set.namespace_)) {
    predict_condition(context, set, parent->node->line(), "Accepted=False (NotAllowed)",
                      "Gateway " + parent->text() + " does not admit ListenerSets from namespace " +
                          set.namespace_ +
                          " (spec.allowedListeners, None by default); its listeners are not added");
  }
}

void check_backend_tls_policy(const CheckContext& context, const Resource& policy) {
  if (!context.index.knows(Kind::kService)) return;
  policy.spec()["targetRefs"].for_each_item([&](const Node& target) {
    if (!target["group"].empty() || target["kind"].str() != "Service") return;
    if (context.index.find(Kind::kService, policy.namespace_, target["name"].str()) == nullptr) {
      context.sink.add(policy, "IST0101",
                       "Referenced target service not found: " +
                           quote(policy.namespace_ + "/" + target["name"].str()),
                       target.line());
    }
  });
}

}  // namespace

void check_gateway_api_references(const CheckContext& context) {
  for (const auto kind : {Kind::kHTTPRoute, Kind::kGRPCRoute, Kind::kTCPRoute, Kind::kTLSRoute}) {
    for (const auto* route : context.index.of_kind(kind)) check_route_references(context, *route);
  }
  for (const auto* gateway : context.index.of_kind(Kind::kKubernetesGateway)) {
    check_gateway_class_reference(context, *gateway);
    check_certificates(context, *gateway);
  }
  for (const auto* set : context.index.of_kind(Kind::kListenerSet)) {
    check_listener_set(context, *set);
    check_certificates(context, *set);
  }
  for (const auto* policy : context.index.of_kind(Kind::kBackendTLSPolicy))
    check_backend_tls_policy(context, *policy);
}

}  // namespace getmesh::validate
