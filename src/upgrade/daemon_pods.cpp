#include "upgrade/daemon_pods.hpp"

#include <getmesh/kube/object.hpp>
#include <getmesh/upgrade/layout.hpp>

#include <string>
#include <vector>

namespace getmesh::upgrade::daemon_pods {

namespace {

using kube::text_at;
using nlohmann::json;

constexpr const char* kTemplateGenerationAnnotation = "deprecated.daemonset.template.generation";
constexpr const char* kPodTemplateGenerationLabel = "pod-template-generation";

std::vector<std::string> container_images(const json& pod_spec) {
  std::vector<std::string> images;
  if (!pod_spec.contains("containers") || !pod_spec["containers"].is_array()) return images;
  for (const auto& container : pod_spec["containers"])
    images.push_back(text_at(container, {"image"}));
  return images;
}

// Empty when the DaemonSet has none.
std::string daemon_set_template_generation(const json& daemon_set) {
  return text_at(daemon_set, {"metadata", "annotations", kTemplateGenerationAnnotation});
}

}  // namespace

bool runs_current_template(const json& pod, const json& daemon_set) {
  const auto generation = daemon_set_template_generation(daemon_set);
  if (!generation.empty() &&
      text_at(pod, {"metadata", "labels", kPodTemplateGenerationLabel}) == generation) {
    return true;
  }
  const auto pod_template =
      daemon_set.value("spec", json::object()).value("template", json::object());
  return container_images(pod.value("spec", json::object())) ==
             container_images(pod_template.value("spec", json::object())) &&
         text_at(pod, {"metadata", "annotations", kRevisionLabel}) ==
             text_at(pod_template, {"metadata", "annotations", kRevisionLabel});
}

}  // namespace getmesh::upgrade::daemon_pods
