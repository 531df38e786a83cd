// Istio annotations on Namespaces, Services, Pods and Deployments (their own and their pod
// template's), against Istio's registry: unknown (IST0108), misplaced (IST0107), invalid values
// (IST0125), deprecated (IST0135) and, when asked, alpha-phase (IST0136).
#include "validate/checks/annotation_values.hpp"
#include "validate/checks/checks.hpp"
#include "validate/istio_registry.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

constexpr std::string_view kInject = "sidecar.istio.io/inject";

// Annotations in Istio's namespace (a prefix ending in istio.io), and the one Kubernetes annotation
// Istio documents.
bool istio_annotation(std::string_view key) {
  if (key == "kubernetes.io/ingress.class") return true;
  return key.substr(0, key.find('/')).ends_with("istio.io");
}

// Set by Istio itself rather than by users: never reported.
bool set_by_istio(std::string_view key) {
  return key == "sidecar.istio.io/status" || key == "gateway.istio.io/controller-version" ||
         key == "istio.io/rev";
}

// Set by the injector on every pod when the CNI plugin is not used (an istio-init container).
bool injector_default(std::string_view key) {
  return key == "sidecar.istio.io/interceptionMode" ||
         key == "traffic.sidecar.istio.io/includeInboundPorts" ||
         key == "traffic.sidecar.istio.io/excludeInboundPorts" ||
         key == "traffic.sidecar.istio.io/includeOutboundIPRanges";
}

bool has_istio_init(const Node* pod_spec) {
  bool found = false;
  if (pod_spec != nullptr) {
    (*pod_spec)["initContainers"].for_each_item(
        [&](const Node& container) { found = found || container["name"].str() == "istio-init"; });
  }
  return found;
}

// One set of annotations: an object's metadata, or a Deployment's pod template.
struct Annotated {
  const Resource& resource;  // where findings go
  std::string_view kind;     // the kind the annotations apply to ("Pod" for a pod template)
  const Node& metadata;
  const Node* pod_spec;  // for Pods and pod templates
};

std::string resources_text(std::string_view resources) {
  std::string text(resources);
  for (std::size_t at = text.find(','); at != std::string::npos; at = text.find(',', at + 2))
    text.replace(at, 1, ", ");
  return text;
}

void check_annotations(const CheckContext& context, const Annotated& target) {
  const auto& annotations = target.metadata["annotations"];
  const bool pod = target.kind == "Pod";
  for (const auto& [key, value] : annotations.entries()) {
    if (!istio_annotation(key) || set_by_istio(key)) continue;
    const int line = value.line();
    const auto* entry = find_annotation(key);
    if (entry == nullptr) {
      const auto* label = find_label(key);
      context.sink.add(
          target.resource, "IST0108",
          "Unknown annotation: " + key +
              (label != nullptr ? " (Istio knows it as a label: move it to labels)" : ""),
          line);
      continue;
    }
    if (context.index.options().alpha_annotations && entry->status == FeatureStatus::kAlpha &&
        !(pod && injector_default(key) && !has_istio_init(target.pod_spec))) {
      context.sink.add(target.resource, "IST0136",
                       "Annotation " + quote(key) +
                           " is part of an alpha-phase feature and may be incompletely supported.",
                       line);
    }
    if (entry->deprecated && !(key == kInject && target.metadata["labels"].has(kInject))) {
      const std::string extra =
          key == kInject ? " in favor of the \"sidecar.istio.io/inject\" label" : "";
      context.sink.add(target.resource, "IST0135",
                       "Annotation " + quote(key) + " has been deprecated" + extra +
                           " and may not work in future Istio versions.",
                       line);
    }
    if (!entry->applies_to(target.kind)) {
      context.sink.add(target.resource, "IST0107",
                       "Misplaced annotation: " + key + " can only be applied to " +
                           resources_text(entry->resources) +
                           (target.kind == "Deployment" && entry->applies_to("Pod")
                                ? " (put it on the pod template)"
                                : ""),
                       line);
      continue;
    }
    if (!value.is_scalar()) continue;
    if (auto problem = annotation_value_problem(key, value.str())) {
      context.sink.add(target.resource, "IST0125", "Invalid annotation " + key + ": " + *problem,
                       line);
    }
  }
}

}  // namespace

void check_istio_annotations(const CheckContext& context) {
  for (const auto kind : {Kind::kNamespace, Kind::kService, Kind::kPod, Kind::kDeployment}) {
    for (const auto* resource : context.index.of_kind(kind)) {
      const Node* pod_spec = kind == Kind::kPod ? &resource->spec() : nullptr;
      check_annotations(context, {*resource, kind_name(kind), resource->metadata(), pod_spec});
      if (kind == Kind::kDeployment) {
        const auto& pod_template = resource->spec()["template"];
        check_annotations(context,
                          {*resource, "Pod", pod_template["metadata"], &pod_template["spec"]});
      }
    }
  }
}

}  // namespace getmesh::validate
