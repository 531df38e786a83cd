#include "cli/commands/install_json.hpp"

namespace getmesh::cli {

nlohmann::ordered_json install_to_json(const DistributionName& name,
                                       const std::optional<store::InstallRecord>& record) {
  nlohmann::ordered_json receipt;  // null without one
  if (record && record->receipt) {
    const auto& binary = *record->receipt;
    receipt = {{"istioctl_sha256", binary.sha256},
               {"istioctl_size", binary.size},
               {"installed_at", binary.installed_at},
               {"getmesh_version", binary.getmesh_version}};
  }
  return {{"name", name.to_string()},
          {"verified", record && record->verified},
          {"source_url", record ? record->source_url : ""},
          {"sha256", record ? record->sha256 : ""},
          {"checksum_sources", record ? record->checksum_sources : std::vector<std::string>()},
          {"receipt", receipt}};
}

}  // namespace getmesh::cli
