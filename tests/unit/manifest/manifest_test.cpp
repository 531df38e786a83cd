#include <getmesh/manifest/manifest.hpp>
#include <getmesh/manifest/source.hpp>

#include <gtest/gtest.h>

namespace getmesh::manifest {
namespace {

constexpr const char* kOriginal = R"({
  "istio_minor_versions_eol_dates": {"1.18": "2024-08-03", "1.17": "2024-04-14"},
  "istio_distributions": [
    {"version": "1.18.2", "flavor": "tetrate", "flavor_version": 0,
     "k8s_versions": ["1.23", "1.24"], "release_notes": ["https://istio.io/1.18.2"],
     "is_security_patch": false},
    {"version": "1.17.4", "flavor": "tetratefips", "flavor_version": 2, "k8s_versions": ["1.23"],
     "unknown_field": {"kept": "out"}}
  ]
})";

TEST(ManifestParse, ReadsTheOriginalFormat) {
  const auto manifest = parse(kOriginal, "test");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  ASSERT_EQ(manifest->distributions.size(), 2u);
  EXPECT_EQ(manifest->distributions[0].name.to_string(), "1.18.2-tetrate-v0");
  EXPECT_EQ(manifest->distributions[1].name.to_string(), "1.17.4-tetratefips-v2");
  EXPECT_EQ(manifest->distributions[0].k8s_versions, (std::vector<std::string>{"1.23", "1.24"}));
  EXPECT_EQ(manifest->default_flavor, "tetrate");
  EXPECT_EQ(manifest->end_of_life(manifest->distributions[1].name)->to_string(), "2024-04-14");
}

TEST(ManifestParse, EndOfLifeDependsOnFlavor) {
  const auto manifest = parse(R"({
    "default_flavor": "istio",
    "lifecycle": {"1.29": {"community_end_of_life": "2026-10-12", "tetrate_end_of_life": "2027-04-01"},
                  "1.30": {}},
    "istio_distributions": [
      {"version": "1.29.8", "flavor": "istio"}, {"version": "1.29.8", "flavor": "tetrate"},
      {"version": "1.30.5", "flavor": "istio"}]})",
                              "test");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(manifest->default_flavor, "istio");
  EXPECT_EQ(manifest->end_of_life({{1, 29, 8}, "istio", 0})->to_string(), "2026-10-12");
  EXPECT_EQ(manifest->end_of_life({{1, 29, 8}, "tetrate", 0})->to_string(), "2027-04-01");
  EXPECT_FALSE(manifest->end_of_life({{1, 30, 5}, "istio", 0}).has_value());
}

TEST(ManifestParse, ReadsPerPlatformDownloadsAndTemplates) {
  const auto manifest = parse(R"({
    "download_templates": {"istio": "https://example.com/{version}/istioctl-{version}-{platform}.tar.gz"},
    "istio_distributions": [{"version": "1.31.1", "flavor": "istio", "downloads": {
      "linux-amd64": {"url": "https://example.com/a.tar.gz",
                      "sha256": "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"}}}]})",
                              "test");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  const auto& download = manifest->distributions[0].downloads.at("linux-amd64");
  EXPECT_EQ(download.url, "https://example.com/a.tar.gz");
  EXPECT_EQ(download.sha256, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
}

struct BadManifest {
  const char* json;
  const char* expected_in_message;
};

class ManifestParseRejects : public ::testing::TestWithParam<BadManifest> {};

TEST_P(ManifestParseRejects, WithAMessageNamingTheSourceAndPlace) {
  const auto manifest = parse(GetParam().json, "https://mirror.example/manifest.json");
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.error().message.find("https://mirror.example/manifest.json"),
            std::string::npos);
  EXPECT_NE(manifest.error().message.find(GetParam().expected_in_message), std::string::npos)
      << manifest.error().message;
  EXPECT_FALSE(manifest.error().hint.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ManifestParseRejects,
    ::testing::Values(
        BadManifest{"<!DOCTYPE html><html><body>moved</body></html>", "HTML page"},
        BadManifest{"  \n<html>", "HTML page"},
        BadManifest{"{\"istio_distributions\": [", "not valid JSON"},
        BadManifest{"[]", "not a JSON object"}, BadManifest{"{}", "no istio_distributions"},
        BadManifest{R"({"istio_distributions": {}})", "expected a list"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2", "flavor": "istio"}]})",
                    "istio_distributions[0].version"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2.3"}]})",
                    "istio_distributions[0].flavor"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2.3", "flavor": "Tet rate"}]})",
                    "lower-case flavor"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2.3", "flavor": "istio",
                       "flavor_version": -1}]})",
                    "flavor_version"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2.3", "flavor": "istio"},
                                                {"version": "1.2.3", "flavor": "istio"}]})",
                    "listed twice"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2.3", "flavor": "istio",
                       "downloads": {"linux-amd64": {"sha256": "abc"}}}]})",
                    "64 hexadecimal"},
        BadManifest{R"({"istio_distributions": [{"version": "1.2.3", "flavor": "istio",
                       "downloads": {"linux-amd64": {"url": "ftp://x"}}}]})",
                    "not an http(s) or file URL"},
        BadManifest{
            R"({"istio_distributions": [], "istio_minor_versions_eol_dates": {"1.x": "2020-01-01"}})",
            "not a minor version"},
        BadManifest{
            R"({"istio_distributions": [], "istio_minor_versions_eol_dates": {"1.2": "2020-02-30"}})",
            "calendar date"},
        BadManifest{
            R"({"istio_distributions": [], "download_templates": {"istio": "https://x/{nope}"}})",
            "unknown placeholder"},
        BadManifest{R"({"istio_distributions": [], "default_flavor": "other"})",
                    "default_flavor"}));

// A mirror's manifest.json names its archives relative to itself.
TEST(ManifestParse, RelativeDownloadUrlsResolveAgainstTheManifestsDirectory) {
  constexpr const char* kMirrored = R"({"istio_distributions": [
    {"version": "1.31.1", "flavor": "istio", "flavor_version": 0, "downloads": {
      "linux-amd64": {"url": "istio-1.31.1-istio-v0-linux-amd64.tar.gz"}}}]})";
  const auto resolved = parse(kMirrored, "test", "https://mirror.example.com/istio/");
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_EQ(resolved->distributions[0].downloads.at("linux-amd64").url,
            "https://mirror.example.com/istio/istio-1.31.1-istio-v0-linux-amd64.tar.gz");

  const auto without_base = parse(kMirrored, "test");
  ASSERT_FALSE(without_base.ok());
  EXPECT_NE(without_base.error().message.find("relative URL"), std::string::npos);

  for (const char* url : {"../secret.tar.gz", "/etc/passwd", "ftp://host/a.tar.gz", "a/../b"}) {
    std::string json = kMirrored;
    json.replace(json.find("istio-1.31.1-istio-v0-linux-amd64.tar.gz"),
                 std::string("istio-1.31.1-istio-v0-linux-amd64.tar.gz").size(), url);
    EXPECT_FALSE(parse(json, "test", "https://mirror.example.com/istio/").ok()) << url;
  }
}

TEST(EmbeddedManifest, IsValidAndCoversEveryMinorUpToTheNewest) {
  const auto manifest = parse(embedded_manifest(), "(embedded)");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(manifest->default_flavor, "istio");
  EXPECT_EQ(manifest->distributions.front().name.to_string(), "1.31.1-istio-v0");
  for (int minor = 10; minor <= 31; ++minor) {
    bool found = false;
    for (const auto& distribution : manifest->distributions) {
      found =
          found || (distribution.name.flavor == "istio" && distribution.name.version.major == 1 &&
                    distribution.name.version.minor == minor);
    }
    EXPECT_TRUE(found) << "1." << minor << " has no istio distribution";
  }
  EXPECT_NE(manifest->find({{1, 18, 2}, "tetratefips", 0}), nullptr);
  EXPECT_EQ(manifest->end_of_life({{1, 29, 8}, "istio", 0})->to_string(), "2026-10-12");
  EXPECT_EQ(manifest->end_of_life({{1, 18, 2}, "tetrate", 0})->to_string(), "2024-08-03");
}

}  // namespace
}  // namespace getmesh::manifest
