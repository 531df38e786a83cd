#include "validate/mesh_config.hpp"

#include "validate/yaml_documents.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

bool is_true(const Node& value) { return to_lower(value.str()) == "true"; }

}  // namespace

const Resource* mesh_config_map(const std::vector<const Resource*>& config_maps) {
  const Resource* found = nullptr;
  for (const auto* config_map : config_maps) {
    if (config_map->name != kMeshConfigMap) continue;
    if (config_map->namespace_ == "istio-system") return config_map;
    if (found == nullptr) found = config_map;
  }
  return found;
}

std::optional<Node> embedded_document(const Node& text) {
  if (!text.is_scalar() || text.str().empty()) return std::nullopt;
  int error_line = 0;
  // A block scalar's text starts on the line after its key.
  auto documents = parse_document({text.str(), text.line() + 1}, error_line);
  if (!documents || documents->empty()) return std::nullopt;
  return std::move(documents->front());
}

MeshSettings mesh_settings(const std::vector<Resource>& resources, MeshSettings defaults) {
  std::vector<const Resource*> config_maps;
  for (const auto& resource : resources) {
    if (resource.kind == Kind::kConfigMap) config_maps.push_back(&resource);
  }
  const auto* config_map = mesh_config_map(config_maps);
  if (config_map == nullptr) return defaults;
  const auto mesh = embedded_document(config_map->document["data"]["mesh"]);
  if (!mesh || !mesh->is_map()) return defaults;
  auto settings = std::move(defaults);
  if (const auto& root = (*mesh)["rootNamespace"]; root.is_scalar() && !root.str().empty())
    settings.root_namespace = root.str();
  if (const auto auto_mtls = (*mesh)["enableAutoMtls"].as_bool()) settings.auto_mtls = *auto_mtls;
  settings.outbound_allow_any = (*mesh)["outboundTrafficPolicy"]["mode"].str() == "ALLOW_ANY";
  if (const auto& domain = (*mesh)["trustDomain"]; domain.is_scalar() && !domain.str().empty())
    settings.trust_domain = domain.str();
  settings.trust_domain_aliases = (*mesh)["trustDomainAliases"].strings();
  const auto& proxy = (*mesh)["defaultConfig"];
  settings.image_type = proxy["image"]["imageType"].str();
  const auto& metadata = proxy["proxyMetadata"];
  settings.dns_auto_allocation = is_true(metadata["ISTIO_META_DNS_CAPTURE"]) &&
                                 (is_true(metadata["ISTIO_META_DNS_AUTO_ALLOCATE"]) ||
                                  is_true(metadata["PILOT_ENABLE_IP_AUTOALLOCATE"]));
  settings.default_access_log_providers = (*mesh)["defaultProviders"]["accessLogging"].strings();
  (*mesh)["extensionProviders"].for_each_item([&](const Node& provider) {
    if (provider.has("lightstep")) settings.lightstep_providers.push_back(provider["name"].str());
  });
  return settings;
}

}  // namespace getmesh::validate
