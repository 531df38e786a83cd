// The upstream catalogue reader (manifest::load_catalog) against the stand-in GitHub API.
#include "support/github_api.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/manifest/catalog.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class Catalog : public ::testing::Test {
 protected:
  manifest::CatalogSettings settings(const GithubApi& api) const {
    manifest::CatalogSettings result;
    result.api_url = api.url();
    result.ttl_seconds = 0;  // always revalidate, unless a test says otherwise
    return result;
  }
  manifest::CatalogOutcome load(const manifest::CatalogSettings& settings) const {
    return manifest::load_catalog(settings, cache_dir(), net::Client(net::Settings{}));
  }
  [[nodiscard]] std::filesystem::path cache_dir() const { return dir_.path() / "cache"; }
  [[nodiscard]] std::string cache_text() const {
    auto text = read_file(cache_dir() / "catalog.txt");
    return text ? *text : std::string();
  }
  static std::vector<std::string> tags(const manifest::CatalogOutcome& outcome) {
    std::vector<std::string> result;
    for (const auto& release : *outcome.releases) result.push_back(release.tag);
    return result;
  }

  TempDir dir_;
};

TEST_F(Catalog, ReadsEveryPageAndSendsTheDocumentedHeaders) {
  GithubApi api({.page_size = 5});
  const auto outcome = load(settings(api));
  ASSERT_TRUE(outcome.releases.has_value());
  EXPECT_TRUE(outcome.warnings.empty()) << outcome.warnings.front();
  EXPECT_TRUE(outcome.notes.empty()) << outcome.notes.front();
  // 17 release objects: the draft is left out, and so is 1.32.0-rc.1 since 1.32.0 is out.
  EXPECT_EQ(tags(outcome),
            (std::vector<std::string>{"1.33.0-alpha.0", "1.32.0", "1.31.4", "1.31.3", "1.31.2",
                                      "1.31.1", "1.31.0", "1.30.8", "1.30.7", "1.30.5", "1.30.0",
                                      "1.29.8", "1.29.0", "1.24.6", "1.24.0"}));
  const auto requests = api.list_requests();
  ASSERT_THAT(requests, SizeIs(4));  // 17 releases, 5 a page, following rel="next"
  EXPECT_EQ(requests[0]["path"], "/repos/istio/istio/releases");
  EXPECT_EQ(requests[0]["query"]["per_page"][0], "100");
  EXPECT_EQ(requests[3]["path"], "/repositories/11338646/releases");
  EXPECT_EQ(requests[3]["query"]["page"][0], "4");
  for (const auto& request : requests) {
    EXPECT_EQ(request["accept"], "application/vnd.github+json");
    EXPECT_EQ(request["api_version"], "2022-11-28");
    EXPECT_THAT(request["accept_encoding"].get<std::string>(), HasSubstr("gzip"));
    EXPECT_EQ(request["auth"], "none");
    EXPECT_EQ(request["status"], 200);
  }
  EXPECT_THAT(cache_text(), HasSubstr("\nrelease\t1.32.0\t2026-11-18\t"));
  EXPECT_THAT(cache_text(), Not(HasSubstr("uploader"))) << "the reduced catalogue";
}

TEST_F(Catalog, AFreshCacheIsUsedAndAStaleOneRevalidatedWithItsETag) {
  GithubApi api({.page_size = 5});
  ASSERT_TRUE(load(settings(api)).releases.has_value());
  ASSERT_THAT(api.list_requests(), SizeIs(4));

  auto fresh = settings(api);
  fresh.ttl_seconds = 3600;
  auto outcome = load(fresh);
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  EXPECT_THAT(api.list_requests(), SizeIs(4)) << "a fresh cache asks nobody";

  outcome = load(settings(api));  // stale: one conditional request, answered 304
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  const auto requests = api.list_requests();
  ASSERT_THAT(requests, SizeIs(5));
  EXPECT_THAT(requests[4]["if_none_match"].get<std::string>(), ::testing::StartsWith("W/\""));
  EXPECT_EQ(requests[4]["status"], 304);

  auto refresh = fresh;  // --refresh asks even while fresh
  refresh.refresh = true;
  load(refresh);
  EXPECT_THAT(api.list_requests(), SizeIs(6));
}

TEST_F(Catalog, OfflineNeverAsks) {
  GithubApi api;
  auto offline = settings(api);
  offline.offline = true;
  auto outcome = load(offline);
  EXPECT_FALSE(outcome.releases.has_value());
  EXPECT_TRUE(outcome.notes.empty());
  EXPECT_TRUE(outcome.warnings.empty());
  ASSERT_TRUE(load(settings(api)).releases.has_value());
  outcome = load(offline);  // a stale cache, used as is
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  EXPECT_THAT(api.list_requests(), SizeIs(1));
}

TEST_F(Catalog, TheTokenIsSentAndARejectedOneIsAWarning) {
  GithubApi api({.token = "ghp_correct"});
  auto with_token = settings(api);
  with_token.token = "ghp_correct";
  auto outcome = load(with_token);
  ASSERT_TRUE(outcome.releases.has_value());
  EXPECT_EQ(api.list_requests().back()["auth"], "token");

  with_token.token = "ghp_expired";
  const auto cached = cache_text();
  outcome = load(with_token);
  ASSERT_THAT(outcome.warnings, SizeIs(1));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("HTTP 401 Unauthorized"));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("GITHUB_TOKEN"));
  EXPECT_THAT(outcome.warnings[0], Not(HasSubstr("ghp_expired")));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("using the catalogue cached"));
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  EXPECT_EQ(cache_text(), cached);
}

TEST_F(Catalog, TheTokenNeverGoesToTheHostAfterUserinfo) {
  // "localhost:1" is userinfo: the host is 127.0.0.1's, over plain http. A substring test took
  // it for a loopback URL (the same as http://localhost:80@other.example) and sent the token.
  GithubApi api({.token = "ghp_correct"});
  auto tricked = settings(api);
  tricked.api_url = "http://localhost:1@" + api.url().substr(std::string("http://").size());
  tricked.token = "ghp_correct";
  (void)load(tricked);
  ASSERT_THAT(api.list_requests(), Not(::testing::IsEmpty()));
  for (const auto& request : api.list_requests()) EXPECT_NE(request["auth"], "token");
}

TEST_F(Catalog, ARedirectToAnotherServerDropsTheToken) {
  GithubApi moved_to({.token = "ghp_correct"});
  GithubApi api({.token = "ghp_correct"});
  api.set_script({{"mode", "redirect"}, {"location", moved_to.url()}});
  auto with_token = settings(api);
  with_token.token = "ghp_correct";
  const auto outcome = load(with_token);
  ASSERT_TRUE(outcome.releases.has_value()) << outcome.warnings.front();
  EXPECT_EQ(api.list_requests().front()["auth"], "token");
  ASSERT_THAT(moved_to.list_requests(), Not(::testing::IsEmpty()));
  for (const auto& request : moved_to.list_requests()) EXPECT_EQ(request["auth"], "none");
}

TEST_F(Catalog, ARateLimitIsANoteAndUpstreamRestsUntilItResets) {
  GithubApi api;
  ASSERT_TRUE(load(settings(api)).releases.has_value());
  const auto cached = catalogue_content(cache_text());
  api.set_script({{"mode", "rate_limit"}, {"reset_in", 1800}});
  auto outcome = load(settings(api));
  ASSERT_THAT(outcome.notes, SizeIs(1));
  EXPECT_TRUE(outcome.warnings.empty());
  EXPECT_THAT(outcome.notes[0], HasSubstr("rate limit"));
  EXPECT_THAT(outcome.notes[0], HasSubstr(" UTC"));
  EXPECT_THAT(outcome.notes[0], HasSubstr("set GITHUB_TOKEN to raise the limit"));
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  EXPECT_EQ(catalogue_content(cache_text()), cached);
  EXPECT_THAT(api.list_requests(), SizeIs(2));

  outcome = load(settings(api));  // before the reset: the cache, without asking
  EXPECT_THAT(api.list_requests(), SizeIs(2));
  EXPECT_THAT(outcome.notes, SizeIs(1));
  EXPECT_THAT(*outcome.releases, SizeIs(15));

  TempDir other;  // a secondary limit (429 + Retry-After) without any cache: the manifest alone
  api.set_script({{"mode", "secondary_rate_limit"}, {"retry_after", "30"}});
  outcome = manifest::load_catalog(settings(api), other.path(), net::Client(net::Settings{}));
  EXPECT_FALSE(outcome.releases.has_value());
  ASSERT_THAT(outcome.notes, SizeIs(1));
  EXPECT_THAT(outcome.notes[0], HasSubstr("using the manifest alone"));
}

struct BadAnswer {
  nlohmann::json script;
  std::string expected;
};

// Names the case by its script, so test names stay readable and stable.
void PrintTo(const BadAnswer& answer, std::ostream* out) { *out << answer.script.dump(); }

class CatalogBadAnswer : public Catalog, public ::testing::WithParamInterface<BadAnswer> {};

TEST_P(CatalogBadAnswer, NeverReplacesAGoodCache) {
  GithubApi api({.page_size = 5});
  ASSERT_TRUE(load(settings(api)).releases.has_value());
  const auto cached = catalogue_content(cache_text());
  api.set_script(GetParam().script);

  auto outcome = load(settings(api));
  ASSERT_THAT(outcome.warnings, SizeIs(1));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("ignoring a bad answer from upstream"));
  EXPECT_THAT(outcome.warnings[0], HasSubstr(GetParam().expected));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("using the catalogue cached"));
  ASSERT_TRUE(outcome.releases.has_value());
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  EXPECT_EQ(catalogue_content(cache_text()), cached);

  TempDir empty;  // no cache at all: the manifest alone, with the warning
  outcome = manifest::load_catalog(settings(api), empty.path(), net::Client(net::Settings{}));
  EXPECT_FALSE(outcome.releases.has_value());
  ASSERT_THAT(outcome.warnings, SizeIs(1));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("using the manifest alone"));
  EXPECT_FALSE(std::filesystem::exists(empty.path() / "catalog.txt"));
}

INSTANTIATE_TEST_SUITE_P(
    Upstream, CatalogBadAnswer,
    ::testing::Values(
        BadAnswer{{{"mode", "html"}}, "HTML page"},
        BadAnswer{{{"mode", "invalid_json"}}, "not valid JSON"},
        BadAnswer{{{"mode", "status"}, {"status", 502}}, "HTTP 502 Bad Gateway"},
        BadAnswer{{{"mode", "status"}, {"status", 404}}, "HTTP 404 Not Found"},
        BadAnswer{{{"mode", "truncate"}}, "cut off"},
        BadAnswer{{{"mode", "bad_tag"}}, "\"release-candidate\").tag_name: not a version"},
        BadAnswer{{{"mode", "bad_digest"}}, ".digest: expected \"sha256:\""},
        BadAnswer{{{"mode", "empty"}}, "lists no release"},
        BadAnswer{{{"mode", "foreign_next"}}, "links its next page on another host"}));

// A bad page in the middle: the good pages before it count, the bad one never; the next command
// goes on from the bad page.
TEST_F(Catalog, ABadPageInTheMiddleKeepsThePagesBeforeIt) {
  GithubApi api({.page_size = 5});
  api.set_script({{"mode", "status"}, {"status", 500}, {"pages", {3}}});
  auto fresh = settings(api);
  fresh.ttl_seconds = 3600;
  auto outcome = load(fresh);
  ASSERT_THAT(outcome.warnings, SizeIs(1));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("page=3 answered HTTP 500"));
  EXPECT_THAT(outcome.warnings[0], HasSubstr("using the 8 releases read so far"));
  EXPECT_THAT(*outcome.releases, SizeIs(8));

  api.set_script({{"mode", "ok"}});
  outcome = load(fresh);
  EXPECT_TRUE(outcome.warnings.empty());
  EXPECT_THAT(*outcome.releases, SizeIs(15));
  const auto requests = api.list_requests();
  ASSERT_THAT(requests, SizeIs(5));  // pages 1, 2, 3 (500), then 3 and 4
  EXPECT_EQ(requests[3]["query"]["page"][0], "3");
}

// Each command waits a bounded time; a slow API is read over several commands, page by page,
// and the first page is not asked again while the cache is fresh.
TEST_F(Catalog, ASlowApiIsReadOverSeveralCommands) {
  GithubApi api({.page_size = 5});
  api.set_script({{"delay_ms", 400}});
  auto slow = settings(api);
  slow.ttl_seconds = 3600;
  slow.timeout_ms = 1000;
  auto outcome = load(slow);
  ASSERT_THAT(outcome.notes, SizeIs(1));
  EXPECT_THAT(outcome.notes[0], HasSubstr("releases read so far"));
  ASSERT_TRUE(outcome.releases.has_value());
  EXPECT_LT(outcome.releases->size(), 15u);
  EXPECT_EQ(outcome.releases->front().tag, "1.33.0-alpha.0") << "the newest come first";
  int commands = 1;
  while (!outcome.notes.empty() && commands < 12) {
    outcome = load(slow);
    ++commands;
  }
  EXPECT_TRUE(outcome.notes.empty()) << outcome.notes.front();
  EXPECT_GT(commands, 1);
  GithubApi fast({.page_size = 5});
  TempDir other;
  const auto whole = manifest::load_catalog(settings(fast), other.path(), net::Client({}));
  EXPECT_EQ(tags(outcome), tags(whole));
  int first_pages = 0;
  for (const auto& request : api.list_requests()) {
    if (request["path"] == "/repos/istio/istio/releases") ++first_pages;
  }
  EXPECT_EQ(first_pages, 1);
}

// Only a complete reading of all pages tells that a release is gone; the first page changing
// starts one.
TEST_F(Catalog, AReleaseDeletedUpstreamLeavesAtTheEndOfAPass) {
  GithubApi api({.page_size = 5});
  ASSERT_THAT(tags(load(settings(api))), ::testing::Contains("1.31.4"));
  api.set_script({{"hide_tags", {"1.31.4"}}});
  const auto outcome = load(settings(api));
  EXPECT_TRUE(outcome.notes.empty());
  EXPECT_THAT(tags(outcome), Not(::testing::Contains("1.31.4")));
  EXPECT_THAT(*outcome.releases, SizeIs(14));
}

TEST_F(Catalog, AServerThatNeverAnswersCostsTheTimeoutAtMost) {
  GithubApi api;
  ASSERT_TRUE(load(settings(api)).releases.has_value());
  api.set_script({{"mode", "silent"}});
  auto slow = settings(api);
  slow.timeout_ms = 500;
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = load(slow);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(450));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
  ASSERT_THAT(outcome.notes, SizeIs(1));
  EXPECT_THAT(outcome.notes[0], HasSubstr("did not answer within 500 ms"));
  EXPECT_TRUE(outcome.warnings.empty());
  EXPECT_THAT(*outcome.releases, SizeIs(15));
}

TEST_F(Catalog, AnUnreachableServerIsANote) {
  auto unreachable = manifest::CatalogSettings{};
  unreachable.api_url = "http://127.0.0.1:" + std::to_string(free_loopback_port());
  const auto outcome = load(unreachable);
  EXPECT_FALSE(outcome.releases.has_value());
  ASSERT_THAT(outcome.notes, SizeIs(1));
  EXPECT_THAT(outcome.notes[0], HasSubstr("cannot reach upstream releases"));
  EXPECT_THAT(outcome.notes[0], HasSubstr("using the manifest alone"));
}

TEST_F(Catalog, ACacheOfAnotherApiIsNotUsed) {
  GithubApi api;
  ASSERT_TRUE(load(settings(api)).releases.has_value());
  auto other = settings(api);
  other.api_url = "http://127.0.0.1:" + std::to_string(free_loopback_port());
  other.offline = true;
  EXPECT_FALSE(load(other).releases.has_value());
}

}  // namespace
}  // namespace getmesh::testing
