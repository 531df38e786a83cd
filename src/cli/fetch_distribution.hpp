#pragma once

#include "cli/context.hpp"

#include <getmesh/manifest/manifest.hpp>
#include <getmesh/store/installed.hpp>

#include <filesystem>

namespace getmesh::cli {

// Downloads, verifies and installs `distribution` into the store, with a progress bar on a
// terminal and download warnings as `warning:` lines; `quiet` drops the bar and the notes.
Result<store::InstallRecord> download_distribution(Context& context,
                                                   const manifest::Manifest& manifest,
                                                   const manifest::Distribution& distribution,
                                                   bool require_checksum, bool quiet);

// Under the checksum policy, an install must have been verified, against the sha256 the catalogue
// knows for this platform when it knows one (`distribution` may be null: not in the manifest).
Status check_installed(Context& context, const manifest::Manifest& manifest,
                       const manifest::Distribution* distribution, const DistributionName& name);

// The istioctl of `name`, fetched first when the store does not have it (with config.json's
// checksum rule, which an install already in the store must meet too); the active distribution does
// not change.
Result<std::filesystem::path> ensure_fetched(Context& context, const manifest::Manifest& manifest,
                                             const DistributionName& name);

}  // namespace getmesh::cli
