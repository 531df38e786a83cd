#pragma once

#include <getmesh/mesh/state.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace getmesh::cli {

// The JSON shape of a cluster's mesh, shared by `version -o json` and `check-upgrade -o json`.
nlohmann::ordered_json mesh_to_json(const mesh::MeshState& state);

// "Amazon EKS (credential plugin aws eks get-token)"; "generic Kubernetes".
std::string describe_platform(const mesh::MeshState& state);
// "Helm (release istiod in istio-system, chart istiod-1.22.0)"; "none" without a control plane.
std::string describe_owner(const mesh::MeshState& state);

// "1.29.8-istio-v0 (revision default, 2 pods)" lines joined with "; ", with ", FIPS" in the
// parentheses of FIPS flavors.
std::string describe_control_planes(const mesh::MeshState& state);
// "1.29.8-istio-v0 (5 proxies), 1.28.1-tetratefips-v0 (1 proxy, FIPS)"; "none" when empty.
std::string describe_data_plane(const mesh::MeshState& state);

}  // namespace getmesh::cli
