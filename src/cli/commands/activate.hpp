#pragma once

#include "cli/context.hpp"

#include <getmesh/core/distribution.hpp>
#include <getmesh/manifest/manifest.hpp>

namespace getmesh::cli {

// Makes `name` the active distribution in config.json and says so (unless `quiet`); `distribution`
// (may be null) supplies the manifest fields stored beside it. Warns when a .getmesh-version pin
// overrides it here. A FIPS problem of its istioctl is a warning, or a refusal when FIPS is
// required
// (`require_fips` here or in config.json).
Status activate(Context& context, const DistributionName& name,
                const manifest::Distribution* distribution, const manifest::Manifest* manifest,
                bool quiet = false, bool require_fips = false);

}  // namespace getmesh::cli
