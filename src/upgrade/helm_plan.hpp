#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/upgrade/helm.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <string>
#include <vector>

namespace getmesh::upgrade {

// The Helm part of `plan` (source and target decided) from the cluster's Istio releases: the
// istiod release serving the source revision (refused when there is none), the base release, the
// gateway releases, and the values of the new istiod release: the running ones, without what
// names the old revision or build (revision, revisionTags, defaultRevision, global.tag).
Result<HelmUpgrade> plan_helm(const Plan& plan, const std::vector<HelmRelease>& releases,
                              const std::string& chart_repo);

}  // namespace getmesh::upgrade
