#pragma once

#include "cli/context.hpp"

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/upgrade/apply.hpp>
#include <getmesh/upgrade/helm.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// The helm and chart repository a Helm-installed mesh is upgraded with.
struct HelmSetup {
  std::string helm;        // checked to be Helm 3
  std::string chart_repo;  // chart_repository()
  std::string kubeconfig;  // the kubeconfig getmesh was given (-c); empty: the default one
  std::string context;     // the context getmesh resolved
};

// The chart repository of an upgrade: --chart-repo, else the chart_repo setting, else the mirror
// GETMESH_MIRROR names (a mirror made with --charts is a chart repository), else Istio's.
std::string chart_repository(Context& context, const std::string& flag,
                             const store::Config& config);

// Whether Helm owns the control plane in `istio_namespace` (as check-upgrade recognises it).
Result<bool> helm_owns_control_plane(const kube::Client& client,
                                     const std::string& istio_namespace);

// Finds helm (--helm, helm_path, PATH) and checks it is Helm 3; a refusal says how to get one.
Result<HelmSetup> set_up_helm(Context& context, const std::string& helm_flag,
                              const std::string& chart_repo_flag,
                              const std::string& cluster_context);

// The releases of Istio's charts in every namespace, with the values the user gave them.
Result<std::vector<upgrade::HelmRelease>> read_helm_releases(Context& context,
                                                             const HelmSetup& setup);

// Gives `runtime` the helm, and a chart fetcher that reads each repository's index.yaml once and
// keeps a chart only when its archive matches the index's digest.
void attach_helm(Context& context, const HelmSetup& setup, upgrade::Runtime& runtime);

}  // namespace getmesh::cli
