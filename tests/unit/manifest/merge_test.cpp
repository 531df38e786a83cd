#include <getmesh/manifest/catalog.hpp>

#include <gtest/gtest.h>

namespace getmesh::manifest {
namespace {

const std::string kDigestA(64, 'a');
const std::string kDigestB(64, 'b');

Manifest base_manifest() {
  auto manifest = parse(R"({
    "default_flavor": "istio",
    "download_templates": {"istio": "https://github.com/istio/istio/releases/download/{version}/istioctl-{version}-{platform}.tar.gz"},
    "lifecycle": {"1.31": {}, "1.30": {}, "1.29": {"community_end_of_life": "2026-10-12"}},
    "istio_distributions": [
      {"version": "1.31.1", "flavor": "istio", "k8s_versions": ["1.32", "1.33"],
       "release_notes": ["https://istio.io/announcing-1.31.1/"], "is_security_patch": false},
      {"version": "1.30.5", "flavor": "istio", "k8s_versions": ["1.31", "1.32"],
       "is_security_patch": true,
       "downloads": {"linux-amd64": {"sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}},
      {"version": "1.29.8", "flavor": "istio", "k8s_versions": ["1.30", "1.31"]},
      {"version": "1.18.2", "flavor": "tetrate", "k8s_versions": ["1.24"]}
    ]})",
                        "test");
  EXPECT_TRUE(manifest.ok()) << manifest.error().message;
  return *manifest;
}

UpstreamRelease upstream(const std::string& tag, const std::string& date,
                         const std::string& digest = "", bool security = false) {
  UpstreamRelease release;
  release.tag = tag;
  release.version = *Version::parse(tag.substr(0, tag.find('-')));
  release.prerelease = tag.find('-') != std::string::npos;
  release.published = *CivilDate::parse(date);
  release.notes_url = "https://github.com/istio/istio/releases/tag/" + tag;
  release.is_security_patch = security;
  const auto url = "https://github.com/istio/istio/releases/download/" + tag + "/istioctl-" + tag;
  release.downloads["linux-amd64"] = {url + "-linux-amd64.tar.gz", digest,
                                      url + "-linux-amd64.tar.gz.sha256"};
  release.downloads["osx-amd64"] = {url + "-osx.tar.gz", digest, ""};
  return release;
}

std::vector<std::string> names(const Manifest& manifest) {
  std::vector<std::string> result;
  for (const auto& distribution : manifest.distributions) {
    result.push_back(distribution.name.to_string());
  }
  return result;
}

const Distribution& find(const Manifest& manifest, const std::string& name) {
  const auto* found = manifest.find(*DistributionName::parse(name));
  EXPECT_NE(found, nullptr) << name;
  return *found;
}

TEST(CatalogueMerge, UpstreamAddsTheReleasesTheManifestDoesNotListInOrder) {
  const auto catalogue =
      merge(base_manifest(), {upstream("1.32.0", "2026-11-18"), upstream("1.31.4", "2026-11-18"),
                              upstream("1.31.1", "2026-09-21"), upstream("1.30.8", "2026-11-18"),
                              upstream("1.30.0", "2026-05-18"), upstream("1.9.0", "2021-02-09")});
  EXPECT_EQ(names(catalogue.manifest),
            (std::vector<std::string>{"1.32.0-istio-v0", "1.31.4-istio-v0", "1.31.1-istio-v0",
                                      "1.30.8-istio-v0", "1.30.5-istio-v0", "1.30.0-istio-v0",
                                      "1.29.8-istio-v0", "1.18.2-tetrate-v0", "1.9.0-istio-v0"}));
  EXPECT_TRUE(catalogue.warnings.empty());
  const auto& added = find(catalogue.manifest, "1.32.0-istio-v0");
  EXPECT_EQ(added.origin, Origin::kUpstream);
  EXPECT_EQ(added.release_notes,
            std::vector<std::string>{"https://github.com/istio/istio/releases/tag/1.32.0"});
  EXPECT_EQ(find(catalogue.manifest, "1.31.1-istio-v0").origin, Origin::kManifest);
}

TEST(CatalogueMerge, TheManifestWinsForWhatItLists) {
  auto release = upstream("1.31.1", "2026-09-21", kDigestB, /*security=*/true);
  release.notes_url = "https://github.com/istio/istio/releases/tag/1.31.1";
  const auto catalogue = merge(base_manifest(), {release});
  const auto& merged = find(catalogue.manifest, "1.31.1-istio-v0");
  EXPECT_EQ(merged.k8s_versions, (std::vector<std::string>{"1.32", "1.33"}));
  EXPECT_EQ(merged.release_notes, std::vector<std::string>{"https://istio.io/announcing-1.31.1/"});
  EXPECT_FALSE(merged.is_security_patch);
  // Upstream adds where the archive is and its checksums.
  const auto& download = merged.downloads.at("linux-amd64");
  EXPECT_EQ(download.url, release.downloads["linux-amd64"].url);
  EXPECT_EQ(download.upstream_digest, kDigestB);
  EXPECT_EQ(download.checksum_url, release.downloads["linux-amd64"].checksum_url);
  EXPECT_TRUE(download.sha256.empty());
}

TEST(CatalogueMerge, AManifestUrlIsKept) {
  auto manifest = base_manifest();
  manifest.distributions[0].downloads["linux-amd64"].url = "https://mirror.corp/istioctl.tar.gz";
  const auto catalogue = merge(manifest, {upstream("1.31.1", "2026-09-21", kDigestA)});
  EXPECT_EQ(find(catalogue.manifest, "1.31.1-istio-v0").downloads.at("linux-amd64").url,
            "https://mirror.corp/istioctl.tar.gz");
}

TEST(CatalogueMerge, DisagreeingChecksumsAreKeptAndReported) {
  const auto catalogue = merge(base_manifest(), {upstream("1.30.5", "2026-09-21", kDigestB)});
  ASSERT_EQ(catalogue.warnings.size(), 1u);
  EXPECT_NE(catalogue.warnings[0].find("1.30.5-istio-v0 for linux-amd64 disagree"),
            std::string::npos)
      << catalogue.warnings[0];
  EXPECT_NE(catalogue.warnings[0].find(kDigestA), std::string::npos);
  EXPECT_NE(catalogue.warnings[0].find(kDigestB), std::string::npos);
  const auto& download = find(catalogue.manifest, "1.30.5-istio-v0").downloads.at("linux-amd64");
  EXPECT_TRUE(download.checksums_conflict());
  // The same digest is no conflict.
  EXPECT_TRUE(
      merge(base_manifest(), {upstream("1.30.5", "2026-09-21", kDigestA)}).warnings.empty());
}

TEST(CatalogueMerge, KubernetesSupportComesFromTheManifestsMinorOrIsUnknown) {
  const auto catalogue =
      merge(base_manifest(), {upstream("1.32.0", "2026-11-18"), upstream("1.31.4", "2026-11-18"),
                              upstream("1.30.8", "2026-11-18")});
  EXPECT_EQ(find(catalogue.manifest, "1.31.4-istio-v0").k8s_versions,
            (std::vector<std::string>{"1.32", "1.33"}));
  EXPECT_EQ(find(catalogue.manifest, "1.30.8-istio-v0").k8s_versions,
            (std::vector<std::string>{"1.31", "1.32"}));
  EXPECT_TRUE(find(catalogue.manifest, "1.32.0-istio-v0").k8s_versions.empty());
}

TEST(CatalogueMerge, EndOfLifeIsEstimatedFromIstiosPolicyWhenTheManifestHasNone) {
  const auto catalogue =
      merge(base_manifest(), {upstream("1.32.0", "2026-11-18"), upstream("1.31.0", "2026-08-31"),
                              upstream("1.29.0", "2026-02-16"), upstream("1.27.0", "2025-08-11")});
  const auto& manifest = catalogue.manifest;
  // 1.30: six weeks after 1.32.0.
  const DistributionName v130{{1, 30, 5}, "istio", 0};
  EXPECT_EQ(manifest.end_of_life(v130)->to_string(), "2026-12-30");
  EXPECT_TRUE(manifest.end_of_life_estimated(v130));
  // 1.29: the manifest's date wins over 1.31.0 + 42 days.
  const DistributionName v129{{1, 29, 8}, "istio", 0};
  EXPECT_EQ(manifest.end_of_life(v129)->to_string(), "2026-10-12");
  EXPECT_FALSE(manifest.end_of_life_estimated(v129));
  // 1.32: no 1.34.0 yet, so supported; a minor the manifest does not know is marked estimated.
  const DistributionName v132{{1, 32, 0}, "istio", 0};
  EXPECT_FALSE(manifest.end_of_life(v132).has_value());
  EXPECT_TRUE(manifest.end_of_life_estimated(v132));
  // 1.31 is known to the manifest (without a date) and 1.33.0 does not exist: not estimated.
  EXPECT_FALSE(manifest.end_of_life_estimated({{1, 31, 1}, "istio", 0}));
  // Tetrate builds never get a community estimate.
  EXPECT_FALSE(manifest.end_of_life_estimated({{1, 18, 2}, "tetrate", 0}));
}

TEST(CatalogueMerge, SecurityFlagsOfNewReleasesComeFromTheirNotes) {
  const auto catalogue = merge(base_manifest(), {upstream("1.31.4", "2026-11-18", "", true),
                                                 upstream("1.31.3", "2026-10-28")});
  EXPECT_TRUE(find(catalogue.manifest, "1.31.4-istio-v0").is_security_patch);
  EXPECT_FALSE(find(catalogue.manifest, "1.31.3-istio-v0").is_security_patch);
}

TEST(CatalogueMerge, PrereleasesStayOutOfTheDistributions) {
  const auto catalogue = merge(base_manifest(), {upstream("1.33.0-alpha.0", "2026-11-25")});
  EXPECT_EQ(catalogue.manifest.distributions.size(), base_manifest().distributions.size());
  ASSERT_EQ(catalogue.prereleases.size(), 1u);
  EXPECT_EQ(catalogue.prereleases[0].tag, "1.33.0-alpha.0");
}

TEST(CatalogueMerge, NothingFromUpstreamLeavesTheManifestAsItIs) {
  const auto catalogue = merge(base_manifest(), {});
  EXPECT_EQ(names(catalogue.manifest), names(base_manifest()));
  EXPECT_FALSE(catalogue.manifest.end_of_life_estimated({{1, 30, 5}, "istio", 0}));
}

}  // namespace
}  // namespace getmesh::manifest
