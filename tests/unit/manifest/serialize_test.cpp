#include "manifest/catalog_cache.hpp"

#include <getmesh/manifest/catalog.hpp>
#include <getmesh/manifest/limits.hpp>
#include <getmesh/manifest/serialize.hpp>
#include <getmesh/manifest/source.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace getmesh::manifest {
namespace {

UpstreamRelease release_of(const std::string& tag, const std::string& date,
                           const std::string& digest) {
  UpstreamRelease release;
  release.tag = tag;
  release.version = *Version::parse(tag);
  release.published = *CivilDate::parse(date);
  release.notes_url = "https://github.com/istio/istio/releases/tag/" + tag;
  release.downloads["linux-amd64"] = {"https://dl.example/istioctl-" + tag + "-linux-amd64.tar.gz",
                                      digest, "https://dl.example/x.sha256", 31'415'926};
  release.downloads["osx-arm64"] = {"https://dl.example/istioctl-" + tag + "-osx-arm64.tar.gz", "",
                                    ""};
  return release;
}

Manifest embedded() { return *parse(embedded_manifest(), "(embedded)"); }

// Everything parse() reads back, as comparable JSON.
nlohmann::json model(const Manifest& manifest) {
  auto text = to_json(manifest);
  EXPECT_TRUE(text.ok()) << text.error().message;
  return nlohmann::json::parse(*text);
}

TEST(ManifestSerialize, TheEmbeddedManifestRoundTrips) {
  const auto text = to_json(embedded());
  ASSERT_TRUE(text.ok()) << text.error().message;
  const auto again = parse(*text, "exported");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(to_json(*again).value(), *text);
  EXPECT_EQ(again->distributions.size(), embedded().distributions.size());
  EXPECT_EQ(again->default_flavor, "istio");
  EXPECT_EQ(again->end_of_life({{1, 18, 2}, "tetrate", 0})->to_string(), "2024-08-03");
}

TEST(ManifestSerialize, AMergedCatalogueRoundTripsWithItsChecksumsAndEstimates) {
  const std::string digest(64, 'e');
  const auto merged = merge(embedded(), {release_of("1.32.0", "2026-11-18", digest),
                                         release_of("1.31.1", "2026-09-21", digest)})
                          .manifest;
  const auto text = to_json(merged);
  ASSERT_TRUE(text.ok()) << text.error().message;
  const auto again = parse(*text, "exported");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*to_json(*again), *text);

  const auto* added = again->find({{1, 32, 0}, "istio", 0});
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->downloads.at("linux-amd64").sha256, digest) << "upstream's digest is pinned";
  EXPECT_EQ(added->downloads.at("osx-arm64").url,
            "https://dl.example/istioctl-1.32.0-osx-arm64.tar.gz");
  EXPECT_TRUE(added->downloads.at("osx-arm64").sha256.empty());
  EXPECT_EQ(added->downloads.at("linux-amd64").size, 31'415'926u) << "upstream's size is kept";
  EXPECT_EQ(added->downloads.at("osx-arm64").size, 0u);
  EXPECT_TRUE(added->k8s_versions.empty());
  // 1.30's estimated end of life (1.32.0 + 6 weeks) stays marked.
  EXPECT_EQ(again->end_of_life({{1, 30, 5}, "istio", 0})->to_string(), "2026-12-30");
  EXPECT_TRUE(again->end_of_life_estimated({{1, 30, 5}, "istio", 0}));
  EXPECT_TRUE(again->end_of_life_estimated({{1, 32, 0}, "istio", 0}));
  // Merging the exported file with the same upstream releases changes nothing.
  EXPECT_EQ(*to_json(merge(*again, {release_of("1.32.0", "2026-11-18", digest),
                                    release_of("1.31.1", "2026-09-21", digest)})
                         .manifest),
            *text);
}

TEST(ManifestSerialize, RefusesToChooseBetweenDisagreeingChecksums) {
  auto manifest = embedded();
  manifest.distributions[0].downloads["linux-amd64"] = {"", std::string(64, 'a'),
                                                        std::string(64, 'b'), ""};
  const auto text = to_json(manifest);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find(manifest.distributions[0].name.to_string() +
                                      " for linux-amd64 disagree"),
            std::string::npos);
}

TEST(ManifestSelect, FiltersByFlavorVersionAndPlatform) {
  const auto merged =
      merge(embedded(), {release_of("1.32.0", "2026-11-18", std::string(64, 'e'))}).manifest;
  const auto selected = select(merged, {"istio", "1.32", "linux-amd64"});
  ASSERT_EQ(selected.distributions.size(), 1u);
  EXPECT_EQ(selected.distributions[0].downloads.size(), 1u);
  EXPECT_TRUE(selected.distributions[0].downloads.contains("linux-amd64"));
  EXPECT_EQ(selected.lifecycle.size(), 1u);
  EXPECT_TRUE(selected.lifecycle.contains({1, 32}));
  EXPECT_EQ(selected.download_templates.size(), 1u);

  const auto tetrate = select(merged, {"tetrate", "1.18", ""});
  EXPECT_EQ(tetrate.distributions.size(), 3u);
  EXPECT_TRUE(tetrate.legacy_end_of_life.contains({1, 18}));
  EXPECT_EQ(model(tetrate)["istio_distributions"].size(), 3u);

  EXPECT_EQ(select(merged, {"", "1.31.1", ""}).distributions.size(), 1u);
  EXPECT_EQ(select(merged, {}).distributions.size(), merged.distributions.size());
  EXPECT_TRUE(select(merged, {"", "1.99", ""}).distributions.empty());
}

TEST(CatalogCache, RoundTripsAndRejectsDamage) {
  CachedCatalog catalog;
  catalog.api_url = "https://api.github.com";
  catalog.etag = "W/\"abc\"";
  catalog.checked_at = 1764400000;
  catalog.retry_at = 1764403600;
  catalog.retry_reason = "unreachable: no answer\tin time";
  catalog.next_url = "https://api.github.com/repositories/1/releases?page=3";
  catalog.pages = 2;
  catalog.releases.push_back(release_of("1.32.0", "2026-11-18", std::string(64, 'e')));
  catalog.releases[0].is_security_patch = true;
  auto prerelease = release_of("1.33.0", "2026-11-25", "");
  prerelease.tag = "1.33.0-alpha.0";
  prerelease.prerelease = true;
  prerelease.notes_url.clear();
  catalog.pending.push_back(prerelease);
  const auto text = serialize_catalog(catalog);
  const auto again = parse_catalog(text);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(serialize_catalog(*again), text);
  EXPECT_EQ(again->etag, "W/\"abc\"");
  EXPECT_EQ(again->retry_at, 1764403600);
  EXPECT_EQ(again->retry_reason, "unreachable: no answer in time") << "one line, one field";
  EXPECT_EQ(again->pages, 2);
  EXPECT_TRUE(again->reading());
  ASSERT_EQ(again->releases.size(), 1u);
  EXPECT_TRUE(again->releases[0].is_security_patch);
  EXPECT_EQ(again->releases[0].downloads.at("linux-amd64").digest, std::string(64, 'e'));
  EXPECT_EQ(again->releases[0].downloads.at("osx-arm64").checksum_url, "");
  EXPECT_EQ(again->releases[0].downloads.at("linux-amd64").size, 31'415'926u);
  ASSERT_EQ(again->pending.size(), 1u);
  EXPECT_TRUE(again->pending[0].prerelease);
  EXPECT_EQ(again->pending[0].version.to_string(), "1.33.0");

  // More releases than upstream can have make the cache unusable rather than slow.
  std::string crowded = "getmesh-catalogue 3\n";
  for (std::size_t i = 0; i <= kMaxCatalogReleases; ++i) {
    crowded += "release\t1.0." + std::to_string(i) + "\t2026-01-01\tcomplete\t-\t\n";
  }
  const auto refused = parse_catalog(crowded);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("more than 2000 releases"), std::string::npos);

  for (const auto& damaged :
       {std::string(), text.substr(0, text.size() - 1), std::string("getmesh-catalogue 4\n"),
        std::string(R"({"format": 1, "releases": []})"),
        // Earlier formats: read again from upstream, never half-understood.
        std::string("getmesh-catalogue 2\nrelease\t1.2.3\t2026-01-01\t1\t-\t\n"),
        std::string("getmesh-catalogue 3\nrelease\t1.2.3\t2026-01-01\t1\t-\t\n"),
        std::string("getmesh-catalogue 3\nrelease\tx\t2026-01-01\tcomplete\t-\t\n"),
        std::string("getmesh-catalogue 3\nrelease\t1.2.3\t2026-13-01\tpending\t-\t\n"),
        std::string("getmesh-catalogue 3\nrelease\t1.2.3\t2026-01-01\tcomplete\t-\t\n"
                    "download\tlinux-amd64\thttps://x\t\t\n"),
        std::string("getmesh-catalogue 3\nrelease\t1.2.3\t2026-01-01\tcomplete\t-\t\n"
                    "download\tlinux-amd64\thttps://x\t\t\tbig\n"),
        std::string("getmesh-catalogue 3\ndownload\tlinux-amd64\thttps://x\t\t\t1\n"),
        std::string("getmesh-catalogue 3\nchecked_at\tsoon\n"),
        std::string("getmesh-catalogue 3\nwhatever\t1\n")}) {
    EXPECT_FALSE(parse_catalog(damaged).ok()) << damaged;
  }
}

}  // namespace
}  // namespace getmesh::manifest
