#pragma once

#include "validate/checks/checks.hpp"
#include "validate/index.hpp"

#include <getmesh/validate/resource.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What the Gateway API checks share: references with the CRDs' defaults applied, the listeners a
// Gateway ends up with, ReferenceGrants and listener admission.
namespace getmesh::validate {

inline constexpr std::string_view kGatewayApiGroup = "gateway.networking.k8s.io";

// A reference from a Gateway API object to another object, defaults applied.
struct ObjectReference {
  const Node* node = nullptr;  // the reference map
  std::string path;            // "spec.rules[0].backendRefs[1]"
  std::string group;
  std::string kind;
  std::string namespace_;  // the referrer's namespace when unset
  std::string name;
  std::string section;  // sectionName
  std::optional<std::int64_t> port;
  [[nodiscard]] std::string text() const { return namespace_ + "/" + name; }
  [[nodiscard]] bool is(std::string_view of_group, std::string_view of_kind) const {
    return group == of_group && kind == of_kind;
  }
};

// spec.parentRefs of a route (default: a Gateway).
std::vector<ObjectReference> parent_refs(const Resource& route);
// The backendRefs of every rule and the backends of RequestMirror filters (default: a Service).
std::vector<ObjectReference> backend_refs(const Resource& route);
// The listeners' tls.certificateRefs of a Gateway or ListenerSet (default: a Secret).
std::vector<ObjectReference> certificate_refs(const Resource& gateway);
// spec.parentRef of a ListenerSet (default: a Gateway).
std::optional<ObjectReference> listener_set_parent(const Resource& listener_set);

// One listener of a Gateway: its own, or one of a ListenerSet attached to it.
struct Listener {
  const Resource* owner = nullptr;  // the Gateway or the ListenerSet
  const Node* node = nullptr;
  std::string path;  // "spec.listeners[1]"
  std::string name;
  std::string hostname;  // "" when unset
  std::string protocol;
  std::int64_t port = 0;
};

// The listeners of `gateway`: its own, then those of the ListenerSets whose parentRef names it and
// that its allowedListeners admit.
std::vector<Listener> listeners_of(const ResourceIndex& index, const Resource& gateway);

// Whether `gateway`'s spec.allowedListeners admits ListenerSets of `namespace_`.
bool admits_listener_sets(const ResourceIndex& index, const Resource& gateway,
                          std::string_view namespace_);

// Whether a ReferenceGrant in the target's namespace lets objects of `from_kind` in
// `from_namespace` refer to `to` (same-namespace references need none).
bool reference_granted(const ResourceIndex& index, std::string_view from_kind,
                       std::string_view from_namespace, const ObjectReference& to);

// Whether `listener` accepts routes from namespace `route_namespace` (allowedRoutes.namespaces).
// A label selector on namespaces whose labels are unknown (no Namespace objects) admits.
bool listener_admits_namespace(const ResourceIndex& index, const Listener& listener,
                               std::string_view route_namespace);
// Whether `listener` accepts routes of `route_kind` (allowedRoutes.kinds, else by protocol).
bool listener_admits_kind(const Listener& listener, Kind route_kind);
// Whether a route with `hostnames` (none: any) can match `listener`'s hostname.
bool listener_matches_hostnames(const Listener& listener,
                                const std::vector<std::string>& hostnames);

// The GatewayClasses istiod creates itself, which files need not define.
bool is_builtin_gateway_class(std::string_view name);

// IST0171 for the negative status condition Istio's controller would write on `resource`
// ("Accepted=False (NotAllowedByListeners)"), predicted from the configuration. Skipped for objects
// that carry a controller's status: their real conditions are reported from it.
void predict_condition(const CheckContext& context, const Resource& resource, int line,
                       std::string_view condition, const std::string& why);

}  // namespace getmesh::validate
