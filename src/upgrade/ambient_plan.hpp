#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/upgrade/helm.hpp>
#include <getmesh/upgrade/layout.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <vector>

namespace getmesh::upgrade {

// Plans the ambient part of `plan` (source, target, tags and namespaces decided): the waypoints
// that move with the plan's tags or namespaces (the others are named in a warning), and, for a
// Helm plan, the `cni` and `ztunnel` releases with their values for the target. Refused when the
// upgrade would break Istio's version skew rule for them: ztunnel and istio-cni run the control
// plane's version or one minor behind it, never ahead.
Status plan_ambient(Plan& plan, const Layout& layout, const std::vector<HelmRelease>* releases);

}  // namespace getmesh::upgrade
