// The upstream catalogue through the built binary: list, fetch, show, check-upgrade and
// manifest export against the stand-in GitHub API.
#include "support/fake_home.hpp"
#include "support/github_api.hpp"
#include "support/kube_api_server.hpp"
#include "support/mirror.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/platform.hpp>
#include <getmesh/manifest/manifest.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

const nlohmann::json* row(const nlohmann::json& list, const std::string& name) {
  for (const auto& entry : list) {
    if (entry["name"] == name) return &entry;
  }
  return nullptr;
}

class CatalogE2E : public ::testing::Test {
 protected:
  RunResult getmesh(const GithubApi& api, std::vector<std::string> args,
                    std::map<std::string, std::string> env = {}) {
    auto merged = api.env();
    for (auto& [name, value] : env) merged[name] = value;
    return run_getmesh(args, fake.options(merged));
  }
  nlohmann::json list_json(const GithubApi& api, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"list", "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = getmesh(api, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
  }
  // Asset files for `tag` on this machine's platform: the istioctl archive and its .sha256 file
  // (`sha256_in_file` overrides the digest written there). Returns the archive's name and what
  // the API says of it.
  std::pair<std::string, ReleaseAsset> publish(const std::string& tag,
                                               const std::string& sha256_in_file = "") {
    const auto name = "istioctl-" + tag + "-" + Platform::host().archive_suffix() + ".tar.gz";
    const auto archive = make_tar_gz({ArchiveMember::file("istioctl", fake_istioctl(tag))});
    const auto digest = sha256_hex(archive);
    assets.write(name, archive);
    assets.write(name + ".sha256",
                 (sha256_in_file.empty() ? digest : sha256_in_file) + "  " + name + "\n");
    return {name, {digest, archive.size()}};
  }
  [[nodiscard]] std::string cache_text() const {
    auto text = read_file(fake.home() / "cache" / "catalog.txt");
    return text ? *text : std::string();
  }
  void set_ttl(const std::string& ttl) { fake.write_config(R"({"catalog_ttl":")" + ttl + "\"}"); }

  FakeHome fake;
  TempDir assets;
};

TEST_F(CatalogE2E, ListShowsUpstreamReleasesWithWhereTheyCameFrom) {
  GithubApi api({.page_size = 5});
  const auto list = list_json(api);
  const auto* newest = row(list, "1.32.0-istio-v0");
  ASSERT_NE(newest, nullptr) << list.dump(1);
  EXPECT_EQ(list[0]["name"], "1.32.0-istio-v0") << "newest first";
  EXPECT_EQ((*newest)["source"], "upstream");
  EXPECT_EQ((*newest)["k8s_versions"], nlohmann::json::array());
  EXPECT_TRUE((*newest)["end_of_life"].is_null());
  EXPECT_EQ((*newest)["end_of_life_estimated"], true);
  EXPECT_EQ((*newest)["checksum_sources"], nlohmann::json({"upstream-digest", "sha256-file"}));
  EXPECT_EQ((*newest)["release_notes"][0], "https://github.com/istio/istio/releases/tag/1.32.0");
  EXPECT_EQ((*newest)["prerelease"], false);

  const auto* security = row(list, "1.31.4-istio-v0");
  ASSERT_NE(security, nullptr);
  EXPECT_EQ((*security)["is_security_patch"], true);
  EXPECT_EQ((*security)["k8s_versions"], nlohmann::json({"1.32", "1.33", "1.34", "1.35", "1.36"}))
      << "Kubernetes support of a minor the manifest lists";

  const auto* listed = row(list, "1.30.5-istio-v0");  // in the embedded manifest too
  EXPECT_EQ((*listed)["source"], "manifest");
  EXPECT_EQ((*listed)["end_of_life"], "2026-12-30") << "1.32.0 (2026-11-18) + 6 weeks";
  EXPECT_EQ((*listed)["end_of_life_estimated"], true);
  EXPECT_EQ((*listed)["is_security_patch"], true) << "the manifest's flag";
  EXPECT_EQ((*row(list, "1.29.8-istio-v0"))["end_of_life"], "2026-10-12");
  EXPECT_EQ((*row(list, "1.29.8-istio-v0"))["end_of_life_estimated"], false);
  EXPECT_EQ((*row(list, "1.24.6-istio-v0"))["checksum_sources"], nlohmann::json({"sha256-file"}))
      << "an old release without a digest";
  EXPECT_NE(row(list, "1.24.0-istio-v0"), nullptr);
  EXPECT_EQ(row(list, "1.33.0-istio-v0"), nullptr) << "a draft";
  EXPECT_EQ(row(list, "1.33.0-alpha.0-istio-v0"), nullptr) << "prereleases only on request";

  const auto table = getmesh(api, {"list", "--version", "1.30"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("SOURCE"));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("1.30.8 +istio +0 +1.32,1.33,1.34,1.35,1.36 +"
                                                  "2026-12-30 \\(estimated\\) +upstream"));
  EXPECT_THAT(table.out,
              ::testing::ContainsRegex("1.30.5 .* 2026-12-30 \\(estimated\\) +manifest"));
  EXPECT_EQ(table.err, "");
  const auto newest_row = getmesh(api, {"list", "--version", "1.32.0"});
  EXPECT_THAT(newest_row.out, ::testing::ContainsRegex("1.32.0 +istio +0 +unknown +upstream"));
}

TEST_F(CatalogE2E, PrereleasesOnRequest) {
  GithubApi api;
  const auto list = list_json(api, {"--prerelease"});
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[0]["version"], "1.33.0-alpha.0");
  EXPECT_EQ(list[0]["prerelease"], true);
  EXPECT_EQ(list[0]["source"], "upstream");
  EXPECT_EQ(list[1]["version"], "1.32.0");
  EXPECT_EQ(row(list, "1.32.0-rc.1-istio-v0"), nullptr) << "1.32.0 is out";
  const auto table = getmesh(api, {"list", "--prerelease", "--version", "1.33"});
  EXPECT_THAT(table.out, HasSubstr("upstream (prerelease)"));
  EXPECT_THAT(list_json(api, {"--prerelease", "--flavor", "tetrate"}).dump(),
              Not(HasSubstr("alpha")));
}

TEST_F(CatalogE2E, FetchVerifiesAnUpstreamOnlyReleaseAgainstBothChecksums) {
  const auto [name, asset] = publish("1.32.0");
  GithubApi api(
      {.releases = nlohmann::json::array({github_release("1.32.0", "2026-11-18", {{name, asset}})}),
       .assets = assets.path()});
  const auto result = getmesh(api, {"fetch", "--version", "1.32"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("istioctl switched to 1.32.0-istio-v0 now"));
  EXPECT_THAT(result.out, HasSubstr("https://github.com/istio/istio/releases/tag/1.32.0"));
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "1.32.0-istio-v0 (Active) (verified: upstream digest + .sha256 file)\n");
  const auto show = nlohmann::json::parse(run_getmesh({"show", "-o", "json"}, fake.options()).out);
  EXPECT_EQ(
      show[0]["checksum_sources"],
      nlohmann::json({"upstream-digest", api.url() + "/download/1.32.0/" + name + ".sha256"}));
  EXPECT_EQ(show[0]["source_url"], api.url() + "/download/1.32.0/" + name)
      << "downloaded from the asset's browser_download_url";
  EXPECT_EQ(show[0]["sha256"], asset.digest);
}

TEST_F(CatalogE2E, FetchRefusesWhenTheDigestAndTheChecksumFileDisagree) {
  const std::string wrong(64, 'f');
  const auto [name, asset] = publish("1.32.0", wrong);
  GithubApi api(
      {.releases = nlohmann::json::array({github_release("1.32.0", "2026-11-18", {{name, asset}})}),
       .assets = assets.path()});
  const auto result = getmesh(api, {"fetch", "--version", "1.32.0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("disagree"));
  EXPECT_THAT(result.err, HasSubstr(asset.digest + " (upstream-digest)"));
  EXPECT_THAT(result.err, HasSubstr(wrong + " (" + api.url()));
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "No istioctl fetched yet: run \"getmesh fetch\"\n");
}

TEST_F(CatalogE2E, AnOldReleaseWithoutADigestIsVerifiedByItsChecksumFile) {
  const auto [name, asset] = publish("1.24.6");
  GithubApi api({.releases = nlohmann::json::array(
                     {github_release("1.24.6", "2025-05-13", {{name, {"", asset.size}}})}),
                 .assets = assets.path()});
  const auto result = getmesh(api, {"fetch", "--version", "1.24.6"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "1.24.6-istio-v0 (Active) (verified: .sha256 file)\n");
}

TEST_F(CatalogE2E, AnArchiveLargerThanItsAssetSizeIsRefused) {
  auto [name, asset] = publish("1.32.0");
  asset.size -= 100;
  GithubApi api(
      {.releases = nlohmann::json::array({github_release("1.32.0", "2026-11-18", {{name, asset}})}),
       .assets = assets.path()});
  const auto result = getmesh(api, {"fetch", "--version", "1.32.0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("is larger than the catalogue says (" +
                                    std::to_string(asset.size) + " bytes)"));
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / "1.32.0-istio-v0"));
}

TEST_F(CatalogE2E, AManifestChecksumThatDisagreesWithUpstreamIsNeverChosen) {
  const auto [name, asset] = publish("1.32.0");
  GithubApi api(
      {.releases = nlohmann::json::array({github_release("1.32.0", "2026-11-18", {{name, asset}})}),
       .assets = assets.path()});
  auto manifest = nlohmann::json::parse(make_manifest({"1.32.0-istio-v0"}));
  const std::string pinned(64, '0');
  manifest["istio_distributions"][0]["downloads"][Platform::host().key()] = {{"sha256", pinned}};
  const auto file = fake.dir().write("pinned.json", manifest.dump());
  const std::map<std::string, std::string> env{{"GETMESH_MANIFEST", file.string()}};

  const auto list = getmesh(api, {"list"}, env);
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_THAT(list.err, HasSubstr("warning: the checksums of 1.32.0-istio-v0 for " +
                                  Platform::host().key() + " disagree"));
  const auto fetch = getmesh(api, {"fetch", "--version", "1.32.0"}, env);
  EXPECT_EQ(fetch.exit_code, 1);
  EXPECT_THAT(fetch.err, HasSubstr(pinned + " (manifest)"));
  EXPECT_THAT(fetch.err, HasSubstr(asset.digest + " (upstream-digest)"));
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / "1.32.0-istio-v0"));
  const auto exported = getmesh(api, {"manifest", "export"}, env);
  EXPECT_EQ(exported.exit_code, 1);
  EXPECT_THAT(exported.err, HasSubstr("disagree"));
  EXPECT_EQ(exported.out, "");
}

TEST_F(CatalogE2E, ABadAnswerKeepsTheCacheAndWithoutOneTheManifestIsUsedAlone) {
  GithubApi api;
  api.set_script({{"mode", "html"}});
  auto result = getmesh(api, {"list", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("warning: ignoring a bad answer from upstream"));
  EXPECT_THAT(result.err, HasSubstr("using the manifest alone"));
  EXPECT_EQ(row(nlohmann::json::parse(result.out), "1.32.0-istio-v0"), nullptr);

  api.set_script({{"mode", "ok"}});
  ASSERT_EQ(getmesh(api, {"list"}).exit_code, 0);
  const auto cached = read_file(fake.home() / "cache" / "catalog.txt");
  ASSERT_TRUE(cached.ok());
  set_ttl("0s");
  api.set_script({{"mode", "invalid_json"}});
  result = getmesh(api, {"list", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("not valid JSON; using the catalogue cached"));
  EXPECT_NE(row(nlohmann::json::parse(result.out), "1.32.0-istio-v0"), nullptr);
  EXPECT_EQ(catalogue_content(cache_text()), catalogue_content(*cached));
}

TEST_F(CatalogE2E, ASilentUpstreamCostsTheBoundAndOneNote) {
  GithubApi api;
  api.set_script({{"mode", "silent"}});
  const auto start = std::chrono::steady_clock::now();
  const auto result = getmesh(api, {"list"}, {{"GETMESH_CATALOG_TIMEOUT_MS", "1000"}});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GE(elapsed, std::chrono::milliseconds(950));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
  EXPECT_THAT(result.err, HasSubstr("note: cannot reach upstream releases: " + api.url() +
                                    " did not answer within 1000 ms; using the manifest alone"));
  EXPECT_THAT(result.out, HasSubstr("1.31.1"));
}

// Issue 20: behind a firewall that drops packets, every command waited for upstream again. The
// failure is remembered: the next commands do not wait, and the note says how to stop asking.
TEST_F(CatalogE2E, AnUnreachableUpstreamIsRememberedAndNotWaitedForAgain) {
  GithubApi api;
  api.set_script({{"mode", "silent"}});
  const std::map<std::string, std::string> slow{{"GETMESH_CATALOG_TIMEOUT_MS", "1000"}};
  const auto first = getmesh(api, {"list"}, slow);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.err, HasSubstr("note: cannot reach upstream releases: "));
  EXPECT_THAT(first.err, HasSubstr("; not asking again before "));
  EXPECT_THAT(first.err, HasSubstr("GETMESH_OFFLINE=1 or \"getmesh config set offline true\" "
                                   "stops asking"));
  ASSERT_THAT(api.list_requests(), SizeIs(1));

  for (const auto& command : {std::vector<std::string>{"list"},
                              std::vector<std::string>{"fetch", "--version", "1.32.0"}}) {
    const auto start = std::chrono::steady_clock::now();
    const auto later = getmesh(api, command, slow);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900))
        << "waited for upstream again";
    EXPECT_THAT(later.err, HasSubstr("note: cannot reach upstream releases: " + api.url() +
                                     " did not answer within 1000 ms; using the manifest alone; "
                                     "not asking again before "));
  }
  EXPECT_THAT(api.list_requests(), SizeIs(1));
  ASSERT_EQ(getmesh(api, {"list", "--refresh"}, slow).exit_code, 0);  // asks now
  EXPECT_THAT(api.list_requests(), SizeIs(2));
}

// The note's advice, followed literally: "getmesh config set offline true" stops asking; an
// explicit list --refresh still asks.
TEST_F(CatalogE2E, TheOfflineSettingStopsAskingUpstream) {
  GithubApi api;
  const auto set = getmesh(api, {"config", "set", "offline", "true"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const auto result = getmesh(api, {"list"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(result.out, Not(HasSubstr("1.32.0")));
  EXPECT_THAT(api.list_requests(), SizeIs(0));
  EXPECT_THAT(fake.read_config(), HasSubstr("\"offline\":true"));
  ASSERT_EQ(getmesh(api, {"list", "--refresh"}).exit_code, 0);
  EXPECT_THAT(api.list_requests(), SizeIs(1));
}

// Issue 20: x-ratelimit-reset years ahead stopped updates for good and printed a garbage date.
TEST_F(CatalogE2E, AFarFutureRateLimitResetWaitsOneDayAtMost) {
  GithubApi api;
  api.set_script({{"mode", "rate_limit"}, {"reset_in", 30'000'000'000LL}});
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto result = getmesh(api, {"list"});
  EXPECT_EQ(result.exit_code, 0);
  const auto tomorrow = CivilDate::from_days((now + 86400) / 86400).to_string();
  EXPECT_THAT(result.err, HasSubstr("is used up until " + tomorrow + " "));
  const auto text = cache_text();
  const auto at = text.find("retry_at\t");
  ASSERT_NE(at, std::string::npos) << text;
  const auto retry_at = std::stoll(text.substr(at + 9, text.find('\n', at) - at - 9));
  EXPECT_GT(retry_at, now + 86000);
  EXPECT_LE(retry_at, now + 86400 + 60);
}

// Issue 20: a tag 01.28.1 was listed as a second 1.28.1.
TEST_F(CatalogE2E, ATagThatIsNotACanonicalVersionIsSkippedWithAVerboseNote) {
  const auto [name, asset] = publish("1.28.1");
  GithubApi api(
      {.releases = nlohmann::json::array({github_release("01.28.1", "2026-02-01", {{name, asset}}),
                                          github_release("1.28.1", "2026-01-01", {{name, asset}})}),
       .assets = assets.path()});
  const auto result = getmesh(api, {"-v", "list", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("skipping the release tagged \"01.28.1\""));
  int rows = 0;
  for (const auto& entry : nlohmann::json::parse(result.out)) {
    if (entry["name"] == "1.28.1-istio-v0") ++rows;
  }
  EXPECT_EQ(rows, 1);
}

// Issue 20: pagination that invented releases on each page grew the cache without end (list
// --refresh 7.6 s, then 108 s ten runs later, cache 35 MB). A reading that does not finish neither
// replaces nor extends the complete catalogue.
TEST_F(CatalogE2E, PagesThatInventReleasesWithoutEndNeitherGrowNorReplaceTheCache) {
  GithubApi api;
  ASSERT_EQ(getmesh(api, {"list"}).exit_code, 0);
  const auto good = cache_text();
  ASSERT_THAT(good, HasSubstr("1.32.0"));
  api.set_script({{"mode", "invent"}});
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto result =
        getmesh(api, {"list", "--refresh"}, {{"GETMESH_CATALOG_TIMEOUT_MS", "20000"}});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.err, HasSubstr("warning: ignoring a bad answer from upstream: the releases "
                                      "pages do not end after 20 pages"));
    EXPECT_THAT(result.err, HasSubstr("using the catalogue cached"));
    EXPECT_THAT(result.out, Not(HasSubstr("2.0.1")));
    EXPECT_EQ(catalogue_content(cache_text()), catalogue_content(good));
    EXPECT_LE(cache_text().size(), good.size() + 200);
  }
  EXPECT_LE(api.list_requests().size(), 1u + 3u * 21u);
}

// Issue 20: a 100 KiB gzip page inflating to 32 MiB took 1.1 GB of memory.
TEST_F(CatalogE2E, APageThatInflatesBeyondItsLimitIsRefusedInLittleMemory) {
  GithubApi api;
  api.set_script({{"mode", "bomb"}});
  std::vector<std::string> args{"/usr/bin/time", "-f", "max-rss-kib=%M", GETMESH_BINARY, "list"};
  auto options = fake.options(api.env());
  const auto result = run_program(args, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("is larger than 16 MiB; using the manifest alone"));
  const auto at = result.err.find("max-rss-kib=");
  ASSERT_NE(at, std::string::npos) << result.err;
#if defined(__SANITIZE_ADDRESS__)
  constexpr long kMostKib = 600 * 1024;  // AddressSanitizer's shadow memory and quarantine
#else
  constexpr long kMostKib = 150 * 1024;
#endif
  EXPECT_LT(std::stol(result.err.substr(at + 12)), kMostKib) << "KiB at most";
}

TEST_F(CatalogE2E, OfflineNeverAsksAndRefreshAlwaysDoes) {
  GithubApi api;
  EXPECT_EQ(getmesh(api, {"list"}, {{"GETMESH_OFFLINE", "1"}}).exit_code, 0);
  EXPECT_EQ(getmesh(api, {"--offline", "list"}).exit_code, 0);
  EXPECT_EQ(getmesh(api, {"list", "--offline"}).exit_code, 0);
  EXPECT_THAT(api.list_requests(), SizeIs(0));
  const auto refused = getmesh(api, {"--offline", "list", "--refresh"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--refresh asks upstream"));

  ASSERT_EQ(getmesh(api, {"list"}).exit_code, 0);
  ASSERT_EQ(getmesh(api, {"list"}).exit_code, 0);  // fresh for catalog_ttl (6 h)
  EXPECT_THAT(api.list_requests(), SizeIs(1));
  ASSERT_EQ(getmesh(api, {"list", "--refresh"}).exit_code, 0);
  EXPECT_THAT(api.list_requests(), SizeIs(2));
  // Offline, a cache of any age serves.
  const auto offline = getmesh(api, {"--offline", "list"});
  EXPECT_THAT(offline.out, HasSubstr("1.32.0"));
  EXPECT_THAT(api.list_requests(), SizeIs(2));
}

TEST_F(CatalogE2E, VerboseLogsSourcesAndUrlsButNeverTheToken) {
  const std::string token = "ghp_Secr3tTokenValue0123456789";
  GithubApi api({.token = token});
  auto result = getmesh(api, {"-v", "list"}, {{"GITHUB_TOKEN", token}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("manifest: (embedded)"));
  EXPECT_THAT(result.err, HasSubstr("catalogue: GET " + api.url() +
                                    "/repos/istio/istio/releases?per_page=100"));
  EXPECT_THAT(result.err, HasSubstr("with the token"));
  EXPECT_THAT(result.err, HasSubstr("releases from upstream, all pages read"));
  EXPECT_EQ(api.list_requests().back()["auth"], "token");

  result = getmesh(api, {"--verbose", "list", "-o", "json"}, {{"GH_TOKEN", token}});
  EXPECT_THAT(result.err, HasSubstr("catalogue: the cache is fresh"));
  for (const auto& text : {result.out, result.err, fake.read_config(), cache_text()}) {
    EXPECT_THAT(text, Not(HasSubstr(token)));
  }
  set_ttl("0s");
  result = getmesh(api, {"-v", "list"}, {{"GITHUB_TOKEN", token + "-wrong"}});
  EXPECT_THAT(result.err, HasSubstr("HTTP 401"));
  EXPECT_THAT(result.err, Not(HasSubstr(token)));
}

TEST_F(CatalogE2E, ARateLimitIsOneNoteWithTheResetTime) {
  GithubApi api;
  api.set_script({{"mode", "rate_limit"}, {"reset_in", 600}});
  const auto result = getmesh(api, {"list"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.err,
              HasSubstr("note: the GitHub API rate limit for " + api.url() + " is used up until "));
  EXPECT_THAT(result.err, HasSubstr("set GITHUB_TOKEN to raise the limit"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

// The passthrough never waits for upstream, not even istioctl install's checks: they use the
// manifest of vetted distributions alone.
TEST_F(CatalogE2E, TheIstioctlPassthroughNeverReadsTheCatalogue) {
  GithubApi api;
  fake.install("1.32.0-istio-v0");
  fake.set_active("1.32.0-istio-v0");
  auto result = getmesh(api, {"istioctl", "version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  result = getmesh(api, {"istioctl", "install", "-y"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("1.32.0-istio-v0 is not in the manifest of vetted "
                                    "distributions (releases only upstream lists are not vetted)"));
  EXPECT_THAT(api.list_requests(), SizeIs(0));
}

TEST_F(CatalogE2E, CheckUpgradeOnAClusterRunningAReleaseOnlyUpstreamKnows) {
  GithubApi api;
  const auto manifest = fake.dir().write(
      "manifest.json",
      make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0"}, {{"1.30", "2030-01-01"}}));
  const auto check = [&](const std::string& version, std::map<std::string, std::string> env) {
    KubeApiServerOptions options;
    options.objects =
        nlohmann::json::array({namespace_object("istio-system"),
                               istiod_pod("istiod-1", "docker.io/istio/pilot:" + version)});
    options.kube_version = "v1.31.2";
    KubeApiServer server(options);
    const auto kubeconfig = fake.dir().write(
        "kubeconfig", make_kubeconfig({{"ctx0", server.url(),
                                        client_certificate_user(TestCertificates::get()), ""}},
                                      TestCertificates::get().ca_cert));
    env["GETMESH_MANIFEST"] = manifest.string();
    return getmesh(api, {"-c", kubeconfig.string(), "check-upgrade"}, env);
  };

  auto result = check("1.32.0", {});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("control plane default runs 1.32.0-istio-v0, the latest patch"));
  EXPECT_THAT(result.out, HasSubstr("the Kubernetes versions 1.32.0-istio-v0 supports are not "
                                    "known yet"));
  EXPECT_THAT(result.out, Not(HasSubstr("kubernetes-unsupported")));

  // Without upstream (offline, no cache) the same cluster runs a minor the manifest does not know.
  std::filesystem::remove_all(fake.home() / "cache");
  result = check("1.32.0", {{"GETMESH_OFFLINE", "1"}});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.out, HasSubstr("no longer in the manifest"));

  // A newer security patch only upstream lists.
  result = check("1.31.1", {});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.out, HasSubstr("upgrade to 1.31.4-istio-v0, which includes security fixes"));
}

TEST_F(CatalogE2E, TheExportedCatalogueLoadsBackUnchanged) {
  GithubApi api;
  const auto exported = fake.root() / "catalogue.json";
  auto result = getmesh(api, {"manifest", "export", "-o", exported.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("note: wrote "));
  const auto first = read_file(exported);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(manifest::parse(*first, "export").ok());

  // Through --manifest, with upstream and without: the same bytes, the same list.
  for (const std::string offline : {"0", "1"}) {
    result = getmesh(api, {"--manifest", exported.string(), "manifest", "export"},
                     {{"GETMESH_OFFLINE", offline}});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, *first) << "offline=" << offline;
  }
  const auto strip = [](nlohmann::json list) {
    for (auto& entry : list) {
      entry.erase("source");
      entry.erase("checksum_sources");
    }
    return list;
  };
  const auto original = strip(list_json(api));
  const auto pinned =
      getmesh(api, {"--manifest", exported.string(), "--offline", "list", "-o", "json"});
  EXPECT_EQ(strip(nlohmann::json::parse(pinned.out)), original);

  const auto document = nlohmann::json::parse(*first);
  const nlohmann::json* newest = nullptr;
  for (const auto& entry : document["istio_distributions"]) {
    if (entry["version"] == "1.32.0") newest = &entry;
  }
  ASSERT_NE(newest, nullptr);
  EXPECT_EQ((*newest)["downloads"]["linux-amd64"]["url"],
            api.url() + "/download/1.32.0/istioctl-1.32.0-linux-amd64.tar.gz");
  EXPECT_EQ((*newest)["downloads"]["linux-amd64"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(document["lifecycle"]["1.32"]["community_end_of_life_estimated"], true);
}

TEST_F(CatalogE2E, ExportFilters) {
  GithubApi api;
  auto result = getmesh(api, {"manifest", "export", "--version", "1.32", "--platform", "osx-arm64",
                              "--flavor", "istio"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto document = nlohmann::json::parse(result.out);
  ASSERT_THAT(document["istio_distributions"], SizeIs(1));
  EXPECT_EQ(document["istio_distributions"][0]["downloads"].size(), 1u);
  EXPECT_TRUE(document["istio_distributions"][0]["downloads"].contains("osx-arm64"));
  EXPECT_EQ(document["lifecycle"].size(), 1u);

  result = getmesh(api, {"manifest", "export", "--platform", "windows"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown platform \"windows\""));
  result = getmesh(api, {"manifest", "export", "--version", "1.99"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no distribution in the catalogue matches"));
  result =
      getmesh(api, {"manifest", "export", "-o", (fake.root() / "missing/dir/m.json").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot write the manifest to"));
  EXPECT_FALSE(std::filesystem::exists(fake.root() / "missing"));
  result = getmesh(api, {"manifest"});
  EXPECT_EQ(result.exit_code, 2);
}

}  // namespace
}  // namespace getmesh::testing
