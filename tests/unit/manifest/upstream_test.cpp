#include "manifest/page_parser.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/manifest/upstream.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

namespace getmesh::manifest {
namespace {

std::string fixture() {
  auto text =
      *read_file(std::string(GETMESH_SOURCE_DIR) + "/tests/data/github/istio-releases.json");
  for (auto at = text.find("{base}"); at != std::string::npos; at = text.find("{base}", at)) {
    text.replace(at, 6, "https://api.example");
  }
  return text;
}

nlohmann::json release(const std::string& tag, nlohmann::json assets) {
  return {{"tag_name", tag},
          {"draft", false},
          {"prerelease", false},
          {"published_at", "2026-11-18T17:03:44Z"},
          {"html_url", "https://github.com/istio/istio/releases/tag/" + tag},
          {"assets", std::move(assets)},
          {"body", nullptr}};
}

nlohmann::json asset(const std::string& name, const nlohmann::json& digest = nullptr) {
  return {
      {"name", name}, {"browser_download_url", "https://dl.example/" + name}, {"digest", digest}};
}

TEST(UpstreamPage, ReadsTheIstioReleasesFixture) {
  const auto releases = parse_releases_page(fixture(), "https://api.example/releases");
  ASSERT_TRUE(releases.ok()) << releases.error().message;
  std::map<std::string, const UpstreamRelease*> by_tag;
  for (const auto& release : *releases) by_tag[release.tag] = &release;
  EXPECT_EQ(releases->size(), 16u) << "the draft is left out";
  EXPECT_FALSE(by_tag.contains("1.33.0"));
  ASSERT_TRUE(by_tag.contains("1.33.0-alpha.0"));
  EXPECT_TRUE(by_tag["1.33.0-alpha.0"]->prerelease);
  EXPECT_EQ(by_tag["1.33.0-alpha.0"]->version.to_string(), "1.33.0");

  const auto& newest = *by_tag.at("1.32.0");
  EXPECT_FALSE(newest.prerelease);
  EXPECT_EQ(newest.published.to_string(), "2026-11-18");
  EXPECT_EQ(newest.notes_url, "https://github.com/istio/istio/releases/tag/1.32.0");
  EXPECT_FALSE(newest.is_security_patch);
  // istioctl archives only, Intel macOS under osx-amd64; no Windows, no full release archives.
  ASSERT_EQ(newest.downloads.size(), 4u);
  const auto& mac = newest.downloads.at("osx-amd64");
  EXPECT_EQ(mac.url, "https://api.example/download/1.32.0/istioctl-1.32.0-osx.tar.gz");
  EXPECT_EQ(mac.checksum_url, mac.url + ".sha256");
  EXPECT_EQ(mac.digest.size(), 64u);
  EXPECT_GT(mac.size, 1'000'000u) << "the asset's size in bytes";
  EXPECT_TRUE(newest.downloads.contains("linux-arm64"));

  EXPECT_TRUE(by_tag.at("1.31.4")->is_security_patch);
  // Assets uploaded before GitHub computed digests: only the .sha256 asset is there.
  const auto& old = by_tag.at("1.24.6")->downloads.at("linux-amd64");
  EXPECT_TRUE(old.digest.empty());
  EXPECT_FALSE(old.checksum_url.empty());
}

TEST(UpstreamPage, KeepsOnlyReleasesWithAnIstioctlArchive) {
  const auto page = nlohmann::json::array(
      {release("1.9.0", {asset("istio-1.9.0-linux.tar.gz")}),
       release("1.32.0",
               {asset("istioctl-1.32.0-linux-amd64.tar.gz", "sha256:" + std::string(64, 'A')),
                asset("istioctl-1.32.0-linux-amd64.tar.gz.sha256"),
                asset("istioctl-1.31.0-osx.tar.gz.sha256")})});
  const auto releases = parse_releases_page(page.dump(), "u");
  ASSERT_TRUE(releases.ok()) << releases.error().message;
  ASSERT_EQ(releases->size(), 1u);
  const auto& download = releases->front().downloads.at("linux-amd64");
  EXPECT_EQ(download.digest, std::string(64, 'a')) << "lower-cased";
  EXPECT_EQ(download.checksum_url, "https://dl.example/istioctl-1.32.0-linux-amd64.tar.gz.sha256");
}

struct BadPage {
  std::string text;
  std::string expected;
};

// Names the case by what its message must say, so test names stay readable and stable.
void PrintTo(const BadPage& page, std::ostream* out) { *out << page.expected; }

class UpstreamPageRejects : public ::testing::TestWithParam<BadPage> {};

TEST_P(UpstreamPageRejects, TheWholeAnswer) {
  const auto releases = parse_releases_page(GetParam().text, "https://api.example/p1");
  ASSERT_FALSE(releases.ok());
  EXPECT_NE(releases.error().message.find("https://api.example/p1"), std::string::npos)
      << releases.error().message;
  EXPECT_NE(releases.error().message.find(GetParam().expected), std::string::npos)
      << releases.error().message;
}

nlohmann::json with(nlohmann::json object, const std::string& key, nlohmann::json value) {
  if (value.is_discarded()) {
    object.erase(key);
  } else {
    object[key] = std::move(value);
  }
  return object;
}

const auto kGood = release("1.32.0", {asset("istioctl-1.32.0-linux-amd64.tar.gz")});
const auto kDrop = nlohmann::json(nlohmann::json::value_t::discarded);

INSTANTIATE_TEST_SUITE_P(
    Hostile, UpstreamPageRejects,
    ::testing::Values(
        BadPage{"<!DOCTYPE html><html>Unicorn!</html>", "HTML page"},
        BadPage{"[{\"tag_name\": \"1.32.0\"", "not valid JSON"},
        BadPage{R"({"message": "Not Found"})", "expected a JSON list"},
        BadPage{"[" + with(kGood, "tag_name", "release-1.32").dump() + "]",
                "release [0] (\"release-1.32\").tag_name: not a version"},
        BadPage{"[" + with(kGood, "tag_name", "1.32.0-rc 1").dump() + "]", "tag_name"},
        BadPage{"[" + with(kGood, "tag_name", 132).dump() + "]", "tag_name: missing"},
        BadPage{"[" + with(kGood, "draft", kDrop).dump() + "]", "draft: missing"},
        BadPage{"[" + with(kGood, "published_at", nullptr).dump() + "]", "published_at"},
        BadPage{"[" + with(kGood, "published_at", "yesterday").dump() + "]", "published_at"},
        BadPage{"[" + with(kGood, "assets", kDrop).dump() + "]", "assets: missing"},
        BadPage{
            "[" + release("1.32.0", {asset("istioctl-1.32.0-osx.tar.gz", "md5:abc")}).dump() + "]",
            "assets[0].digest"},
        BadPage{"[" +
                    release("1.32.0",
                            {asset("istioctl-1.32.0-osx.tar.gz", "sha256:" + std::string(63, 'a'))})
                        .dump() +
                    "]",
                "assets[0].digest"},
        BadPage{"[" +
                    release("1.32.0", {with(asset("istioctl-1.32.0-osx.tar.gz"),
                                            "browser_download_url", "file:///etc/passwd")})
                        .dump() +
                    "]",
                "assets[0].browser_download_url"},
        BadPage{
            "[" +
                release("1.32.0", {with(asset("istioctl-1.32.0-osx.tar.gz"), "size", -1)}).dump() +
                "]",
            "assets[0].size: not a byte count"}));

TEST(UpstreamPage, DraftsAreSkippedBeforeTheyAreChecked) {
  const auto draft = with(with(kGood, "draft", true), "published_at", nullptr);
  const auto releases = parse_releases_page("[" + draft.dump() + "]", "u");
  ASSERT_TRUE(releases.ok()) << releases.error().message;
  EXPECT_TRUE(releases->empty());
}

// Issue 20: "01.28.1" was listed as a second 1.28.1.
TEST(UpstreamPage, TagsThatAreNotCanonicalVersionsAreSkipped) {
  const auto page = nlohmann::json::array(
      {release("1.28.1", {asset("istioctl-1.28.1-linux-amd64.tar.gz")}),
       release("01.28.1", {asset("istioctl-01.28.1-linux-amd64.tar.gz")}),
       release("1.028.2", {asset("istioctl-1.028.2-linux-amd64.tar.gz")}),
       release("1.29.0-rc.1", {asset("istioctl-1.29.0-rc.1-linux-amd64.tar.gz")})});
  const auto releases = parse_releases_page(page.dump(), "u");
  ASSERT_TRUE(releases.ok()) << releases.error().message;
  std::vector<std::string> tags;
  for (const auto& found : *releases) tags.push_back(found.tag);
  EXPECT_EQ(tags, (std::vector<std::string>{"1.28.1", "1.29.0-rc.1"}));
}

// The page is parsed while it arrives, chunk by chunk, and fields getmesh does not use are dropped
// on the way (a huge `author` costs nothing kept); a failing source ends the page with its error.
TEST(UpstreamPage, IsParsedFromChunksAndAFailingSourceEndsIt) {
  auto item = release("1.32.0", {with(asset("istioctl-1.32.0-osx.tar.gz"), "uploader",
                                      {{"login", std::string(100000, 'u')}})});
  item["author"] = {{"login", std::string(100000, 'a')}};
  const auto text = nlohmann::json::array({item}).dump();
  std::size_t at = 0;
  const PageChunks three_bytes = [&]() -> Result<std::string_view> {
    const auto chunk = std::string_view(text).substr(at, 3);
    at += chunk.size();
    return chunk;
  };
  const auto releases = parse_releases_page(three_bytes, "u");
  ASSERT_TRUE(releases.ok()) << releases.error().message;
  ASSERT_EQ(releases->size(), 1u);
  EXPECT_EQ(releases->front().downloads.at("osx-amd64").url,
            "https://dl.example/istioctl-1.32.0-osx.tar.gz");

  int calls = 0;
  const PageChunks failing = [&]() -> Result<std::string_view> {
    if (++calls == 1) return std::string_view("[{\"tag_name\": ");
    return runtime_error("connection reset");
  };
  const auto cut = parse_releases_page(failing, "u");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().message, "connection reset");
  EXPECT_EQ(calls, 2) << "the source is not asked again after it failed";
}

TEST(UpstreamLink, FindsTheNextPage) {
  EXPECT_EQ(
      next_page_url(
          R"(<https://api.github.com/repositories/1/releases?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/releases?per_page=100&page=5>; rel="last")"),
      "https://api.github.com/repositories/1/releases?per_page=100&page=2");
  EXPECT_EQ(next_page_url(R"(<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next")"),
            "https://a/x?page=3");
  EXPECT_FALSE(
      next_page_url(R"(<https://a/x?page=1>; rel="first", <https://a/x?page=1>; rel="prev")"));
  EXPECT_FALSE(next_page_url(""));
  EXPECT_FALSE(next_page_url("<https://a/x?page=2"));
}

TEST(UpstreamSecurity, OnlyPlainStatementsCount) {
  for (const char* text :
       {"This release fixes the security vulnerabilities described in ISTIO-SECURITY-2026-004.",
        "Fixes CVE-2026-31337 in Envoy", "This is a security release.",
        "Security fixes: see the bulletin", "contains a SECURITY PATCH for istiod"}) {
    EXPECT_TRUE(mentions_security_fix(text)) << text;
  }
  for (const char* text :
       {"", "[Artifacts for 1.32.0](https://github.com/istio/istio/releases/tag/1.32.0)",
        "This release contains no security fixes.", "not a security release",
        "Improved security posture documentation", "CVE-scanner update", "ISTIO-SECURITY-",
        "insecurity fix"}) {
    EXPECT_FALSE(mentions_security_fix(text)) << text;
  }
}

TEST(UpstreamAssets, MapIstiosArchiveNamesToPlatformKeys) {
  EXPECT_EQ(istioctl_archive_platform("istioctl-1.32.0-osx.tar.gz", "1.32.0"), "osx-amd64");
  EXPECT_EQ(istioctl_archive_platform("istioctl-1.32.0-osx-arm64.tar.gz", "1.32.0"), "osx-arm64");
  EXPECT_EQ(istioctl_archive_platform("istioctl-1.32.0-linux-armv7.tar.gz", "1.32.0"),
            "linux-armv7");
  EXPECT_FALSE(istioctl_archive_platform("istioctl-1.32.0-win.zip", "1.32.0"));
  EXPECT_FALSE(istioctl_archive_platform("istio-1.32.0-linux-amd64.tar.gz", "1.32.0"));
  EXPECT_FALSE(istioctl_archive_platform("istioctl-1.31.0-osx.tar.gz", "1.32.0"));
  EXPECT_FALSE(istioctl_archive_platform("istioctl-1.32.0-linux-s390x.tar.gz", "1.32.0"));
}

}  // namespace
}  // namespace getmesh::manifest
