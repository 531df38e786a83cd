#pragma once

#include "validate/index.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::validate {

// The sidecar injector's ConfigMap for a revision ("" and "default" name the default one,
// `istio-sidecar-injector`; others `istio-sidecar-injector-<revision>`), or nullptr.
const Resource* injector_config_map(const ResourceIndex& index, std::string_view revision);

// The injector's Helm values (its ConfigMap's `values` key, JSON); nullopt when absent or broken.
std::optional<Node> injector_values(const Resource& config_map);

// Whether the default injector injects namespaces that carry no injection label
// (sidecarInjectorWebhook.enableNamespacesByDefault): such namespaces get IST0148, not IST0102.
bool namespaces_injected_by_default(const ResourceIndex& index);

}  // namespace getmesh::validate
