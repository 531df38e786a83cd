#include "cli/commands/mesh_json.hpp"

#include <getmesh/core/strings.hpp>

#include <map>

namespace getmesh::cli {

nlohmann::ordered_json mesh_to_json(const mesh::MeshState& state) {
  nlohmann::ordered_json planes = nlohmann::ordered_json::array();
  for (const auto& plane : state.control_planes) {
    planes.push_back({{"revision", plane.revision},
                      {"version", plane.version ? nlohmann::ordered_json(plane.version->to_string())
                                                : nlohmann::ordered_json()},
                      {"version_text", plane.version_text},
                      {"pods", plane.pods},
                      {"pod_versions", plane.pod_versions},
                      {"image", plane.image},
                      {"fips", plane.fips}});
  }
  nlohmann::ordered_json proxies = nlohmann::ordered_json::array();
  for (const auto& group : state.data_plane) {
    proxies.push_back(
        {{"version", group.version ? nlohmann::ordered_json(group.version->to_string())
                                   : nlohmann::ordered_json()},
         {"version_text", group.version_text},
         {"kind", group.kind},
         {"revision", group.revision},
         {"proxies", group.count},
         {"examples", group.examples},
         {"fips", group.fips}});
  }
  const auto& owner = state.owner;
  return {{"kubernetes_version", state.kubernetes.git_version},
          {"platform",
           {{"id", mesh::to_string(state.platform.platform)},
            {"name", mesh::display_name(state.platform.platform)},
            {"evidence", state.platform.evidence}}},
          {"owner",
           {{"id", mesh::to_string(owner.kind)},
            {"detail", owner.detail},
            {"evidence", owner.evidence},
            {"manages_upgrades", owner.manages_upgrades()}}},
          {"istio_namespace", state.istio_namespace},
          {"control_planes", planes},
          {"data_plane", proxies},
          {"fips",
           {{"control_plane", mesh::to_string(state.control_plane_fips())},
            {"data_plane", mesh::to_string(state.data_plane_fips())}}}};
}

std::string describe_platform(const mesh::MeshState& state) {
  const auto& guess = state.platform;
  if (guess.platform == mesh::Platform::kGeneric) return "generic Kubernetes";
  return mesh::display_name(guess.platform) + " (" + guess.evidence + ")";
}

std::string describe_owner(const mesh::MeshState& state) {
  const auto& owner = state.owner;
  if (owner.kind == mesh::OwnerKind::kNone) return "none";
  auto name = mesh::display_name(owner.kind);
  if (name.starts_with("the ")) name = name.substr(4);
  return name + " (" + owner.detail + ")";
}

std::string describe_control_planes(const mesh::MeshState& state) {
  if (state.control_planes.empty()) return "none (no istiod in " + state.istio_namespace + ")";
  std::vector<std::string> parts;
  for (const auto& plane : state.control_planes) {
    parts.push_back(plane.version_text + " (revision " + plane.revision + ", " +
                    std::to_string(plane.pods) + (plane.pods == 1 ? " pod" : " pods") +
                    (plane.fips ? ", FIPS)" : ")"));
  }
  return join(parts, "; ");
}

std::string describe_data_plane(const mesh::MeshState& state) {
  std::map<std::string, std::pair<int, bool>> per_version;  // count, FIPS
  for (const auto& group : state.data_plane) {
    auto& [count, fips] = per_version[group.version_text];
    count += group.count;
    fips = group.fips;  // the version text is the tag, which says whether it is a FIPS flavor
  }
  if (per_version.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [version, entry] : per_version) {
    const auto& [count, fips] = entry;
    parts.push_back(version + " (" + std::to_string(count) + (count == 1 ? " proxy" : " proxies") +
                    (fips ? ", FIPS)" : ")"));
  }
  return join(parts, ", ");
}

}  // namespace getmesh::cli
