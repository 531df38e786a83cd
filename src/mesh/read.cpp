#include <getmesh/mesh/state.hpp>

namespace getmesh::mesh {

namespace {

constexpr long kVersionTimeoutMs = 5000;

kube::ListOptions istiod_selector() {
  kube::ListOptions options;
  options.label_selector = "app=istiod";
  return options;
}

}  // namespace

Result<std::vector<ControlPlane>> read_control_planes(const kube::Client& client,
                                                      const std::string& istio_namespace) {
  auto pods = client.list(kube::resource_path("", "pods", istio_namespace), istiod_selector());
  if (!pods) return pods.error();
  // Deployments add revisions scaled to zero; without permission to list them, pods suffice.
  auto deployments = client.list(kube::resource_path("apps/v1", "deployments", istio_namespace),
                                 istiod_selector());
  return control_planes_from(*pods, deployments ? *deployments : std::vector<nlohmann::json>{});
}

Result<MeshState> read_mesh(const kube::Client& client, const std::string& istio_namespace) {
  MeshState state;
  state.istio_namespace = istio_namespace;
  auto version = client.server_version(kVersionTimeoutMs);
  if (!version) return version.error();
  state.kubernetes = *version;
  auto planes = read_control_planes(client, istio_namespace);
  if (!planes) return planes.error();
  state.control_planes = std::move(*planes);
  auto pods = client.list(kube::resource_path("", "pods"));
  if (!pods) return pods.error();
  state.data_plane = data_plane_from(*pods);
  return state;
}

}  // namespace getmesh::mesh
