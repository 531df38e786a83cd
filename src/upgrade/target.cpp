#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/resolve.hpp>
#include <getmesh/mesh/advice.hpp>
#include <getmesh/upgrade/target.hpp>

#include <algorithm>

namespace getmesh::upgrade {

namespace {

bool is_tetrate(const std::string& flavor) {
  return flavor == kFlavorTetrate || flavor == kFlavorTetrateFips;
}

// The newest catalogue entry of `flavor` for `version` (a minor when `patch` is empty).
const manifest::Distribution* newest_of(const manifest::Manifest& manifest,
                                        const std::string& flavor, const Version& version,
                                        bool whole_minor) {
  const manifest::Distribution* newest = nullptr;
  for (const auto& distribution : manifest.distributions) {
    const auto& name = distribution.name;
    if (name.flavor != flavor) continue;
    const bool matches = whole_minor ? MinorVersion::of(name.version) == MinorVersion::of(version)
                                     : name.version == version;
    if (matches && (newest == nullptr || name > newest->name)) newest = &distribution;
  }
  return newest;
}

Error refusal(std::string message, std::string hint) {
  return runtime_error(std::move(message), std::move(hint));
}

// The target named by --to in `flavor`.
Result<DistributionName> requested(const manifest::Manifest& manifest, const std::string& to,
                                   const std::string& flavor) {
  const manifest::Distribution* found = nullptr;
  if (auto full = Version::parse(to)) {
    found = newest_of(manifest, flavor, *full, false);
  } else if (auto minor = MinorVersion::parse(to)) {
    found = newest_of(manifest, flavor, Version{minor->major, minor->minor, 0}, true);
  } else {
    return usage_error("--to " + quote(to) + " is not a version",
                       "give X.Y.Z, or X.Y for the latest patch of a minor, e.g. --to 1.31");
  }
  if (found == nullptr) {
    return refusal("the catalogue has no " + flavor + " build of Istio " + to,
                   "see the available versions with \"getmesh list\"");
  }
  return found->name;
}

// What check-upgrade recommends for `source` (a newer patch, or a supported minor once its own left
// the catalogue or reached its end of life), kept within one minor.
std::optional<DistributionName> recommended(const mesh::ControlPlane& source,
                                            const mesh::MeshState& state,
                                            const manifest::Manifest& manifest,
                                            const CivilDate& today) {
  const auto advice = mesh::advise(state, manifest, today);
  const std::string subject = "control plane " + source.revision;
  for (const auto& finding : advice.findings) {
    if (finding.subject != subject || finding.target.empty()) continue;
    auto name = DistributionName::parse(finding.target);
    if (!name) continue;
    if (MinorVersion::of(name->version).minor >
        MinorVersion::of(source.version->version).minor + 1) {
      const auto newer = manifest::newer_minors(manifest, *source.version);
      if (!newer.empty()) return newer.front();  // the next minor: one at a time
    }
    return *name;
  }
  // Past its end of life, check-upgrade asks to move on: the next minor.
  if (const auto end = manifest.end_of_life(*source.version); end && *end < today) {
    const auto newer = manifest::newer_minors(manifest, *source.version);
    if (!newer.empty()) return newer.front();
  }
  return std::nullopt;
}

Status check_rules(const DistributionName& target, const mesh::ControlPlane& source,
                   const mesh::MeshState& state, const manifest::Manifest& manifest,
                   const CivilDate& today, const TargetRequest& request, Target& chosen) {
  const auto& from = *source.version;
  if (target.version < from.version) {
    return refusal("getmesh upgrade does not downgrade: control plane " + source.revision +
                       " runs " + from.to_string() + ", newer than " + target.to_string(),
                   "to undo an upgrade in progress, run \"getmesh upgrade rollback\"");
  }
  const auto* distribution = manifest.find(target);
  if (distribution == nullptr) {
    return refusal(target.to_string() + " is not in the catalogue",
                   "see the available versions with \"getmesh list\"");
  }
  if (const auto end = manifest.end_of_life(target); end && *end < today) {
    return refusal(target.to_string() + " reached its end of life on " + end->to_string(),
                   "choose a supported minor with --to (see \"getmesh list\")");
  }
  const auto& supported = distribution->k8s_versions;
  if (!supported.empty() && state.kubernetes.major != 0 &&
      std::find(supported.begin(), supported.end(), state.kubernetes.minor_string()) ==
          supported.end()) {
    return refusal(
        "Kubernetes " + state.kubernetes.minor_string() + " is not among the versions " +
            target.to_string() + " supports (" + join(supported, ", ") + ")",
        "upgrade Kubernetes first, or choose an Istio release that supports it with --to");
  }
  // Istio's canary rule counts from the oldest control plane that runs.
  auto oldest = from.version;
  for (const auto& plane : state.control_planes) {
    if (plane.version && plane.version->version < oldest) oldest = plane.version->version;
  }
  const auto skipped =
      target.version.major != oldest.major ? 99 : target.version.minor - oldest.minor;
  if (skipped > 2 || (skipped == 2 && !request.allow_skip_minor)) {
    return refusal(target.to_string() + " is " + std::to_string(skipped) +
                       " minors ahead of the oldest control plane (" + oldest.to_string() +
                       "); Istio supports canary upgrades of one minor" +
                       (skipped == 2 ? " (two with --allow-skip-minor)" : ""),
                   skipped == 2
                       ? "upgrade one minor at a time, or pass --allow-skip-minor"
                       : "upgrade one minor at a time, e.g. --to " + std::to_string(oldest.major) +
                             "." + std::to_string(oldest.minor + 1));
  }
  if (skipped == 2) {
    chosen.warnings.push_back("skipping a minor (" + oldest.minor_string() + " to " +
                              target.version.minor_string() +
                              "): Istio's canary upgrade allows it, but read the release notes of "
                              "the minor in between");
  }
  if (target.flavor != from.flavor && !(is_tetrate(target.flavor) && is_tetrate(from.flavor))) {
    chosen.warnings.push_back("switching from the " + from.flavor + " build to the " +
                              target.flavor +
                              " build changes who supports this mesh and where its images come "
                              "from");
  }
  return {};
}

}  // namespace

Result<const mesh::ControlPlane*> source_control_plane(const mesh::MeshState& state,
                                                       const std::string& from_revision) {
  const mesh::ControlPlane* source = nullptr;
  if (!from_revision.empty()) {
    source = state.control_plane(from_revision);
    if (source == nullptr) {
      std::vector<std::string> revisions;
      for (const auto& plane : state.control_planes) revisions.push_back(plane.revision);
      return refusal("no control plane with revision " + quote(from_revision) + " in namespace " +
                         state.istio_namespace,
                     revisions.empty() ? "check --istio-namespace and --context"
                                       : "the revisions running are " + join(revisions, ", "));
    }
  } else if (state.control_planes.empty()) {
    return refusal("no Istio control plane (app=istiod) in namespace " + state.istio_namespace +
                       ": nothing to upgrade",
                   "if Istio lives in another namespace, pass --istio-namespace; to install it, "
                   "run \"getmesh istioctl install\"");
  } else if (state.control_planes.size() > 1) {
    std::vector<std::string> revisions;
    for (const auto& plane : state.control_planes) {
      revisions.push_back(plane.revision + " (" + plane.version_text + ")");
    }
    return refusal("several control planes run in " + state.istio_namespace + ": " +
                       join(revisions, ", ") + "; getmesh upgrade moves one revision at a time",
                   "name the one to upgrade with --from REVISION, or remove the others first");
  } else {
    source = &state.control_planes.front();
  }
  if (!source->version) {
    return refusal("cannot tell the Istio version of control plane " + source->revision +
                       " from its image " + quote(source->image),
                   "check the istiod image; getmesh upgrades only builds it recognises");
  }
  return source;
}

Result<Target> choose_target(const mesh::ControlPlane& source, const mesh::MeshState& state,
                             const manifest::Manifest& manifest, const CivilDate& today,
                             const TargetRequest& request) {
  const auto& from = *source.version;
  const std::string flavor = request.flavor.empty() ? from.flavor : request.flavor;
  if (!is_known_flavor(flavor)) {
    return usage_error("unknown flavor " + quote(flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  Target chosen;
  DistributionName target;
  if (!request.to.empty()) {
    auto named = requested(manifest, request.to, flavor);
    if (!named) return named.error();
    target = *named;
    chosen.reason = "--to " + request.to;
  } else if (flavor != from.flavor) {
    const auto* newest = newest_of(manifest, flavor, from.version, true);
    if (newest == nullptr || newest->name.version < from.version) {
      return refusal("the catalogue has no " + flavor + " build of " + from.version.minor_string() +
                         " at or after " + from.version.to_string(),
                     "give the version to move to with --to");
    }
    target = newest->name;
    chosen.reason = "the latest " + flavor + " build of " + from.version.minor_string();
  } else if (auto advised = recommended(source, state, manifest, today)) {
    target = *advised;
    chosen.reason = "recommended by check-upgrade";
  } else {
    const auto newer = manifest::newer_minors(manifest, from);
    chosen.reason = "control plane " + source.revision + " runs " + from.to_string() +
                    ", the latest patch of " + from.group() + " in the catalogue" +
                    (newer.empty() ? std::string()
                                   : "; to move to the next minor, give --to " +
                                         newer.front().version.minor_string());
    return chosen;
  }
  if (target == from || (target.version == from.version && target.flavor == from.flavor)) {
    chosen.reason = "control plane " + source.revision + " already runs " + from.to_string();
    return chosen;
  }
  if (auto checked = check_rules(target, source, state, manifest, today, request, chosen);
      !checked) {
    return checked.error();
  }
  chosen.name = target;
  return chosen;
}

std::string revision_for(const DistributionName& target,
                         const std::vector<mesh::ControlPlane>& control_planes) {
  auto name = target.version.to_string();
  std::replace(name.begin(), name.end(), '.', '-');
  for (const auto& plane : control_planes) {
    if (plane.revision == name && plane.version &&
        !(plane.version->version == target.version && plane.version->flavor == target.flavor)) {
      return name + "-" + target.flavor;
    }
  }
  return name;
}

}  // namespace getmesh::upgrade
