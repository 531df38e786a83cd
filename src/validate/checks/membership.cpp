#include "validate/checks/membership.hpp"

namespace getmesh::validate {

namespace {

bool has_sidecar(const Workload& workload) {
  bool found = false;
  (*workload.pod_spec)["containers"].for_each_item([&](const Node& container) {
    found =
        found || (container["name"].str() == "istio-proxy" && !container["image"].str().empty());
  });
  return found;
}

// The pod template's metadata (Deployments) or the pod's own.
const Node& pod_metadata(const Workload& workload) {
  const auto& resource = *workload.resource;
  return resource.kind == Kind::kDeployment ? resource.spec()["template"]["metadata"]
                                            : resource.metadata();
}

}  // namespace

bool ambient_namespace(const Resource& ns) {
  const auto* mode = ns.label("istio.io/dataplane-mode");
  const auto* injection = ns.label("istio-injection");
  return mode != nullptr && *mode == "ambient" &&
         (injection == nullptr || *injection != "enabled") && ns.label("istio.io/rev") == nullptr;
}

bool in_ambient(const ResourceIndex& index, const Workload& workload) {
  if (const auto* mode = workload.label("istio.io/dataplane-mode")) return *mode == "ambient";
  if (has_sidecar(workload)) return false;
  const auto* ns = index.find(Kind::kNamespace, "", workload.namespace_);
  return ns != nullptr && ambient_namespace(*ns);
}

bool in_mesh(const ResourceIndex& index, const Workload& workload) {
  if (has_sidecar(workload)) return true;
  const auto& metadata = pod_metadata(workload);
  for (const char* field : {"labels", "annotations"}) {
    if (const auto* inject = metadata[field].find("sidecar.istio.io/inject"))
      return inject->str() == "true";
  }
  const auto* ns = index.find(Kind::kNamespace, "", workload.namespace_);
  if (ns == nullptr) return !index.knows(Kind::kNamespace);
  const auto* injection = ns->label("istio-injection");
  return (injection != nullptr && *injection == "enabled") || ns->label("istio.io/rev") != nullptr;
}

}  // namespace getmesh::validate
