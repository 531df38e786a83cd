#include "upgrade/helm_plan.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/helm/chart_index.hpp>

#include <algorithm>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;

bool is_chart(const HelmRelease& release, std::string_view chart) { return release.chart == chart; }

}  // namespace

Result<HelmUpgrade> plan_helm(const Plan& plan, const std::vector<HelmRelease>& releases,
                              const std::string& chart_repo) {
  if (plan.target.version.flavor != "istio") {
    return runtime_error(
        "the target " + plan.target.version.to_string() +
            " is a Tetrate build, and Istio's Helm charts install the community images",
        "upgrade this Helm-installed mesh to a community build (--flavor istio)");
  }
  HelmUpgrade helm;
  helm.chart_repo = chart_repo;
  const auto control_plane =
      std::find_if(releases.begin(), releases.end(), [&](const HelmRelease& release) {
        return is_chart(release, helm::kIstiodChart) &&
               release.namespace_name == plan.istio_namespace &&
               served_revision(release) == plan.source.revision;
      });
  if (control_plane == releases.end()) {
    return runtime_error("no Helm release of the istiod chart in " + plan.istio_namespace +
                             " serves revision " + plan.source.revision +
                             ", the control plane to upgrade",
                         "see \"helm list -n " + plan.istio_namespace +
                             "\"; a control plane installed otherwise is upgraded with --force "
                             "the istioctl way");
  }
  helm.control_plane = *control_plane;
  helm.new_release = "istiod-" + plan.target.revision;
  if (std::any_of(releases.begin(), releases.end(), [&](const HelmRelease& release) {
        return release.name == helm.new_release && release.namespace_name == plan.istio_namespace;
      })) {
    // A release of that name is getmesh's own from an earlier attempt, or the user's: either way
    // the upgrade installs over it only when it is the target's istiod (checked when it runs).
    if (!is_chart(*std::find_if(
                      releases.begin(), releases.end(),
                      [&](const HelmRelease& release) { return release.name == helm.new_release; }),
                  helm::kIstiodChart)) {
      return runtime_error(
          "a Helm release " + helm.new_release + " of another chart exists in " +
              plan.istio_namespace,
          "rename or remove it; getmesh installs the new control plane as " + helm.new_release);
    }
  }
  helm.new_values = control_plane->values;
  for (const char* key : {"revision", "revisionTags", "defaultRevision"}) {
    if (helm.new_values.erase(key) > 0) helm.dropped.emplace_back(key);
  }
  if (helm.new_values.contains("global") && helm.new_values["global"].is_object() &&
      helm.new_values["global"].erase("tag") > 0) {
    helm.dropped.emplace_back("global.tag");
  }
  helm.new_values["revision"] = plan.target.revision;
  for (const auto& release : releases) {
    if (is_chart(release, helm::kBaseChart) && !helm.base) helm.base = release;
    if (!is_chart(release, helm::kGatewayChart)) continue;
    auto gateway = release;
    const auto served = served_revision(gateway);
    if (served == plan.source.revision) {
      gateway.values["revision"] = plan.target.revision;
      helm.gateway_moves.push_back(gateway.name + ": revision " + served + " → " +
                                   plan.target.revision);
    } else {
      helm.gateway_moves.push_back(gateway.name + ": revision " + served +
                                   " kept (it moves with its tag or namespace)");
    }
    helm.gateways.push_back(std::move(gateway));
  }
  return helm;
}

}  // namespace getmesh::upgrade
