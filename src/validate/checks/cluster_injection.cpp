// The sidecar injector's configuration (its ConfigMaps) against what runs: IST0158.
#include "validate/checks/checks.hpp"
#include "validate/checks/injector.hpp"
#include "validate/mesh_config.hpp"

#include <getmesh/core/strings.hpp>

#include <map>

namespace getmesh::validate {

const Resource* injector_config_map(const ResourceIndex& index, std::string_view revision) {
  auto name = std::string(kInjectorConfigMap);
  if (!revision.empty() && revision != "default") name += "-" + std::string(revision);
  for (const auto* config_map : index.of_kind(Kind::kConfigMap)) {
    if (config_map->name == name) return config_map;
  }
  return nullptr;
}

std::optional<Node> injector_values(const Resource& config_map) {
  return embedded_document(config_map.document["data"]["values"]);
}

bool namespaces_injected_by_default(const ResourceIndex& index) {
  const auto* config_map = injector_config_map(index, "");
  if (config_map == nullptr) return false;
  const auto values = injector_values(*config_map);
  return values &&
         (*values)["sidecarInjectorWebhook"]["enableNamespacesByDefault"].as_bool().value_or(false);
}

namespace {

// The proxy image the injector of a ConfigMap writes (global.proxy.image when it names a
// repository, else hub/image:tag) and the image variant its Helm values choose (global.variant).
struct InjectedImage {
  std::string image;
  std::string variant;
};

InjectedImage injected_image(const Resource& config_map) {
  const auto values = injector_values(config_map);
  if (!values) return {};
  const auto& global = (*values)["global"];
  const auto& image = global["proxy"]["image"].str();
  if (image.find('/') != std::string::npos) return {image, global["variant"].str()};
  return {global["hub"].str() + "/" + image + ":" + global["tag"].str(), global["variant"].str()};
}

// Whether a running proxy image is what the injector writes: the image itself or its variant
// (`-distroless`) chosen by the mesh config, a ProxyConfig, the pod or the injector's values.
bool injected_as(const std::string& running, const InjectedImage& injected,
                 const std::string& variant) {
  const auto is_variant = [&](const std::string& name) {
    return !name.empty() && running == injected.image + "-" + name;
  };
  return running == injected.image || is_variant(variant) || is_variant(injected.variant);
}

// The image variant ("distroless") a pod's proxy uses: the mesh default, overridden by the root
// namespace's ProxyConfig, the namespace's, a workload's selecting the pod, and the pod's
// `proxy.istio.io/config` annotation, in that order. "default" means none.
std::string image_type(const CheckContext& context, const Resource& pod) {
  auto variant = context.mesh().image_type;
  const auto apply = [&variant](const Node& proxy_config) {
    if (const auto& type = proxy_config["image"]["imageType"]; !type.str().empty())
      variant = type.str();
  };
  for (const auto* config :
       context.index.in_namespace(Kind::kProxyConfig, context.mesh().root_namespace)) {
    apply(config->spec());
  }
  if (pod.namespace_ != context.mesh().root_namespace) {
    for (const auto* config : context.index.in_namespace(Kind::kProxyConfig, pod.namespace_)) {
      if (config->spec()["selector"].is_null()) apply(config->spec());
    }
    for (const auto* config : context.index.in_namespace(Kind::kProxyConfig, pod.namespace_)) {
      const auto& selector = config->spec()["selector"]["matchLabels"];
      if (!selector.is_null() && selector_matches(selector.string_map(), pod.labels))
        apply(config->spec());
    }
  }
  if (const auto* annotation = pod.annotation("proxy.istio.io/config")) {
    Node text = Node::scalar(*annotation, false, 0);
    if (const auto config = embedded_document(text)) apply(*config);
  }
  return variant == "default" ? std::string() : variant;
}

// The revision whose injector serves a namespace, or nullopt when it is not injected.
std::optional<std::string> injection_revision(const Resource& ns) {
  if (const auto* revision = ns.label("istio.io/rev")) return *revision;
  const auto* injection = ns.label("istio-injection");
  if (injection != nullptr && *injection == "enabled") return std::string("default");
  return std::nullopt;
}

// IST0158: pods of injected namespaces whose proxy is not the image their injector writes.
void check_proxy_images(const CheckContext& context) {
  std::map<std::string, InjectedImage> images;  // injector ConfigMap name → image
  for (const auto* config_map : context.index.of_kind(Kind::kConfigMap)) {
    if (config_map->name.starts_with(kInjectorConfigMap))
      images.emplace(config_map->name, injected_image(*config_map));
  }
  if (images.empty()) return;
  std::map<const Resource*, std::vector<std::string>> mismatched;  // namespace → pod names
  for (const auto* pod : context.index.of_kind(Kind::kPod)) {
    const auto* ns = context.index.find(Kind::kNamespace, "", pod->namespace_);
    const auto revision = ns != nullptr ? injection_revision(*ns) : std::nullopt;
    if (!revision || pod->annotation("sidecar.istio.io/proxyImage") != nullptr) continue;
    const auto* config_map = injector_config_map(context.index, *revision);
    if (config_map == nullptr) continue;
    const auto& expected = images[config_map->name];
    const auto variant = image_type(context, *pod);
    bool differs = false;
    for (const char* list : {"containers", "initContainers"}) {
      pod->spec()[list].for_each_item([&](const Node& container) {
        if (container["name"].str() != "istio-proxy") return;
        differs = differs || !injected_as(container["image"].str(), expected, variant);
      });
    }
    if (differs) mismatched[ns].push_back(pod->name);
  }
  for (const auto& [ns, pods] : mismatched) {
    context.sink.add(*ns, "IST0158",
                     "The Istio proxy images of the pods running in the namespace do not match "
                     "the image defined in the injection configuration (pod names: [" +
                         join(pods, " ") +
                         "]). This often happens after upgrading the Istio control-plane and can "
                         "be fixed by redeploying the pods.");
  }
}

}  // namespace

void check_injector_config(const CheckContext& context) { check_proxy_images(context); }

}  // namespace getmesh::validate
