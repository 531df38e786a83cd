#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
#include <getmesh/manifest/checks.hpp>
#include <getmesh/manifest/resolve.hpp>
#include <getmesh/mesh/advice.hpp>

#include <algorithm>
#include <set>

namespace getmesh::mesh {

namespace {

std::string plural(int count, std::string_view word) {
  return counted(static_cast<std::size_t>(count), word);
}

std::string_view agreeing(int count, std::string_view one, std::string_view many) {
  return getmesh::agreeing(static_cast<std::size_t>(count), one, many);
}

class Advisor {
 public:
  Advisor(const MeshState& state, const manifest::Manifest& manifest, const CivilDate& today)
      : state_(state), manifest_(manifest), today_(today) {}

  Advice run() {
    if (state_.control_planes.empty() && state_.data_plane.empty()) {
      add(Severity::kInfo, "no-istio", "cluster",
          "no Istio control plane (app=istiod) in namespace " + state_.istio_namespace +
              " and no proxies: nothing to check");
      return std::move(advice_);
    }
    if (state_.control_planes.empty() && state_.owner.kind == OwnerKind::kGoogleManaged) {
      add(Severity::kInfo, "control-plane-outside", "control plane",
          "the control plane runs outside the cluster (" + display_name(state_.owner.kind) + ", " +
              state_.owner.detail + ")");
    } else if (state_.control_planes.empty()) {
      add(Severity::kWarning, "no-control-plane", "control plane",
          "no istiod (app=istiod) in namespace " + state_.istio_namespace + ", but " +
              plural(state_.proxy_count(), "proxy") + " " +
              std::string(agreeing(state_.proxy_count(), "runs", "run")) + where_istio_lives());
    }
    for (const auto& plane : state_.control_planes) check_control_plane(plane);
    check_data_plane();
    check_mixed_minors();
    check_mixed_fips();
    name_the_owners_way();
    return std::move(advice_);
  }

 private:
  // Where to look instead when the Istio namespace has no istiod.
  [[nodiscard]] std::string where_istio_lives() const {
    const auto& owner = state_.owner;
    if (owner.kind == OwnerKind::kAksAddon && owner.resource_namespace != state_.istio_namespace) {
      return "; " + display_name(owner.kind) + " runs istiod in " + owner.resource_namespace +
             ": pass --istio-namespace " + owner.resource_namespace;
    }
    return "; if Istio lives in another namespace, pass --istio-namespace";
  }

  void add(Severity severity, std::string code, std::string subject, std::string message,
           std::string target = {}) {
    advice_.findings.push_back(
        {severity, std::move(code), std::move(subject), std::move(message), std::move(target)});
  }

  // Newer patch, security fixes, minor gone from the manifest. `subject` says who runs `name`.
  void check_release(const DistributionName& name, const std::string& subject) {
    const auto latest = manifest::latest_in_group(manifest_, name);
    if (latest.latest == nullptr) {
      const auto newer = manifest::newer_minors(manifest_, name);
      add(Severity::kAction, "minor-unsupported", subject,
          subject + " runs " + name.to_string() + ": the " + name.group() +
              " line is no longer in the manifest; move to a supported minor" +
              (newer.empty() ? std::string(" (see \"getmesh list\")")
                             : " such as " + newer.back().to_string()),
          newer.empty() ? std::string() : newer.back().to_string());
      return;
    }
    if (latest.latest->name > name) {
      const auto target = latest.latest->name.to_string();
      add(Severity::kAction, latest.security_fix_since ? "security-patch" : "patch-available",
          subject,
          subject + " runs " + name.to_string() + "; upgrade to " + target +
              (latest.security_fix_since ? ", which includes security fixes"
                                         : ", the latest patch of " + name.group()),
          target);
      return;
    }
    add(Severity::kOk, "up-to-date", subject,
        subject + " runs " + name.to_string() + ", the latest patch of " + name.group());
  }

  void check_end_of_life(const DistributionName& name, const std::string& subject) {
    const auto minor = MinorVersion::of(name.version);
    const auto lifecycle = manifest_.lifecycle.find(minor);
    std::vector<std::string> dates;
    if (lifecycle != manifest_.lifecycle.end()) {
      if (lifecycle->second.community_end_of_life) {
        dates.push_back("community support ends " +
                        lifecycle->second.community_end_of_life->to_string());
      }
      if (lifecycle->second.tetrate_end_of_life) {
        dates.push_back("Tetrate support ends " +
                        lifecycle->second.tetrate_end_of_life->to_string());
      }
    }
    const auto end = manifest_.end_of_life(name);
    if (!end) return;
    const auto days_left = days_between(today_, *end);
    if (manifest_.end_of_life_estimated(name)) {
      dates.push_back("estimated from Istio's support policy");
    }
    const auto both = dates.empty() ? std::string() : " (" + join(dates, "; ") + ")";
    if (days_left < 0) {
      add(Severity::kAction, "end-of-life", subject,
          subject + ": " + minor.to_string() + " " + name.flavor + " reached end of life on " +
              end->to_string() + ", " + std::to_string(-days_left) + " days ago" + both);
    } else if (days_left <= manifest::kEndOfLifeWarningDays) {
      add(Severity::kWarning, "end-of-life-soon", subject,
          subject + ": " + minor.to_string() + " " + name.flavor + " reaches end of life on " +
              end->to_string() + ", in " + std::to_string(days_left) + " days" + both);
    }
  }

  void check_kubernetes(const DistributionName& name, const std::string& subject) {
    const auto* distribution = manifest_.find(name);
    if (distribution == nullptr) distribution = manifest::latest_in_group(manifest_, name).latest;
    if (distribution == nullptr || state_.kubernetes.major == 0) return;
    if (distribution->k8s_versions.empty()) {
      add(Severity::kInfo, "kubernetes-unknown", subject,
          "the Kubernetes versions " + name.to_string() +
              " supports are not known yet (the manifest does not list its minor); the check of "
              "Kubernetes " +
              state_.kubernetes.minor_string() + " was skipped");
      return;
    }
    const auto kubernetes = state_.kubernetes.minor_string();
    const auto& supported = distribution->k8s_versions;
    if (std::find(supported.begin(), supported.end(), kubernetes) == supported.end()) {
      add(Severity::kAction, "kubernetes-unsupported", subject,
          "Kubernetes " + kubernetes + " is not among the versions " + name.to_string() +
              " supports (" + join(supported, ", ") + ")");
    }
  }

  void check_control_plane(const ControlPlane& plane) {
    const std::string subject = "control plane " + plane.revision;
    if (!plane.version) {
      add(Severity::kWarning, "unknown-version", subject,
          "cannot tell the Istio version of " + subject + " from its image " +
              quote(plane.image.empty() ? std::string("(none)") : plane.image) +
              " or its labels; check it by hand");
      return;
    }
    check_release(*plane.version, subject);
    check_end_of_life(*plane.version, subject);
    check_kubernetes(*plane.version, subject);
  }

  void check_data_plane() {
    std::set<std::string> checked_versions;
    for (const auto& plane : state_.control_planes) {
      if (plane.version) checked_versions.insert(plane.version->to_string());
    }
    for (const auto& group : state_.data_plane) {
      const std::string who = plural(group.count, group.kind) + " (" + join(group.examples, ", ") +
                              (group.count > static_cast<int>(group.examples.size()) ? ", …" : "") +
                              ")";
      const auto verb = [&](std::string_view one, std::string_view many) {
        return " " + std::string(agreeing(group.count, one, many)) + " ";
      };
      if (!group.version) {
        add(Severity::kWarning, "unknown-version", "data plane",
            "cannot tell the Istio version of " + who + " from the image " + quote(group.image) +
                "; check " + std::string(agreeing(group.count, "it", "them")) + " by hand");
        continue;
      }
      const auto* plane = state_.control_plane(group.revision);
      if (plane == nullptr && !state_.control_planes.empty()) {
        add(Severity::kWarning, "no-control-plane", "data plane",
            who + verb("is", "are") + "injected for revision " + quote(group.revision) +
                ", which has no istiod in namespace " + state_.istio_namespace);
      }
      if (plane != nullptr && plane->version) {
        const auto& proxy = group.version->version;
        const auto& control = plane->version->version;
        if (proxy > control) {
          add(Severity::kAction, "data-plane-newer", "data plane",
              who + verb("runs", "run") + group.version_text + ", newer than control plane " +
                  plane->revision + " (" + plane->version_text +
                  "); a data plane must never be newer than its "
                  "control plane: upgrade the control plane first");
        } else if (control.major == proxy.major && control.minor - proxy.minor > 1) {
          add(Severity::kAction, "control-plane-ahead", "data plane",
              "control plane " + plane->revision + " (" + plane->version_text +
                  ") is more than one minor ahead of " + who + " at " + group.version_text +
                  "; restart those workloads to upgrade their proxies");
        } else if (MinorVersion::of(proxy) < MinorVersion::of(control)) {
          add(Severity::kWarning, "data-plane-behind", "data plane",
              who + " still" + verb("runs", "run") + group.version_text + " while control plane " +
                  plane->revision + " runs " + plane->version_text + "; restart " +
                  std::string(agreeing(group.count, "that workload", "those workloads")) +
                  " to finish the upgrade");
        }
      }
      if (checked_versions.insert(group.version->to_string()).second) {
        check_release(*group.version, "data plane (" + plural(group.count, group.kind) + ")");
        check_end_of_life(*group.version, "data plane (" + plural(group.count, group.kind) + ")");
      }
    }
  }

  void check_mixed_minors() {
    const auto minors = [](auto versions) {
      std::set<std::string> set;
      for (const auto& version : versions) set.insert(version);
      return set;
    };
    std::vector<std::string> control, data;
    for (const auto& plane : state_.control_planes) {
      if (plane.version) control.push_back(plane.version->group());
    }
    for (const auto& group : state_.data_plane) {
      if (group.version) data.push_back(group.version->group());
    }
    for (const auto& [subject, groups] :
         {std::pair{"control plane", minors(control)}, std::pair{"data plane", minors(data)}}) {
      if (groups.size() > 1) {
        add(Severity::kWarning, "mixed-minors", subject,
            std::string("the ") + subject + " runs several minors: " +
                join(std::vector<std::string>(groups.begin(), groups.end()), ", ") +
                "; finish the upgrade (or roll back) so one minor remains");
      }
    }
  }

  // A FIPS control plane with proxies injected for it that are not FIPS builds, or the reverse:
  // traffic between them is not protected by validated cryptography end to end.
  void check_mixed_fips() {
    for (const auto& plane : state_.control_planes) {
      int count = 0;
      std::vector<std::string> versions;
      for (const auto& group : state_.data_plane) {
        if (group.revision != plane.revision || group.fips == plane.fips) continue;
        count += group.count;
        if (std::find(versions.begin(), versions.end(), group.version_text) == versions.end()) {
          versions.push_back(group.version_text);
        }
      }
      if (count == 0) continue;
      const auto proxies = plural(count, "proxy") + " (" + join(versions, ", ") + ")";
      const auto subject = "control plane " + plane.revision;
      if (plane.fips) {
        add(Severity::kWarning, "mixed-fips", subject,
            subject + " runs FIPS images (" + plane.version_text + ") but " + proxies +
                " injected for it " + (count == 1 ? "does" : "do") +
                " not: the mesh is not FIPS end to end; inject the FIPS "
                "proxy image and restart those workloads");
      } else {
        add(Severity::kWarning, "mixed-fips", subject,
            proxies + (count == 1 ? " runs FIPS images but its " : " run FIPS images but their ") +
                subject + " (" + plane.version_text +
                ") does not: the mesh is not FIPS end to end; move the control plane to a FIPS "
                "flavor");
      }
    }
  }

  // A mesh that Helm, a cloud or an operator owns is upgraded its owner's way, not with istioctl.
  void name_the_owners_way() {
    const auto& owner = state_.owner;
    if (!owner.manages_upgrades()) return;
    for (auto& finding : advice_.findings) {
      if (finding.target.empty() || !finding.subject.starts_with("control plane")) continue;
      if (const auto target = DistributionName::parse(finding.target)) {
        finding.message += "; " + owner_upgrade_way(owner, *target);
      }
    }
    // getmesh upgrade upgrades a Helm mesh with helm; other owners' meshes it refuses.
    const std::string how = owner.kind == OwnerKind::kHelm
                                ? "upgrade it with helm (as getmesh upgrade does), not with "
                                  "istioctl install"
                                : "upgrade it that way, not with istioctl install or getmesh "
                                  "upgrade";
    add(Severity::kInfo, "managed-control-plane", "control plane",
        "the control plane is owned by " + display_name(owner.kind) + " (" + owner.detail +
            "): " + how);
  }

  const MeshState& state_;
  const manifest::Manifest& manifest_;
  const CivilDate& today_;
  Advice advice_;
};

}  // namespace

std::string to_string(Severity severity) {
  switch (severity) {
    case Severity::kOk:
      return "ok";
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kAction:
      return "action";
  }
  return "info";
}

bool Advice::needs_action() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& finding) {
    return finding.severity == Severity::kWarning || finding.severity == Severity::kAction;
  });
}

Advice advise(const MeshState& state, const manifest::Manifest& manifest, const CivilDate& today) {
  return Advisor(state, manifest, today).run();
}

}  // namespace getmesh::mesh
