// Istio's ambient waypoints: the `istio.io/use-waypoint` label (on the kinds Istio's label registry
// lists for it, and on pod templates) must name a Gateway of a waypoint class (IST0101), and a
// Service or ServiceEntry must not use a waypoint that takes no service traffic (IST0171).
#include "validate/checks/checks.hpp"
#include "validate/checks/gateway_api.hpp"
#include "validate/istio_registry.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

constexpr std::string_view kUseWaypoint = "istio.io/use-waypoint";
constexpr std::string_view kUseWaypointNamespace = "istio.io/use-waypoint-namespace";

// istio-waypoint, or a GatewayClass of Istio's mesh controller.
bool is_waypoint(const ResourceIndex& index, const Resource& gateway) {
  const auto& class_name = gateway.spec()["gatewayClassName"].str();
  if (class_name == "istio-waypoint") return true;
  const auto* gateway_class = index.find(Kind::kGatewayClass, "", class_name);
  return gateway_class != nullptr &&
         gateway_class->spec()["controllerName"].str() == "istio.io/mesh-controller";
}

const std::string* label_in(const Labels& labels, std::string_view key) {
  for (const auto& [name, value] : labels) {
    if (name == key) return &value;
  }
  return nullptr;
}

// One use of the label: the object it is on (findings go there), its labels and namespace.
void check_use(const CheckContext& context, const Resource& resource, const Labels& labels,
               const std::string& namespace_, int line) {
  const auto* name = label_in(labels, kUseWaypoint);
  if (name == nullptr || name->empty() || *name == "none") return;
  const auto* ns_label = label_in(labels, kUseWaypointNamespace);
  const auto ns = ns_label != nullptr && !ns_label->empty() ? *ns_label : namespace_;
  const auto target = ns + "/" + *name;
  const auto* gateway = context.index.find(Kind::kKubernetesGateway, ns, *name);
  if (gateway == nullptr || !is_waypoint(context.index, *gateway)) {
    const auto why = gateway == nullptr ? std::string()
                                        : " (Gateway " + target + " is of class " +
                                              quote(gateway->spec()["gatewayClassName"].str()) +
                                              ", not istio-waypoint)";
    context.sink.add(resource, "IST0101", "Referenced waypoint not found: " + quote(target) + why,
                     line);
    return;
  }
  if (resource.kind != Kind::kService && resource.kind != Kind::kServiceEntry) return;
  const auto* traffic = gateway->label("istio.io/waypoint-for");
  if (traffic != nullptr && (*traffic == "workload" || *traffic == "none")) {
    predict_condition(context, resource, line, "istio.io/WaypointBound=False",
                      "waypoint " + target + " takes no service traffic (istio.io/waypoint-for: " +
                          *traffic + "); label the waypoint service or all");
  }
}

int label_line(const Node& metadata) {
  const auto* value = metadata["labels"].find(kUseWaypoint);
  return value != nullptr ? value->line() : metadata.line();
}

}  // namespace

void check_waypoints(const CheckContext& context) {
  const auto* registry = find_label(kUseWaypoint);
  for (const auto kind :
       {Kind::kNamespace, Kind::kService, Kind::kServiceEntry, Kind::kPod, Kind::kWorkloadEntry}) {
    if (registry == nullptr || !registry->applies_to(kind_name(kind))) continue;
    for (const auto* resource : context.index.of_kind(kind)) {
      const auto& ns = kind == Kind::kNamespace ? resource->name : resource->namespace_;
      check_use(context, *resource, resource->labels, ns, label_line(resource->metadata()));
    }
  }
  if (registry == nullptr || !registry->applies_to("Pod")) return;
  for (const auto* deployment : context.index.of_kind(Kind::kDeployment)) {
    const auto& metadata = deployment->spec()["template"]["metadata"];
    check_use(context, *deployment, metadata["labels"].string_map(), deployment->namespace_,
              label_line(metadata));
  }
}

}  // namespace getmesh::validate
