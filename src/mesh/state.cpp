#include "mesh/object_fields.hpp"

#include <getmesh/mesh/image.hpp>
#include <getmesh/mesh/state.hpp>

#include <algorithm>
#include <map>
#include <tuple>

namespace getmesh::mesh {

namespace {

using nlohmann::json;

constexpr std::size_t kExamples = 3;

bool finished(const json& pod) {
  const auto phase = text_at(pod, {"status", "phase"});
  return phase == "Succeeded" || phase == "Failed";
}

const json* find_container(const json& spec, const char* list, const std::string& name) {
  if (!spec.is_object() || !spec.contains(list) || !spec[list].is_array()) return nullptr;
  for (const auto& container : spec[list]) {
    if (name.empty() || text_at(container, {"name"}) == name) return &container;
  }
  return nullptr;
}

// The version of a workload: its image tag, else the version labels Istio's charts set.
ImageVersion version_of(const std::string& image, const json& object) {
  auto parsed = parse_image(image);
  if (!parsed.name) {
    for (const char* name : {"app.kubernetes.io/version", "operator.istio.io/version"}) {
      if (auto from_label = parse_version_label(label(object, name))) {
        parsed.name = from_label;
        break;
      }
    }
  }
  return parsed;
}

void add_pod_version(ControlPlane& plane, const ImageVersion& version, const std::string& image) {
  const auto text = describe(version);
  plane.fips = (plane.pod_versions.empty() || plane.fips) && version.fips;
  if (std::find(plane.pod_versions.begin(), plane.pod_versions.end(), text) ==
      plane.pod_versions.end()) {
    plane.pod_versions.push_back(text);
  }
  if (plane.image.empty()) plane.image = image;
  if (version.name && (!plane.version || *version.name < *plane.version)) {
    plane.version = version.name;
    plane.version_text = text;
    plane.image = image;
  } else if (!plane.version && plane.version_text.empty()) {
    plane.version_text = text;
  }
}

std::string revision_of_proxy(const json& pod) {
  // Istio's gateway controller (waypoints) and the ztunnel chart name the serving revision in
  // the istio.io/rev annotation; a waypoint's label is its Gateway's, which may name a tag.
  const auto annotated = text_at(pod, {"metadata", "annotations", "istio.io/rev"});
  if (!annotated.empty() &&
      (!label(pod, "gateway.istio.io/managed").empty() || label(pod, "app") == "ztunnel")) {
    return annotated;
  }
  if (auto revision = label(pod, "istio.io/rev"); !revision.empty()) return revision;
  const auto status = text_at(pod, {"metadata", "annotations", "sidecar.istio.io/status"});
  const auto parsed = json::parse(status, nullptr, false);
  if (parsed.is_object() && parsed.contains("revision") && parsed["revision"].is_string() &&
      !parsed["revision"].get<std::string>().empty()) {
    return parsed["revision"].get<std::string>();
  }
  return kDefaultRevision;
}

}  // namespace

const ControlPlane* MeshState::control_plane(const std::string& revision) const {
  const auto found =
      std::find_if(control_planes.begin(), control_planes.end(),
                   [&](const ControlPlane& plane) { return plane.revision == revision; });
  return found == control_planes.end() ? nullptr : &*found;
}

int MeshState::proxy_count() const {
  int count = 0;
  for (const auto& group : data_plane) count += group.count;
  return count;
}

namespace {

FipsCoverage coverage(int fips, int total) {
  if (total == 0) return FipsCoverage::kNothingRuns;
  if (fips == total) return FipsCoverage::kAll;
  return fips == 0 ? FipsCoverage::kNone : FipsCoverage::kSome;
}

}  // namespace

std::string to_string(FipsCoverage coverage) {
  switch (coverage) {
    case FipsCoverage::kAll:
      return "yes";
    case FipsCoverage::kSome:
      return "partly";
    case FipsCoverage::kNone:
      return "no";
    case FipsCoverage::kNothingRuns:
      break;
  }
  return "n/a";
}

FipsCoverage MeshState::control_plane_fips() const {
  int fips = 0;
  for (const auto& plane : control_planes) fips += plane.fips ? 1 : 0;
  return coverage(fips, static_cast<int>(control_planes.size()));
}

FipsCoverage MeshState::data_plane_fips() const {
  int fips = 0;
  for (const auto& group : data_plane) fips += group.fips ? group.count : 0;
  return coverage(fips, proxy_count());
}

std::vector<ControlPlane> control_planes_from(const std::vector<json>& pods,
                                              const std::vector<json>& deployments) {
  std::map<std::string, ControlPlane> planes;
  const auto plane_for = [&](const std::string& revision) -> ControlPlane& {
    auto& plane = planes[revision.empty() ? std::string(kDefaultRevision) : revision];
    plane.revision = revision.empty() ? std::string(kDefaultRevision) : revision;
    return plane;
  };
  for (const auto& pod : pods) {
    if (finished(pod)) continue;
    const json* container = find_container(pod["spec"], "containers", "discovery");
    if (container == nullptr) container = find_container(pod["spec"], "containers", "");
    const auto image = container != nullptr ? text_at(*container, {"image"}) : std::string();
    auto& plane = plane_for(label(pod, "istio.io/rev"));
    ++plane.pods;
    add_pod_version(plane, version_of(image, pod), image);
  }
  for (const auto& deployment : deployments) {
    auto revision = label(deployment, "istio.io/rev");
    if (revision.empty())
      revision = text_at(deployment, {"spec", "template", "metadata", "labels", "istio.io/rev"});
    if (planes.contains(revision.empty() ? std::string(kDefaultRevision) : revision)) continue;
    const auto& spec = deployment.contains("spec") ? deployment["spec"] : json::object();
    const json pod_spec = spec.contains("template") && spec["template"].contains("spec")
                              ? spec["template"]["spec"]
                              : json::object();
    const json* container = find_container(pod_spec, "containers", "discovery");
    if (container == nullptr) container = find_container(pod_spec, "containers", "");
    const auto image = container != nullptr ? text_at(*container, {"image"}) : std::string();
    add_pod_version(plane_for(revision), version_of(image, deployment), image);
  }
  std::vector<ControlPlane> ordered;
  for (auto& [revision, plane] : planes) ordered.push_back(std::move(plane));
  std::stable_partition(ordered.begin(), ordered.end(), [](const ControlPlane& plane) {
    return plane.revision == kDefaultRevision;
  });
  return ordered;
}

std::optional<Proxy> proxy_of(const json& pod) {
  if (finished(pod) || !pod.contains("spec")) return std::nullopt;
  const auto& spec = pod["spec"];
  const bool ztunnel = label(pod, "app") == "ztunnel";
  const json* container = find_container(spec, "containers", "istio-proxy");
  const bool in_init = container == nullptr;
  if (container == nullptr) container = find_container(spec, "initContainers", "istio-proxy");
  if (container == nullptr && ztunnel) container = find_container(spec, "containers", "");
  if (container == nullptr) return std::nullopt;
  Proxy proxy;
  proxy.namespace_name = text_at(pod, {"metadata", "namespace"});
  proxy.pod = text_at(pod, {"metadata", "name"});
  proxy.image = text_at(*container, {"image"});
  proxy.kind = "sidecar";
  if (ztunnel) {
    proxy.kind = "ztunnel";
  } else if (!in_init && spec["containers"].size() == 1) {
    proxy.kind = "gateway";
  }
  const auto version = parse_image(proxy.image);  // sidecar labels describe the app, not Istio
  proxy.version = version.name;
  proxy.version_text = describe(version);
  proxy.fips = version.fips;
  proxy.revision = revision_of_proxy(pod);
  return proxy;
}

std::vector<ProxyGroup> data_plane_from(const std::vector<json>& pods) {
  std::map<std::tuple<std::string, std::string, std::string>, ProxyGroup> groups;
  for (const auto& pod : pods) {
    auto proxy = proxy_of(pod);
    if (!proxy) continue;
    auto& group = groups[{proxy->version_text, proxy->kind, proxy->revision}];
    group.version = proxy->version;
    group.version_text = proxy->version_text;
    group.kind = proxy->kind;
    group.revision = proxy->revision;
    group.image = proxy->image;
    group.fips = proxy->fips;
    ++group.count;
    if (group.examples.size() < kExamples) {
      group.examples.push_back(proxy->namespace_name + "/" + proxy->pod);
    }
  }
  std::vector<ProxyGroup> ordered;
  for (auto& [key, group] : groups) ordered.push_back(std::move(group));
  return ordered;
}

}  // namespace getmesh::mesh
