#include <getmesh/mesh/identity.hpp>
#include <getmesh/mesh/state.hpp>

#include <future>

namespace getmesh::mesh {

namespace {

constexpr long kVersionTimeoutMs = 5000;

kube::ListOptions istiod_selector() {
  kube::ListOptions options;
  options.label_selector = "app=istiod";
  return options;
}

using Items = Result<std::vector<nlohmann::json>>;

std::future<Items> list_async(const kube::Client& client, std::string path,
                              kube::ListOptions options) {
  return std::async(std::launch::async, [&client, path = std::move(path), options] {
    return client.list(path, options);
  });
}

// Deployments add revisions scaled to zero; without permission to list them, pods suffice.
std::vector<ControlPlane> planes_of(const Items& pods, const Items& deployments) {
  return control_planes_from(*pods, deployments ? *deployments : std::vector<nlohmann::json>{});
}

}  // namespace

Result<std::vector<ControlPlane>> read_control_planes(const kube::Client& client,
                                                      const std::string& istio_namespace) {
  auto deployments = list_async(
      client, kube::resource_path("apps/v1", "deployments", istio_namespace), istiod_selector());
  auto pods = client.list(kube::resource_path("", "pods", istio_namespace), istiod_selector());
  auto listed_deployments = deployments.get();
  if (!pods) return pods.error();
  return planes_of(pods, listed_deployments);
}

Result<MeshState> read_mesh(const kube::Client& client, const std::string& istio_namespace) {
  MeshState state;
  state.istio_namespace = istio_namespace;
  auto version = client.server_version(kVersionTimeoutMs);
  if (!version) return version.error();
  state.kubernetes = *version;
  auto identity = std::async(std::launch::async, [&client, &version, &istio_namespace] {
    return read_identity(client, *version, istio_namespace);
  });
  // The lists go out at once: a slow API server costs one round trip, not one per list.
  auto istiod_pods =
      list_async(client, kube::resource_path("", "pods", istio_namespace), istiod_selector());
  auto deployments = list_async(
      client, kube::resource_path("apps/v1", "deployments", istio_namespace), istiod_selector());
  auto all_pods = client.list(kube::resource_path("", "pods"));
  auto pods = istiod_pods.get();
  auto listed_deployments = deployments.get();
  auto [platform, owner] = identity.get();
  if (!pods) return pods.error();
  if (!all_pods) return all_pods.error();
  state.platform = std::move(platform);
  state.owner = std::move(owner);
  state.control_planes = planes_of(pods, listed_deployments);
  if (state.owner.kind == OwnerKind::kNone && !state.control_planes.empty()) {
    // istiod pods run, but no Deployment of theirs could be read (permissions, or bare pods).
    state.owner = {OwnerKind::kUnknown, "revision " + state.control_planes.front().revision,
                   "no istiod Deployment could be read", "", ""};
  }
  state.data_plane = data_plane_from(*all_pods);
  return state;
}

}  // namespace getmesh::mesh
