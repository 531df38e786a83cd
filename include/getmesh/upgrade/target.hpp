#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/mesh/state.hpp>

#include <optional>
#include <string>
#include <vector>

namespace getmesh::upgrade {

// What the user asked for with --to, --flavor and --allow-skip-minor.
struct TargetRequest {
  std::string to;      // "", "X.Y" (latest patch of that minor) or "X.Y.Z"
  std::string flavor;  // empty: the cluster's
  bool allow_skip_minor = false;
};

// The chosen target, or why there is nothing to upgrade to.
struct Target {
  std::optional<DistributionName> name;  // empty: nothing to do (`reason` says why)
  std::string reason;                    // how it was chosen, or why there is nothing to do
  std::vector<std::string> warnings;     // accepted risks: a skipped minor, a change of vendor
};

// The control plane to upgrade: `from_revision` when given, else the only one running. Several
// control planes without --from, none, or one whose version is unknown are refusals.
Result<const mesh::ControlPlane*> source_control_plane(const mesh::MeshState& state,
                                                       const std::string& from_revision);

// Chooses the target for `source` and checks Istio's rules for a canary upgrade: in the catalogue,
// not past its end of life, supports the cluster's Kubernetes, no downgrade, at most one minor
// ahead of the oldest control plane (two with allow_skip_minor), and a flavor change only between
// Tetrate builds, or with a warning between community and Tetrate builds. Without --to, the patch
// that check-upgrade recommends (or, when the minor left the catalogue, the next minor).
Result<Target> choose_target(const mesh::ControlPlane& source, const mesh::MeshState& state,
                             const manifest::Manifest& manifest, const CivilDate& today,
                             const TargetRequest& request);

// The revision name of `target` ("1-31-4", as Istio's docs name canary revisions). When a control
// plane already uses that name for another build (a flavor change at the same version), the
// flavor is appended: "1-31-4-tetrate".
std::string revision_for(const DistributionName& target,
                         const std::vector<mesh::ControlPlane>& control_planes);

}  // namespace getmesh::upgrade
