#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

#include <optional>

namespace getmesh::cli {

// What the install record of a fetched distribution says, shared by `show -o json` and
// `verify -o json`: name, verified, source_url, sha256 (of the archive), checksum_sources, and
// receipt {istioctl_sha256, istioctl_size, installed_at, getmesh_version} or null.
nlohmann::ordered_json install_to_json(const DistributionName& name,
                                       const std::optional<store::InstallRecord>& record);

}  // namespace getmesh::cli
