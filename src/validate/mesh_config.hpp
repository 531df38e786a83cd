#pragma once

#include <getmesh/validate/analyze.hpp>

#include <optional>
#include <string_view>

namespace getmesh::validate {

// Istio's control-plane ConfigMaps, as they are named in the control plane's namespace.
inline constexpr std::string_view kMeshConfigMap = "istio";
inline constexpr std::string_view kInjectorConfigMap = "istio-sidecar-injector";

// Of `config_maps`, the `istio` ConfigMap holding the mesh config (`mesh`) and mesh networks
// (`meshNetworks`): the one in `istio-system` when there is one, else the first found; nullptr when
// there is none.
const Resource* mesh_config_map(const std::vector<const Resource*>& config_maps);

// A YAML (or JSON) document held in a string value, such as a ConfigMap's `data.mesh`, with its
// lines counted from the value's own; nullopt when it does not parse.
std::optional<Node> embedded_document(const Node& text);

// `defaults` with what the `istio` ConfigMap's mesh config sets.
MeshSettings mesh_settings(const std::vector<Resource>& resources, MeshSettings defaults);

}  // namespace getmesh::validate
