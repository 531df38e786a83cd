#pragma once

#include "cli/context.hpp"

#include <getmesh/manifest/manifest.hpp>
#include <getmesh/store/installed.hpp>

#include <filesystem>

namespace getmesh::cli {

// Downloads, verifies and installs `distribution` into the store, with a progress bar on a
// terminal and download warnings as `warning:` lines.
Result<store::InstallRecord> download_distribution(Context& context,
                                                   const manifest::Manifest& manifest,
                                                   const manifest::Distribution& distribution,
                                                   bool require_checksum);

// The istioctl of `name`, fetched first when the store does not have it (with config.json's
// checksum rule); the active distribution does not change.
Result<std::filesystem::path> ensure_fetched(Context& context, const manifest::Manifest& manifest,
                                             const DistributionName& name);

}  // namespace getmesh::cli
