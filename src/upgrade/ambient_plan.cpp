#include "upgrade/ambient_plan.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/helm/chart_index.hpp>

#include <algorithm>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;

// Istio's rule for ztunnel and istio-cni: the control plane's minor, or one behind it.
Status check_skew(const HelmRelease& release, const std::string& component, const Plan& plan) {
  const auto& target = plan.target.version.version;
  auto running = Version::parse(release.chart_version);
  if (!running) {
    return runtime_error("the Helm release " + release.name + " of the " + release.chart +
                         " chart has no version getmesh can read (" + quote(release.chart_version) +
                         ")");
  }
  const std::string rule = "Istio supports " + component +
                           " at the control plane's version or one minor behind it, never ahead";
  if (*running > target) {
    return runtime_error(
        "refusing the upgrade to " + target.to_string() + ": " + component + " (Helm release " +
            release.name + ") runs " + running->to_string() + ", ahead of it; " + rule,
        "upgrade to " + running->minor_string() + " or later (--to), so the control plane is " +
            "not behind " + component + "; nothing was changed");
  }
  if (running->major != target.major || target.minor - running->minor > 1) {
    return runtime_error(
        "refusing the upgrade to " + target.to_string() + ": " + component + " (Helm release " +
            release.name + ") runs " + running->to_string() +
            ", and the new control plane would be more than one minor ahead of it until it is "
            "upgraded; " +
            rule,
        "upgrade to " + MinorVersion{running->major, running->minor + 1}.to_string() +
            " first (--to), then to " + target.minor_string() + "; nothing was changed");
  }
  return {};
}

// The release's values for the target: its image tag pins the old build, so it goes.
HelmRelease for_target(const HelmRelease& release, std::vector<std::string>& dropped) {
  auto updated = release;
  if (updated.values.erase("tag") > 0) dropped.push_back(release.name + ": tag");
  if (updated.values.contains("global") && updated.values["global"].is_object() &&
      updated.values["global"].erase("tag") > 0) {
    dropped.push_back(release.name + ": global.tag");
  }
  return updated;
}

Status plan_helm_releases(Plan& plan, const std::vector<HelmRelease>& releases) {
  std::vector<std::string> dropped;
  for (const auto& release : releases) {
    const bool cni = release.chart == helm::kCniChart;
    const bool ztunnel = release.chart == helm::kZtunnelChart;
    if ((!cni && !ztunnel) || (cni && plan.helm->cni) || (ztunnel && plan.helm->ztunnel)) continue;
    if (auto skew = check_skew(release, cni ? "istio-cni" : "ztunnel", plan); !skew) return skew;
    auto updated = for_target(release, dropped);
    if (ztunnel) {
      updated.values["revision"] = plan.target.revision;  // bound to the new control plane
      plan.helm->ztunnel = std::move(updated);
    } else {
      if (served_revision(updated) == plan.source.revision &&
          plan.source.revision != mesh::kDefaultRevision) {
        updated.values["revision"] = plan.target.revision;
      }
      plan.helm->cni = std::move(updated);
    }
  }
  if (!dropped.empty()) {
    plan.warnings.push_back("left out of the values of the ambient releases: " +
                            join(dropped, ", ") + " (they pin the old build)");
  }
  return {};
}

}  // namespace

Status plan_ambient(Plan& plan, const Layout& layout, const std::vector<HelmRelease>* releases) {
  std::vector<std::string> staying;
  for (const auto& waypoint : layout.waypoints) {
    const bool namespace_moves = std::any_of(
        plan.namespaces.begin(), plan.namespaces.end(),
        [&](const NamespaceMove& move) { return move.name == waypoint.namespace_name; });
    const bool tag_moves = std::any_of(plan.tags.begin(), plan.tags.end(), [&](const TagMove& tag) {
      return tag.tag == waypoint.revision_label;
    });
    if (namespace_moves || tag_moves) {
      plan.ambient.waypoints.push_back(waypoint.id());
    } else {
      staying.push_back(waypoint.id());
    }
  }
  if (!staying.empty()) {
    plan.warnings.push_back(
        "waypoint" + std::string(staying.size() == 1 ? " " : "s ") + join(staying, ", ") +
        (staying.size() == 1 ? " does" : " do") +
        " not move: neither the namespace nor the tag its Gateway names (istio.io/rev) moves to " +
        plan.target.revision + "; one still on " + plan.source.revision +
        " keeps the old control plane from being removed");
  }
  if (plan.helm && releases != nullptr) return plan_helm_releases(plan, *releases);
  return {};
}

}  // namespace getmesh::upgrade
