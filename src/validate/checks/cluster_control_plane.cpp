// The control plane's own configuration: istiod's environment (IST0175) and the mesh networks of
// the `istio` ConfigMap (IST0126).
#include "validate/checks/checks.hpp"
#include "validate/mesh_config.hpp"

#include <getmesh/core/strings.hpp>

#include <set>

namespace getmesh::validate {

namespace {

bool blocks_jwks_cidrs(const Node& pod_spec) {
  bool found = false;
  pod_spec["containers"].for_each_item([&](const Node& container) {
    container["env"].for_each_item([&](const Node& variable) {
      found = found || (variable["name"].str() == "BLOCKED_CIDRS_IN_JWKS_URIS" &&
                        !variable["value"].str().empty());
    });
  });
  return found;
}

// IST0175: RequestAuthentications make istiod fetch JWKS URIs; without BLOCKED_CIDRS_IN_JWKS_URIS
// it fetches from any address, internal ones included.
void check_jwks_fetch(const CheckContext& context) {
  const auto& policies = context.index.of_kind(Kind::kRequestAuthentication);
  if (policies.empty()) return;
  std::vector<std::string> names;
  for (const auto* policy : policies) names.push_back(qualified(*policy));
  const auto shown = names.size() <= 5 ? join(names, ", ")
                                       : join(std::vector(names.begin(), names.begin() + 5), ", ") +
                                             ", and " + std::to_string(names.size() - 5) + " more";
  for (const auto* deployment : context.index.of_kind(Kind::kDeployment)) {
    const auto* app = deployment->label("app");
    if (app == nullptr || *app != "istiod" ||
        blocks_jwks_cidrs(deployment->spec()["template"]["spec"]))
      continue;
    context.sink.add(*deployment, "IST0175",
                     "BLOCKED_CIDRS_IN_JWKS_URIS is not configured but " +
                         std::to_string(names.size()) +
                         " RequestAuthentication resource(s) exist (" + shown +
                         "). Consider configuring it to restrict JWKS URI fetches to trusted "
                         "networks.");
  }
}

// The service registries a mesh network may name: Istio's own and the clusters of the
// multi-cluster Secrets (their data keys; for Secrets read as metadata, the cluster annotation
// `istioctl create-remote-secret` writes). nullopt when a multi-cluster Secret's clusters cannot
// be told (read as metadata, without that annotation).
std::optional<std::set<std::string>> known_registries(const ResourceIndex& index) {
  std::set<std::string> registries = {"Kubernetes", "External", "Mock"};
  for (const auto* secret : index.of_kind(Kind::kSecret)) {
    const auto* multicluster = secret->label("istio/multiCluster");
    if (multicluster == nullptr || *multicluster != "true") continue;
    bool told = false;
    for (const char* field : {"data", "stringData"}) {
      for (const auto& entry : secret->document[field].entries()) {
        registries.insert(entry.key);
        told = true;
      }
    }
    if (const auto* cluster = secret->annotation("networking.istio.io/cluster")) {
      registries.insert(*cluster);
      told = true;
    }
    if (!told && secret->metadata_only) return std::nullopt;
  }
  return registries;
}

// IST0126: a mesh network's endpoints come from a registry that does not exist.
void check_mesh_networks(const CheckContext& context) {
  const auto* config_map = mesh_config_map(context.index.of_kind(Kind::kConfigMap));
  if (config_map == nullptr) return;
  const auto networks = embedded_document(config_map->document["data"]["meshNetworks"]);
  if (!networks) return;
  const auto registries = known_registries(context.index);
  if (!registries) return;
  for (const auto& [network, spec] : (*networks)["networks"].entries()) {
    spec["endpoints"].for_each_item([&](const Node& endpoint) {
      const auto& registry = endpoint["fromRegistry"];
      if (!registry.is_scalar() || registries->contains(registry.str())) return;
      context.sink.add(*config_map, "IST0126",
                       "Unknown service registry " + registry.str() + " in network " + network,
                       registry.line());
    });
  }
}

}  // namespace

void check_control_plane(const CheckContext& context) {
  check_jwks_fetch(context);
  check_mesh_networks(context);
}

}  // namespace getmesh::validate
