#include "validate/checks/gateway_api.hpp"

#include "validate/label_selector.hpp"
#include "validate/schema/report.hpp"

#include <algorithm>

namespace getmesh::validate {

namespace {

ObjectReference reference(const Node& node, std::string path, const Resource& from,
                          std::string_view default_group, std::string_view default_kind) {
  ObjectReference ref;
  ref.node = &node;
  ref.path = std::move(path);
  ref.group = node.has("group") ? node["group"].str() : std::string(default_group);
  ref.kind = node.has("kind") ? node["kind"].str() : std::string(default_kind);
  ref.namespace_ = node["namespace"].empty() ? from.namespace_ : node["namespace"].str();
  ref.name = node["name"].str();
  ref.section = node["sectionName"].str();
  ref.port = node["port"].as_int();
  return ref;
}

void add_mirrors(std::vector<ObjectReference>& out, const Node& filters, const std::string& path,
                 const Resource& route) {
  std::size_t index = 0;
  filters.for_each_item([&](const Node& filter) {
    const auto& backend = filter["requestMirror"]["backendRef"];
    const auto filter_path = schema::item(path, index++);
    if (backend.is_map())
      out.push_back(
          reference(backend, filter_path + ".requestMirror.backendRef", route, "", "Service"));
  });
}

// A namespace's labels, with the one Kubernetes sets on every namespace; nullopt when unknown.
std::optional<Labels> namespace_labels(const ResourceIndex& index, std::string_view name) {
  Labels labels = {{"kubernetes.io/metadata.name", std::string(name)}};
  if (const auto* ns = index.find(Kind::kNamespace, "", name)) {
    labels.insert(labels.end(), ns->labels.begin(), ns->labels.end());
    return labels;
  }
  if (!index.knows(Kind::kNamespace)) return std::nullopt;
  return labels;
}

// allowedRoutes / allowedListeners: "Same" (the owner's namespace), "All", "Selector" or "None".
bool namespaces_admit(const ResourceIndex& index, const Node& namespaces,
                      std::string_view default_from, std::string_view owner_namespace,
                      std::string_view candidate) {
  const auto from =
      namespaces["from"].empty() ? std::string(default_from) : namespaces["from"].str();
  if (from == "All") return true;
  if (from == "Same") return candidate == owner_namespace;
  if (from != "Selector") return false;
  const auto labels = namespace_labels(index, candidate);
  return !labels || label_selector_matches(namespaces["selector"], *labels);
}

void add_listeners(std::vector<Listener>& out, const Resource& owner) {
  std::size_t index = 0;
  owner.spec()["listeners"].for_each_item([&](const Node& listener) {
    out.push_back({&owner, &listener, schema::item("spec.listeners", index++),
                   listener["name"].str(), listener["hostname"].str(), listener["protocol"].str(),
                   listener["port"].as_int().value_or(0)});
  });
}

}  // namespace

std::vector<ObjectReference> parent_refs(const Resource& route) {
  std::vector<ObjectReference> refs;
  std::size_t index = 0;
  route.spec()["parentRefs"].for_each_item([&](const Node& ref) {
    refs.push_back(reference(ref, schema::item("spec.parentRefs", index++), route, kGatewayApiGroup,
                             "Gateway"));
  });
  return refs;
}

std::vector<ObjectReference> backend_refs(const Resource& route) {
  std::vector<ObjectReference> refs;
  std::size_t rule_index = 0;
  route.spec()["rules"].for_each_item([&](const Node& rule) {
    const auto rule_path = schema::item("spec.rules", rule_index++);
    add_mirrors(refs, rule["filters"], rule_path + ".filters", route);
    std::size_t index = 0;
    rule["backendRefs"].for_each_item([&](const Node& ref) {
      const auto path = schema::item(rule_path + ".backendRefs", index++);
      refs.push_back(reference(ref, path, route, "", "Service"));
      add_mirrors(refs, ref["filters"], path + ".filters", route);
    });
  });
  return refs;
}

std::vector<ObjectReference> certificate_refs(const Resource& gateway) {
  std::vector<ObjectReference> refs;
  std::size_t listener_index = 0;
  gateway.spec()["listeners"].for_each_item([&](const Node& listener) {
    const auto path = schema::item("spec.listeners", listener_index++) + ".tls.certificateRefs";
    std::size_t index = 0;
    listener["tls"]["certificateRefs"].for_each_item([&](const Node& ref) {
      refs.push_back(reference(ref, schema::item(path, index++), gateway, "", "Secret"));
    });
  });
  return refs;
}

std::optional<ObjectReference> listener_set_parent(const Resource& listener_set) {
  const auto& parent = listener_set.spec()["parentRef"];
  if (!parent.is_map()) return std::nullopt;
  return reference(parent, "spec.parentRef", listener_set, kGatewayApiGroup, "Gateway");
}

bool admits_listener_sets(const ResourceIndex& index, const Resource& gateway,
                          std::string_view namespace_) {
  return namespaces_admit(index, gateway.spec()["allowedListeners"]["namespaces"], "None",
                          gateway.namespace_, namespace_);
}

std::vector<Listener> listeners_of(const ResourceIndex& index, const Resource& gateway) {
  std::vector<Listener> listeners;
  add_listeners(listeners, gateway);
  for (const auto* set : index.of_kind(Kind::kListenerSet)) {
    const auto parent = listener_set_parent(*set);
    if (parent && parent->is(kGatewayApiGroup, "Gateway") && parent->name == gateway.name &&
        parent->namespace_ == gateway.namespace_ &&
        admits_listener_sets(index, gateway, set->namespace_)) {
      add_listeners(listeners, *set);
    }
  }
  return listeners;
}

bool reference_granted(const ResourceIndex& index, std::string_view from_kind,
                       std::string_view from_namespace, const ObjectReference& to) {
  if (to.namespace_ == from_namespace) return true;
  for (const auto* grant : index.in_namespace(Kind::kReferenceGrant, to.namespace_)) {
    bool from_ok = false;
    grant->spec()["from"].for_each_item([&](const Node& from) {
      from_ok =
          from_ok || (from["group"].str() == kGatewayApiGroup && from["kind"].str() == from_kind &&
                      from["namespace"].str() == from_namespace);
    });
    if (!from_ok) continue;
    bool to_ok = false;
    grant->spec()["to"].for_each_item([&](const Node& target) {
      to_ok = to_ok || (target["group"].str() == to.group && target["kind"].str() == to.kind &&
                        (target["name"].empty() || target["name"].str() == to.name));
    });
    if (to_ok) return true;
  }
  return false;
}

bool listener_admits_namespace(const ResourceIndex& index, const Listener& listener,
                               std::string_view route_namespace) {
  return namespaces_admit(index, (*listener.node)["allowedRoutes"]["namespaces"], "Same",
                          listener.owner->namespace_, route_namespace);
}

bool listener_admits_kind(const Listener& listener, Kind route_kind) {
  const auto route = kind_name(route_kind);
  const auto& kinds = (*listener.node)["allowedRoutes"]["kinds"];
  if (kinds.is_sequence() && kinds.size() > 0) {
    bool listed = false;
    kinds.for_each_item([&](const Node& kind) {
      const auto group = kind.has("group") ? kind["group"].str() : std::string(kGatewayApiGroup);
      listed = listed || (group == kGatewayApiGroup && kind["kind"].str() == route);
    });
    return listed;
  }
  const auto& protocol = listener.protocol;
  if (protocol == "HTTP" || protocol == "HTTPS")
    return route_kind == Kind::kHTTPRoute || route_kind == Kind::kGRPCRoute;
  if (protocol == "TLS")
    return route_kind == Kind::kTLSRoute ||
           ((*listener.node)["tls"]["mode"].str() != "Passthrough" &&
            route_kind == Kind::kTCPRoute);
  if (protocol == "TCP") return route_kind == Kind::kTCPRoute;
  if (protocol == "UDP") return false;
  return true;  // HBONE and implementation-specific protocols
}

bool listener_matches_hostnames(const Listener& listener,
                                const std::vector<std::string>& hostnames) {
  if (listener.hostname.empty() || hostnames.empty()) return true;
  return std::any_of(hostnames.begin(), hostnames.end(), [&](const std::string& hostname) {
    return hosts_overlap(listener.hostname, hostname);
  });
}

bool is_builtin_gateway_class(std::string_view name) {
  return name == "istio" || name == "istio-remote" || name == "istio-waypoint" ||
         name == "istio-east-west";
}

void predict_condition(const CheckContext& context, const Resource& resource, int line,
                       std::string_view condition, const std::string& why) {
  if (!resource.document["status"].empty()) return;
  context.sink.add(resource, "IST0171",
                   "Istio would report " + std::string(condition) + " on this " +
                       std::string(kind_name(resource.kind)) + ": " + why,
                   line);
}

}  // namespace getmesh::validate
