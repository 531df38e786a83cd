#include <getmesh/manifest/catalog.hpp>

#include <algorithm>
#include <set>

namespace getmesh::manifest {

namespace {

// Kubernetes support is per minor: the newest manifest entry of the minor says it.
std::vector<std::string> k8s_versions_of_minor(const Manifest& manifest,
                                               const MinorVersion& minor) {
  const Distribution* newest = nullptr;
  for (const auto& distribution : manifest.distributions) {
    if (distribution.origin == Origin::kManifest && distribution.name.flavor == kFlavorIstio &&
        MinorVersion::of(distribution.name.version) == minor &&
        (newest == nullptr || distribution.name > newest->name)) {
      newest = &distribution;
    }
  }
  return newest == nullptr ? std::vector<std::string>() : newest->k8s_versions;
}

Distribution from_upstream(const UpstreamRelease& release, const Manifest& manifest) {
  Distribution distribution;
  distribution.name = DistributionName{release.version, std::string(kFlavorIstio), 0};
  distribution.k8s_versions = k8s_versions_of_minor(manifest, MinorVersion::of(release.version));
  if (!release.notes_url.empty()) distribution.release_notes.push_back(release.notes_url);
  distribution.is_security_patch = release.is_security_patch;
  distribution.origin = Origin::kUpstream;
  for (const auto& [platform, asset] : release.downloads) {
    distribution.downloads[platform] =
        Download{asset.url, "", asset.digest, asset.checksum_url, asset.size};
  }
  return distribution;
}

// Adds upstream's URLs and checksums to a distribution the manifest lists; the manifest's own
// values stay. Returns the platforms whose checksums disagree.
std::vector<std::string> enrich(Distribution& distribution, const UpstreamRelease& release) {
  std::vector<std::string> conflicts;
  for (const auto& [platform, asset] : release.downloads) {
    auto& download = distribution.downloads[platform];
    if (download.url.empty()) download.url = asset.url;
    download.upstream_digest = asset.digest;
    download.checksum_url = asset.checksum_url;
    if (download.size == 0) download.size = asset.size;
    if (download.checksums_conflict()) conflicts.push_back(platform);
  }
  if (distribution.release_notes.empty() && !release.notes_url.empty()) {
    distribution.release_notes.push_back(release.notes_url);
  }
  return conflicts;
}

// Inserts before the first entry that is older, so a manifest in the usual newest-first order
// stays in that order and its own order is never changed.
void insert_in_order(std::vector<Distribution>& distributions, Distribution distribution) {
  const auto older =
      std::find_if(distributions.begin(), distributions.end(),
                   [&](const Distribution& d) { return d.name < distribution.name; });
  distributions.insert(older, std::move(distribution));
}

// Istio's policy: a minor is supported until six weeks after the .0 of the minor two above it.
void estimate_lifecycles(Manifest& manifest, const std::vector<UpstreamRelease>& releases) {
  std::map<MinorVersion, CivilDate> first_release;  // the .0 of each minor
  for (const auto& release : releases) {
    if (!release.prerelease && release.version.patch == 0) {
      first_release[MinorVersion::of(release.version)] = release.published;
    }
  }
  std::set<MinorVersion> minors;
  for (const auto& distribution : manifest.distributions) {
    if (distribution.name.flavor == kFlavorIstio) {
      minors.insert(MinorVersion::of(distribution.name.version));
    }
  }
  for (const auto& minor : minors) {
    const DistributionName probe{{minor.major, minor.minor, 0}, std::string(kFlavorIstio), 0};
    if (manifest.end_of_life(probe)) continue;  // the manifest gives it
    const bool known = manifest.lifecycle.contains(minor) ||
                       std::any_of(manifest.distributions.begin(), manifest.distributions.end(),
                                   [&](const Distribution& d) {
                                     return d.origin == Origin::kManifest &&
                                            MinorVersion::of(d.name.version) == minor;
                                   });
    const auto successor = first_release.find({minor.major, minor.minor + 2});
    if (successor == first_release.end()) {
      if (!known) manifest.lifecycle[minor].community_estimated = true;  // supported, by policy
      continue;
    }
    auto& lifecycle = manifest.lifecycle[minor];
    lifecycle.community_end_of_life =
        CivilDate::from_days(successor->second.days_since_epoch() + kCommunitySupportGraceDays);
    lifecycle.community_estimated = true;
  }
}

}  // namespace

Catalogue merge(Manifest manifest, const std::vector<UpstreamRelease>& releases) {
  Catalogue catalogue;
  std::vector<Distribution> added;
  for (const auto& release : releases) {
    if (release.prerelease) {
      catalogue.prereleases.push_back(release);
      continue;
    }
    const DistributionName name{release.version, std::string(kFlavorIstio), 0};
    auto found = std::find_if(manifest.distributions.begin(), manifest.distributions.end(),
                              [&](const Distribution& d) { return d.name == name; });
    if (found == manifest.distributions.end()) {
      added.push_back(from_upstream(release, manifest));
      continue;
    }
    for (const auto& platform : enrich(*found, release)) {
      const auto& download = found->downloads.at(platform);
      catalogue.warnings.push_back("the checksums of " + name.to_string() + " for " + platform +
                                   " disagree: the manifest says sha256 " + download.sha256 +
                                   ", upstream's digest says " + download.upstream_digest +
                                   "; fetch refuses it until they agree");
    }
  }
  for (auto& distribution : added) insert_in_order(manifest.distributions, std::move(distribution));
  estimate_lifecycles(manifest, releases);
  catalogue.manifest = std::move(manifest);
  return catalogue;
}

}  // namespace getmesh::manifest
