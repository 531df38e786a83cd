#pragma once

#include <getmesh/upgrade/plan.hpp>

#include <string>
#include <vector>

// The default revision of a Helm mesh: the base chart's `defaultRevision` value names the
// control plane the cluster-wide defaults (the default validating webhook) point at. Istio's Helm
// canary guide makes the new revision the default before the old control plane goes:
// `helm upgrade istio-base istio/base --set defaultRevision=<new>`.
namespace getmesh::upgrade::helm_default_revision {

// Whether the plan moves the default: it has a base release whose defaultRevision (unset:
// "default", a control plane without revision) is the revision the upgrade replaces.
bool applies(const Plan& plan);

// The base release upgraded with its values and defaultRevision=<target revision>; `dir` as in
// helm_commands ("" to show, "<work dir>/" to run). Pointing it back is
// helm_commands::upgrade_base: the release's own values again.
std::vector<std::string> switch_to_target(const Plan& plan, const std::string& dir);

}  // namespace getmesh::upgrade::helm_default_revision
