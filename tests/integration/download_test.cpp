// The download module against real servers: nginx, the flaky test server and file:// mirrors.
#include "download/partial.hpp"
#include "support/flaky_server.hpp"
#include "support/mirror.hpp"
#include "support/nginx.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/download/install.hpp>
#include <getmesh/store/installed.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace getmesh::download {
namespace {

using testing::ArchiveMember;
using ::testing::HasSubstr;
using testing::MirrorDistribution;
using testing::TestMirror;

const DistributionName kName{{1, 29, 8}, "istio", 0};

class DownloadTest : public ::testing::Test {
 protected:
  DownloadTest() : home_(work_.path() / "home") { (void)home_.create(); }

  // A mirror holding `distributions` (default: one istioctl-only 1.29.8-istio-v0).
  TestMirror& mirror(std::vector<MirrorDistribution> distributions = {MirrorDistribution{}}) {
    mirror_.emplace(work_.path() / "mirror", std::move(distributions));
    return *mirror_;
  }
  // The plan GETMESH_MIRROR=`base` gives, with `sha256` as if from the manifest.
  static Plan plan_for(const std::string& base, const std::string& sha256 = "") {
    Plan plan;
    plan.url = base + "/" + TestMirror::archive_name(kName.to_string());
    if (!sha256.empty()) plan.checksums.push_back({sha256, "manifest"});
    if (sha256.empty()) plan.checksum_url = plan.url + ".sha256";
    return plan;
  }
  Result<Outcome> install(const Plan& plan, bool require_checksum = false) {
    Options options;
    options.require_checksum = require_checksum;
    options.retry = {4, std::chrono::milliseconds(20), std::chrono::milliseconds(200)};
    options.warn = [this](std::string_view text) { warnings_.emplace_back(text); };
    options.note = [this](std::string_view text) { notes_.emplace_back(text); };
    options.progress = [this](std::uint64_t done, std::uint64_t total) {
      last_progress_ = {done, total};
    };
    return download::install(home_, kName, plan, http_, options);
  }
  // Nothing of a failed install is visible, and no staging directory is left behind.
  void expect_nothing_installed() {
    EXPECT_FALSE(std::filesystem::exists(home_.distribution_dir(kName)));
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(home_.tmp_dir(), ignored)) {
      ADD_FAILURE() << "left in tmp/: " << entry.path();
    }
  }
  [[nodiscard]] std::string archive_bytes() const {
    return *read_file(mirror_->archive(kName.to_string()));
  }

  testing::TempDir work_;
  store::Home home_;
  std::optional<TestMirror> mirror_;
  net::Client http_{net::Settings{}};
  std::vector<std::string> warnings_;
  std::vector<std::string> notes_;
  std::pair<std::uint64_t, std::uint64_t> last_progress_{0, 0};
};

TEST_F(DownloadTest, InstallsFromNginxVerifiedByTheSidecar) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror({MirrorDistribution{.padding_bytes = 300000}});
  testing::Nginx nginx(mirror_->directory());
  const auto plan = plan_for(nginx.url().substr(0, nginx.url().size() - 1));
  const auto outcome = install(plan);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_FALSE(outcome->already_installed);
  EXPECT_TRUE(outcome->record.verified);
  EXPECT_EQ(outcome->record.checksum_sources, std::vector<std::string>{plan.checksum_url});
  EXPECT_EQ(outcome->record.sha256, testing::sha256_hex(archive_bytes()));
  EXPECT_EQ(*read_file(home_.istioctl(kName)), testing::fake_istioctl("1.29.8"));
  EXPECT_TRUE(store::is_installed(home_, kName));
  EXPECT_EQ(store::read_install_record(home_.distribution_dir(kName))->sha256,
            outcome->record.sha256);
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(last_progress_.first, archive_bytes().size());
  EXPECT_EQ(last_progress_.second, archive_bytes().size());
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName.to_string())).size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(PartialFiles::of(home_, kName).data));
  EXPECT_FALSE(std::filesystem::exists(PartialFiles::of(home_, kName).meta));
  std::error_code ignored;
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(home_.tmp_dir(), ignored), {}), 0);
}

TEST_F(DownloadTest, InstallsTheReleaseLayoutFromAFileMirror) {
  mirror({MirrorDistribution{.release_layout = true}});
  const auto outcome = install(plan_for(mirror_->file_url()));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome->record.verified);
  EXPECT_EQ(*read_file(home_.istioctl(kName)), testing::fake_istioctl("1.29.8"));
}

// libcurl cannot pause a file:// transfer, so a file mirror's archive larger than the HTTP
// stream's read-ahead (1 MiB) must be taken without pausing.
TEST_F(DownloadTest, InstallsAnArchiveLargerThanTheReadAheadFromAFileMirror) {
  mirror({MirrorDistribution{.padding_bytes = 3u << 20}});
  const auto outcome = install(plan_for(mirror_->file_url()));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(*read_file(home_.istioctl(kName)), testing::fake_istioctl("1.29.8"));
}

TEST_F(DownloadTest, TheInstallCarriesAReceiptOfItsIstioctl) {
  mirror();
  const auto outcome = install(plan_for(mirror_->file_url()));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto istioctl = home_.istioctl(kName);
  const auto& receipt = outcome->record.receipt;
  ASSERT_TRUE(receipt.has_value());
  EXPECT_EQ(receipt->sha256, testing::sha256_hex(testing::fake_istioctl("1.29.8")));
  EXPECT_NE(receipt->sha256, outcome->record.sha256) << "the binary's digest, not the archive's";
  EXPECT_EQ(receipt->size, std::filesystem::file_size(istioctl));
  EXPECT_EQ(store::quick_check(istioctl, receipt), store::ReceiptStatus::kOk)
      << "the rename into istio/ keeps the time the receipt recorded";
  const auto stored = store::read_install_record(home_.distribution_dir(kName));
  ASSERT_TRUE(stored && stored->receipt);
  EXPECT_EQ(stored->receipt->sha256, receipt->sha256);
  EXPECT_EQ(store::verify_binary(istioctl, stored->receipt).status, store::ReceiptStatus::kOk);
}

TEST_F(DownloadTest, AManifestChecksumNeedsNoSidecar) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror({MirrorDistribution{.sha256_file = false}});
  testing::Nginx nginx(mirror_->directory());
  const auto base = nginx.url().substr(0, nginx.url().size() - 1);
  const auto outcome = install(plan_for(base, testing::sha256_hex(archive_bytes())));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->record.checksum_sources, std::vector<std::string>{"manifest"});
  EXPECT_TRUE(nginx.requests(".sha256").empty());
}

TEST_F(DownloadTest, ChecksumMismatchInstallsNothing) {
  mirror();
  const std::string wrong(64, 'a');
  const auto plan = plan_for(mirror_->file_url(), wrong);
  const auto outcome = install(plan);
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("checksum mismatch for " + plan.url));
  EXPECT_THAT(outcome.error().message, HasSubstr("expected sha256 " + wrong));
  EXPECT_THAT(outcome.error().message, HasSubstr(testing::sha256_hex(archive_bytes())));
  expect_nothing_installed();
  EXPECT_FALSE(std::filesystem::exists(PartialFiles::of(home_, kName).data));
}

TEST_F(DownloadTest, NoChecksumWarnsAndRecordsUnverified) {
  mirror({MirrorDistribution{.sha256_file = false}});
  const auto outcome = install(plan_for(mirror_->file_url()));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_FALSE(outcome->record.verified);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("UNVERIFIED"));
  EXPECT_FALSE(store::read_install_record(home_.distribution_dir(kName))->verified);
}

TEST_F(DownloadTest, NoChecksumIsRefusedWhenRequired) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror({MirrorDistribution{.sha256_file = false}});
  testing::Nginx nginx(mirror_->directory());
  const auto outcome = install(plan_for(nginx.url().substr(0, nginx.url().size() - 1)), true);
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("refusing to install 1.29.8-istio-v0"));
  EXPECT_THAT(outcome.error().hint, HasSubstr("--require-checksum"));
  expect_nothing_installed();
  // At most a HEAD asks whether the archive exists (to tell a missing one from an unverified one).
  for (const auto& request : nginx.requests(".tar.gz")) {
    EXPECT_THAT(request, ::testing::StartsWith("HEAD ")) << "the archive was downloaded anyway";
  }
}

TEST_F(DownloadTest, Http404IsNotRetried) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror();
  std::filesystem::remove(mirror_->archive(kName.to_string()));
  testing::Nginx nginx(mirror_->directory());
  const auto plan = plan_for(nginx.url().substr(0, nginx.url().size() - 1), std::string(64, 'a'));
  const auto outcome = install(plan);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message, "cannot download " + plan.url + ": HTTP 404 Not Found");
  EXPECT_THAT(outcome.error().hint, HasSubstr("getmesh list"));
  EXPECT_EQ(nginx.requests(".tar.gz").size(), 1u);
  expect_nothing_installed();
}

TEST_F(DownloadTest, AMissingFileMirrorArchiveIsNamed) {
  mirror();
  std::filesystem::remove(mirror_->archive(kName.to_string()));
  const auto outcome = install(plan_for(mirror_->file_url(), std::string(64, 'a')));
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("the file does not exist"));
  expect_nothing_installed();
}

TEST_F(DownloadTest, Http500IsRetriedThenReported) {
  mirror();
  testing::FlakyServer server(
      mirror_->directory(),
      {{"/" + TestMirror::archive_name(kName.to_string()), {{"fail", {500, 502, 503, 500, 500}}}}});
  const auto base = server.url().substr(0, server.url().size() - 1);
  const auto outcome = install(plan_for(base, testing::sha256_hex(archive_bytes())));
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("HTTP 500 Internal Server Error"));
  EXPECT_THAT(outcome.error().message, HasSubstr("gave up after 4 attempts"));
  EXPECT_EQ(server.requests().size(), 4u);
  expect_nothing_installed();
}

TEST_F(DownloadTest, Http500OnceThen200Succeeds) {
  mirror();
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(
      mirror_->directory(),
      {{path, {{"fail", {503}}, {"retry_after", "0"}}}, {path + ".sha256", {{"fail", {500}}}}});
  const auto outcome = install(plan_for(server.url().substr(0, server.url().size() - 1)));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome->record.verified);
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(DownloadTest, ADroppedConnectionContinuesWithRange) {
  mirror({MirrorDistribution{.padding_bytes = 200000}});
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(mirror_->directory(), {{path, {{"drop_after", 70000}}}});
  const auto outcome = install(plan_for(server.url().substr(0, server.url().size() - 1)));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u) << requests.dump();  // .sha256, then the archive twice
  EXPECT_EQ(requests[1]["status"], 200);
  EXPECT_EQ(requests[2]["status"], 206);
  EXPECT_EQ(requests[2]["range"], "bytes=70000-");
  EXPECT_NE(requests[2]["if_range"], "");
}

TEST_F(DownloadTest, AServerIgnoringRangeRestartsFromTheStart) {
  mirror({MirrorDistribution{.release_layout = true, .padding_bytes = 200000}});
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(mirror_->directory(),
                              {{path, {{"drop_after", 150000}, {"ignore_range", true}}}});
  const auto outcome = install(plan_for(server.url().substr(0, server.url().size() - 1)));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u) << requests.dump();
  EXPECT_EQ(requests[2]["range"], "bytes=150000-");
  EXPECT_EQ(requests[2]["status"], 200);
  EXPECT_EQ(outcome->record.sha256, testing::sha256_hex(archive_bytes()));
}

// Each attempt brings the same first 100 kB again, which is no progress: the attempts without
// progress end it (before issue 20, re-sent bytes counted as progress and 20 attempts were made).
TEST_F(DownloadTest, AServerThatAlwaysDropsIsGivenUpOn) {
  mirror({MirrorDistribution{.padding_bytes = 200000}});
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(
      mirror_->directory(),
      {{path, {{"drop_after", 100000}, {"drop_always", true}, {"ignore_range", true}}}});
  const auto outcome = install(plan_for(server.url().substr(0, server.url().size() - 1)));
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message,
              HasSubstr("(gave up after 4 attempts: received 100000 bytes of the "));
  EXPECT_EQ(server.requests().size(), 5u);  // .sha256, then 4 tries of the archive
  expect_nothing_installed();
}

// 2 bytes a second is progress, but no download: each attempt stalls, and a trickle does not count
// as the progress that would grant it new attempts.
TEST_F(DownloadTest, ATricklingServerIsGivenUpOn) {
  mirror();
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(mirror_->directory(), {{path, {{"trickle", 2}}}});
  Options options;
  options.retry = {2, std::chrono::milliseconds(20), std::chrono::milliseconds(20)};
  options.limits.stall_timeout = std::chrono::seconds(1);
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = download::install(
      home_, kName, plan_for(server.url().substr(0, server.url().size() - 1)), http_, options);
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("(gave up after 2 attempts: received "));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
  expect_nothing_installed();
}

// Issue 20: an asset shorter than the catalogue declares made fetch start over for ever (4,490
// requests in ten seconds). The size the server announces must be the declared one.
TEST_F(DownloadTest, AnArchiveShorterThanDeclaredFailsAtItsFirstAnswer) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror({MirrorDistribution{.padding_bytes = 100000}});
  testing::Nginx nginx(mirror_->directory());
  auto plan =
      plan_for(nginx.url().substr(0, nginx.url().size() - 1), testing::sha256_hex(archive_bytes()));
  plan.size = archive_bytes().size() + 5000;
  const auto outcome = install(plan);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message,
            plan.url + " is smaller than the catalogue says (" + std::to_string(plan.size) +
                " bytes): the server announces " + std::to_string(archive_bytes().size()) +
                " bytes; nothing was installed");
  EXPECT_THAT(outcome.error().hint, HasSubstr("getmesh list --refresh"));
  EXPECT_EQ(nginx.requests(".tar.gz").size(), 1u);
  expect_nothing_installed();
  EXPECT_FALSE(std::filesystem::exists(PartialFiles::of(home_, kName).data));
}

// Bytes kept from an earlier run that reach beyond the archive: nginx answers the resume's Range
// with 416, and getmesh starts from the first byte, once.
TEST_F(DownloadTest, A416OnResumeStartsOverOnce) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror();
  testing::Nginx nginx(mirror_->directory());
  const auto plan =
      plan_for(nginx.url().substr(0, nginx.url().size() - 1), testing::sha256_hex(archive_bytes()));
  const auto partial = PartialFiles::of(home_, kName);
  std::filesystem::create_directories(partial.data.parent_path());
  ASSERT_TRUE(write_file_atomic(partial.data, archive_bytes() + std::string(5000, 'x')).ok());
  ASSERT_TRUE(partial.write_meta({plan.url, "", ""}).ok());
  const auto outcome = install(plan);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto requests = nginx.requests(".tar.gz");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[0], HasSubstr(" 416 "));
  EXPECT_THAT(requests[1], HasSubstr(" 200 "));
}

// A server that drops every full answer early and refuses every resume with 416 makes no progress:
// the attempts without progress are counted, and the error says what arrived of what.
TEST_F(DownloadTest, AttemptsWithoutProgressEndWithWhatWasReceived) {
  mirror({MirrorDistribution{.padding_bytes = 200000}});
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(
      mirror_->directory(),
      {{path, {{"drop_after", 100000}, {"drop_always", true}, {"refuse_range", true}}}});
  auto plan = plan_for(server.url().substr(0, server.url().size() - 1),
                       testing::sha256_hex(archive_bytes()));
  plan.size = archive_bytes().size();
  const auto outcome = install(plan);
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("cannot download " + plan.url));
  EXPECT_THAT(outcome.error().message,
              HasSubstr("(gave up after 4 attempts: received 100000 bytes of the " +
                        std::to_string(plan.size) + " the catalogue declares)"));
  EXPECT_LE(server.requests().size(), 8u);
  expect_nothing_installed();
}

TEST_F(DownloadTest, AnHtmlContentTypeIsRefused) {
  mirror();
  const auto path = "/" + TestMirror::archive_name(kName.to_string());
  testing::FlakyServer server(mirror_->directory(), {{path, {{"content_type", "text/html"}}}});
  const auto outcome = install(plan_for(server.url().substr(0, server.url().size() - 1)));
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error().message, HasSubstr("HTML page instead of an archive"));
  expect_nothing_installed();
}

TEST_F(DownloadTest, AnInterruptedDownloadResumesFromThePartialFile) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror({MirrorDistribution{.padding_bytes = 300000}});
  testing::Nginx nginx(mirror_->directory());
  const auto plan = plan_for(nginx.url().substr(0, nginx.url().size() - 1));
  const auto partial = PartialFiles::of(home_, kName);
  std::filesystem::create_directories(partial.data.parent_path());
  ASSERT_TRUE(write_file_atomic(partial.data, archive_bytes().substr(0, 100000)).ok());
  ASSERT_TRUE(partial.write_meta({plan.url, "", ""}).ok());
  const auto outcome = install(plan);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto requests = nginx.requests(".tar.gz");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0], HasSubstr("206 range=\"bytes=100000-\""));
  EXPECT_EQ(outcome->record.sha256, testing::sha256_hex(archive_bytes()));
}

TEST_F(DownloadTest, StaleResumedBytesAreDownloadedAgainOnce) {
  mirror({MirrorDistribution{.padding_bytes = 300000}});
  const auto plan = plan_for(mirror_->file_url());
  const auto partial = PartialFiles::of(home_, kName);
  std::filesystem::create_directories(partial.data.parent_path());
  auto stale = archive_bytes().substr(0, 100000);
  stale[50000] = static_cast<char>(stale[50000] ^ 1);  // inside the incompressible padding
  ASSERT_TRUE(write_file_atomic(partial.data, stale).ok());
  ASSERT_TRUE(partial.write_meta({plan.url, "", ""}).ok());
  const auto outcome = install(plan);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_THAT(notes_[0], HasSubstr("downloading it again from the start"));
  EXPECT_EQ(outcome->record.sha256, testing::sha256_hex(archive_bytes()));
}

TEST_F(DownloadTest, ConcurrentInstallsOfOneVersionDownloadOnce) {
  if (!testing::Nginx::available()) GTEST_SKIP() << testing::Nginx::kMissing;
  mirror({MirrorDistribution{.padding_bytes = 500000}});
  testing::Nginx nginx(mirror_->directory());
  const auto plan = plan_for(nginx.url().substr(0, nginx.url().size() - 1));
  std::vector<std::optional<Result<Outcome>>> outcomes(4);
  std::vector<std::thread> threads;
  for (auto& outcome : outcomes) {
    threads.emplace_back(
        [&] { outcome.emplace(download::install(home_, kName, plan, http_, {})); });
  }
  for (auto& thread : threads) thread.join();
  int downloaded = 0;
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome->ok()) << outcome->error().message;
    if (!(*outcome)->already_installed) ++downloaded;
  }
  EXPECT_EQ(downloaded, 1);
  EXPECT_EQ(nginx.requests(".tar.gz").size(), 1u);
}

}  // namespace
}  // namespace getmesh::download
