#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/core/distribution.hpp>
#include <getmesh/manifest/manifest.hpp>

#include <string>
#include <vector>

namespace getmesh::manifest {

// Days before the end of life from which the active distribution gets a warning.
inline constexpr int kEndOfLifeWarningDays = 30;

// Warning about the active distribution's minor reaching (or past) its end of life; empty if none.
std::vector<std::string> end_of_life_warnings(const Manifest& manifest,
                                              const DistributionName& active,
                                              const CivilDate& today);

// Warnings about fetched distributions: groups the manifest no longer lists, and groups with a
// newer release that includes security fixes.
std::vector<std::string> security_warnings(const Manifest& manifest,
                                           const std::vector<DistributionName>& installed);

}  // namespace getmesh::manifest
