#include <getmesh/mesh/identity.hpp>

#include <future>

namespace getmesh::mesh {

namespace {

using nlohmann::json;
using Items = Result<std::vector<json>>;

// Group name → preferred group version, from /apis.
std::map<std::string, std::string> api_groups(const kube::Client& client) {
  std::map<std::string, std::string> groups;
  const auto list = client.get("/apis");
  if (!list || !list->contains("groups") || !(*list)["groups"].is_array()) return groups;
  for (const auto& group : (*list)["groups"]) {
    if (!group.is_object() || !group.contains("name") || !group["name"].is_string()) continue;
    std::string version;
    if (group.contains("preferredVersion") && group["preferredVersion"].is_object()) {
      version = group["preferredVersion"].value("groupVersion", "");
    }
    groups[group["name"].get<std::string>()] = version;
  }
  return groups;
}

std::vector<json> items_or_nothing(const Items& items) {
  return items ? *items : std::vector<json>{};
}

kube::ListOptions selecting(const char* selector, bool metadata_only = false) {
  kube::ListOptions options;
  options.label_selector = selector;
  options.metadata_only = metadata_only;
  return options;
}

// istiod Deployments everywhere; a user who may only read the Istio namespace gets those.
std::vector<json> istiod_deployments(const kube::Client& client,
                                     const std::string& istio_namespace) {
  auto everywhere =
      client.list(kube::resource_path("apps/v1", "deployments"), selecting("app=istiod"));
  if (everywhere) return *everywhere;
  return items_or_nothing(client.list(
      kube::resource_path("apps/v1", "deployments", istio_namespace), selecting("app=istiod")));
}

std::optional<json> one_node(const kube::Client& client) {
  const auto nodes = client.get(kube::resource_path("", "nodes") + "?limit=1");
  if (!nodes || !nodes->contains("items") || !(*nodes)["items"].is_array() ||
      (*nodes)["items"].empty()) {
    return std::nullopt;
  }
  return (*nodes)["items"][0];
}

// The objects of `resource` in a group, when the cluster serves that group.
std::future<std::vector<json>> list_if_served(const kube::Client& client,
                                              const std::map<std::string, std::string>& groups,
                                              const std::string& group, std::string resource,
                                              std::string space = {}) {
  const auto found = groups.find(group);
  if (found == groups.end() || found->second.empty()) {
    return std::async(std::launch::deferred, [] { return std::vector<json>{}; });
  }
  return std::async(std::launch::async, [&client, version = found->second,
                                         resource = std::move(resource), space = std::move(space)] {
    return items_or_nothing(client.list(kube::resource_path(version, resource, space)));
  });
}

OwnerClues read_owner_clues(const kube::Client& client, const std::string& istio_namespace,
                            const std::map<std::string, std::string>& groups,
                            std::vector<json> deployments, std::vector<json> helm_releases) {
  auto revisions = list_if_served(client, groups, "mesh.cloud.google.com", "controlplanerevisions");
  auto istios = list_if_served(client, groups, "sailoperator.io", "istios");
  auto control_planes =
      list_if_served(client, groups, "maistra.io", "servicemeshcontrolplanes", istio_namespace);
  OwnerClues clues;
  clues.istio_namespace = istio_namespace;
  clues.istiod_deployments = std::move(deployments);
  clues.helm_releases = std::move(helm_releases);
  clues.control_plane_revisions = revisions.get();
  clues.sail_istios = istios.get();
  clues.service_mesh_control_planes = control_planes.get();
  return clues;
}

}  // namespace

ClusterIdentity read_identity(const kube::Client& client, const kube::ServerVersion& version,
                              const std::string& istio_namespace) {
  auto groups = std::async(std::launch::async, [&client] { return api_groups(client); });
  auto deployments = std::async(std::launch::async, [&client, &istio_namespace] {
    return istiod_deployments(client, istio_namespace);
  });
  auto node = std::async(std::launch::async, [&client] { return one_node(client); });
  auto helm_releases = items_or_nothing(client.list(
      kube::resource_path("", "secrets", istio_namespace), selecting("owner=helm", true)));
  const auto served = groups.get();

  PlatformClues platform;
  const auto& config = client.config();
  platform.context = config.context;
  platform.server = config.server;
  if (config.exec) {
    platform.exec_command = config.exec->command;
    platform.exec_args = config.exec->args;
  }
  platform.git_version = version.git_version;
  for (const auto& [group, preferred] : served) platform.api_groups.push_back(group);
  platform.node = node.get();

  ClusterIdentity identity;
  identity.owner = recognise_owner(read_owner_clues(client, istio_namespace, served,
                                                    deployments.get(), std::move(helm_releases)));
  identity.platform = recognise_platform(platform);
  return identity;
}

Result<ChangeDecision> may_change_control_plane(const kube::Client& client,
                                                const std::string& istio_namespace) {
  const auto version = client.server_version(5000);
  if (!version) return version.error();
  return may_change_control_plane(read_identity(client, *version, istio_namespace).owner);
}

}  // namespace getmesh::mesh
