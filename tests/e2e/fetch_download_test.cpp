// `getmesh fetch` end to end: the built binary, a temp GETMESH_HOME, a generated mirror served by
// nginx, the flaky test server or file://.
#include "support/fake_home.hpp"
#include "support/flaky_server.hpp"
#include "support/kube_api_server.hpp"
#include "support/mirror.hpp"
#include "support/nginx.hpp"
#include "support/terminal_run.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/platform.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <set>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kName = "1.29.8-istio-v0";

std::size_t count(const std::string& text, const std::string& word) {
  std::size_t found = 0;
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++found;
  return found;
}

// Every path under `root` except those under `skip`.
std::set<std::string> files_outside(const std::filesystem::path& root,
                                    const std::filesystem::path& skip) {
  std::set<std::string> paths;
  for (auto it = std::filesystem::recursive_directory_iterator(root);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (it->path() == skip) {
      it.disable_recursion_pending();
      continue;
    }
    paths.insert(it->path().string());
  }
  return paths;
}

class FetchDownload : public ::testing::Test {
 protected:
  TestMirror& make_mirror(std::vector<MirrorDistribution> distributions = {MirrorDistribution{}}) {
    mirror_.emplace(fake.root() / "mirror", std::move(distributions));
    return *mirror_;
  }
  RunOptions options(const std::string& mirror_url, std::map<std::string, std::string> extra = {}) {
    extra["GETMESH_MANIFEST"] = mirror_->manifest().string();
    extra["GETMESH_MIRROR"] = mirror_url;
    return fake.options(std::move(extra));
  }
  [[nodiscard]] std::string nginx_base(const Nginx& nginx) const {
    return nginx.url().substr(0, nginx.url().size() - 1);
  }
  // A failed fetch: non-zero exit, one error with a hint naming `cause`, nothing installed,
  // nothing partial in istio/ or tmp/, no file written outside the home.
  void expect_clean_failure(const RunOptions& run_options, const std::string& cause,
                            const std::vector<std::string>& extra_args = {}) {
    const auto before = files_outside(fake.root(), fake.home());
    std::vector<std::string> args{"fetch", "--name", kName};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    const auto result = run_getmesh(args, run_options);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_EQ(count(result.err, "error:"), 1u) << result.err;
    EXPECT_THAT(result.err, HasSubstr("hint:"));
    EXPECT_THAT(result.err, HasSubstr(cause));
    EXPECT_THAT(result.out, Not(HasSubstr("switched")));
    EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / kName));
    std::error_code ignored;
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(fake.home() / "tmp", ignored), {}),
              0);
    EXPECT_EQ(files_outside(fake.root(), fake.home()), before);
    EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
              "No istioctl fetched yet: run \"getmesh fetch\"\n");
  }

  FakeHome fake;
  std::optional<TestMirror> mirror_;
};

TEST_F(FetchDownload, FetchesFromNginxAndRunsIt) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror({MirrorDistribution{.release_layout = true}});
  Nginx nginx(mirror_->directory());
  const auto result = run_getmesh({"fetch", "--name", kName}, options(nginx_base(nginx)));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("istioctl switched to " + kName + " now"));
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            kName + " (Active) (verified: .sha256 file)\n");
  const auto version = run_getmesh({"istioctl", "version"}, options(nginx_base(nginx)));
  EXPECT_THAT(version.out, HasSubstr("client version: 1.29.8"));
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName)).size(), 1u);
  // Fetching again downloads nothing.
  const auto again = run_getmesh({"fetch", "--name", kName}, options(nginx_base(nginx)));
  EXPECT_THAT(again.out, HasSubstr("already fetched"));
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName)).size(), 1u);
}

TEST_F(FetchDownload, DownloadsGoThroughTheProxyFromTheEnvironment) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror();
  Nginx nginx(mirror_->directory());  // as a forward proxy: it serves absolute-URI requests too
  const auto result = run_getmesh({"fetch", "--name", kName},
                                  options("http://mirror.invalid", {{"http_proxy", nginx.url()}}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName)).size(), 1u);
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName) + ".sha256").size(), 1u);
}

TEST_F(FetchDownload, FetchesFromAFileMirror) {
  make_mirror();
  const auto result = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            kName + " (Active) (verified: .sha256 file)\n");
}

// The "bad input" list of issue 2, as archives or answers a mirror may serve.
TEST_F(FetchDownload, BadArchivesFailCleanly) {
  const auto valid = make_tar_gz({ArchiveMember::file("istioctl", fake_istioctl("1.29.8")),
                                  ArchiveMember::file("padding", std::string(300000, 'p'))});
  const struct {
    std::string archive;
    std::string cause;
  } cases[] = {
      {valid.substr(0, valid.size() / 2), "damaged or truncated"},
      {"<!DOCTYPE html><html><body>Please sign in</body></html>\n", "HTML page"},
      {make_tar_gz({ArchiveMember::file("../istioctl", "x")}), "unsafe path \"../istioctl\""},
      {make_tar_gz({ArchiveMember::file("/tmp/istioctl", "x")}), "unsafe path \"/tmp/istioctl\""},
      {make_tar_gz({ArchiveMember::symlink("istioctl", "/bin/sh")}), "symbolic link"},
      {make_tar_gz(
           {ArchiveMember::file("kubectl", "x"), ArchiveMember::hardlink("istioctl", "kubectl")}),
       "hard link"},
      {make_tar_gz({ArchiveMember::file("README.md", "x")}), "has no istioctl"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.cause);
    make_mirror({MirrorDistribution{.archive = test.archive}});
    expect_clean_failure(options(mirror_->file_url()), test.cause);
  }
}

TEST_F(FetchDownload, ChecksumMismatchFailsCleanly) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror();
  const auto sidecar = mirror_->archive(kName).string() + ".sha256";
  ASSERT_TRUE(write_file_atomic(sidecar, std::string(64, 'b') + "\n").ok());
  Nginx nginx(mirror_->directory());
  expect_clean_failure(options(nginx_base(nginx)), "checksum mismatch");
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "downloads" / (kName + ".tar.gz.partial")));
}

TEST_F(FetchDownload, Http404FailsCleanlyWithoutRetry) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror();
  std::filesystem::remove(mirror_->archive(kName));
  Nginx nginx(mirror_->directory());
  expect_clean_failure(options(nginx_base(nginx)), "HTTP 404 Not Found");
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName)).size(), 1u);
}

// Neither the archive nor its .sha256 is there: that is a missing archive (URL, status, what to
// do), not an archive without a checksum to install unverified.
TEST_F(FetchDownload, AMissingArchiveIsNotFoundRatherThanUnverified) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror();
  std::filesystem::remove(mirror_->archive(kName));
  std::filesystem::remove(mirror_->archive(kName).string() + ".sha256");
  Nginx nginx(mirror_->directory());
  const auto url = nginx_base(nginx) + "/" + TestMirror::archive_name(kName);
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--require-checksum"}}) {
    expect_clean_failure(options(nginx_base(nginx)),
                         "error: cannot download " + url +
                             ": HTTP 404 Not Found\nhint: check "
                             "that this distribution is published for your platform",
                         extra);
    const auto result = run_getmesh({"fetch", "--name", kName}, options(nginx_base(nginx)));
    EXPECT_THAT(result.err, Not(HasSubstr("UNVERIFIED")));
    EXPECT_THAT(result.err, Not(HasSubstr("checksum")));
  }
}

// A GETMESH_MIRROR that does not answer gets advice about that mirror (not "use a mirror"), and
// following it (GETMESH_MIRROR set to the mirror's URL) works.
TEST_F(FetchDownload, AnUnreachableMirrorGetsAdviceAboutTheMirror) {
  make_mirror();
  const auto unreachable = "http://127.0.0.1:" + std::to_string(closed_port());
  const auto failed = run_getmesh({"fetch", "--name", kName}, options(unreachable));
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_THAT(failed.err, HasSubstr("hint: the mirror GETMESH_MIRROR=" + unreachable +
                                    " does not answer or is failing: check that it is up and "
                                    "that GETMESH_MIRROR is its URL"));
  EXPECT_THAT(failed.err, Not(HasSubstr("use a mirror with GETMESH_MIRROR")));
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / kName));
  const auto fixed = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
}

TEST_F(FetchDownload, Http500IsRetriedThenFailsCleanly) {
  make_mirror();
  FlakyServer server(mirror_->directory(),
                     {{"/" + TestMirror::archive_name(kName),
                       {{"fail", std::vector<int>(10, 500)}, {"retry_after", "0"}}}});
  expect_clean_failure(
      options(server.url().substr(0, server.url().size() - 1)),
      "HTTP 500 Internal Server Error (gave up after 4 attempts: received 0 bytes");
}

TEST_F(FetchDownload, Http500OnceThenSucceeds) {
  make_mirror();
  FlakyServer server(mirror_->directory(), {{"/" + TestMirror::archive_name(kName),
                                             {{"fail", {500}}, {"retry_after", "0"}}}});
  const auto result = run_getmesh({"fetch", "--name", kName},
                                  options(server.url().substr(0, server.url().size() - 1)));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            kName + " (Active) (verified: .sha256 file)\n");
}

TEST_F(FetchDownload, MissingChecksumIsRefusedOnRequestAndMarkedOtherwise) {
  make_mirror({MirrorDistribution{.sha256_file = false}});
  expect_clean_failure(options(mirror_->file_url()), "refusing to install " + kName,
                       {"--require-checksum"});

  fake.write_config(R"({"require_checksum": true})");
  expect_clean_failure(options(mirror_->file_url()), "refusing to install " + kName);

  fake.write_config("{}");
  const auto result = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("UNVERIFIED"));
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out, kName + " (Active) (unverified)\n");
}

TEST_F(FetchDownload, AKilledDownloadStaysInvisibleAndResumes) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror({MirrorDistribution{.padding_bytes = 3u << 20}});
  Nginx nginx(mirror_->directory(), 1u << 20);
  auto killed = options(nginx_base(nginx) + "/slow");
  killed.timeout = std::chrono::milliseconds(1500);  // run_getmesh SIGKILLs it then
  EXPECT_THROW(run_getmesh({"fetch", "--name", kName}, killed), std::runtime_error);

  const auto partial = fake.home() / "downloads" / (kName + ".tar.gz.partial");
  ASSERT_TRUE(std::filesystem::exists(partial));
  const auto kept = std::filesystem::file_size(partial);
  EXPECT_GT(kept, 0u);
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / kName));
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "No istioctl fetched yet: run \"getmesh fetch\"\n");

  const auto result = run_getmesh({"fetch", "--name", kName}, options(nginx_base(nginx) + "/slow"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            kName + " (Active) (verified: .sha256 file)\n");
  EXPECT_FALSE(std::filesystem::exists(partial));
  bool resumed = false;
  for (const auto& line : nginx.requests(TestMirror::archive_name(kName))) {
    if (line.find(" 206 range=\"bytes=") != std::string::npos) resumed = true;
  }
  EXPECT_TRUE(resumed) << "no Range request in the access log";
}

// Issue 20: Ctrl-C during fetch exited 130 without a word and left tmp/install-* behind. Typed on
// the terminal, it ends the progress line, says how to resume, and leaves tmp/ empty; the next
// fetch resumes.
TEST_F(FetchDownload, CtrlCSaysHowToResumeAndLeavesNothingInTmp) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror({MirrorDistribution{.padding_bytes = 3u << 20}});
  Nginx nginx(mirror_->directory(), 1u << 20);
  auto env = options(nginx_base(nginx) + "/slow").env;
  env["GETMESH_OFFLINE"] = "1";
  env["NO_COLOR"] = "1";
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_getmesh_on_terminal({"fetch", "--name", kName}, TerminalStream::kStderr,
                                              env, "", "downloading " + kName + " [");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 130) << result.terminal;
  EXPECT_THAT(result.terminal, HasSubstr("\r\033[Kerror: interrupted by Ctrl-C: the download of " +
                                         kName + " stopped after "));
  EXPECT_THAT(result.terminal, HasSubstr("hint: run \"getmesh fetch --name " + kName +
                                         "\" to resume the download where it stopped"));
  EXPECT_EQ(count(result.terminal, "error:"), 1u) << result.terminal;
  std::error_code ignored;
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(fake.home() / "tmp", ignored), {}),
            0);
  const auto partial = fake.home() / "downloads" / (kName + ".tar.gz.partial");
  ASSERT_TRUE(std::filesystem::exists(partial));
  EXPECT_GT(std::filesystem::file_size(partial), 0u);
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / kName));

  const auto resumed =
      run_getmesh({"fetch", "--name", kName}, options(nginx_base(nginx) + "/slow"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  bool ranged = false;
  for (const auto& line : nginx.requests(TestMirror::archive_name(kName))) {
    if (line.find(" 206 range=\"bytes=") != std::string::npos) ranged = true;
  }
  EXPECT_TRUE(ranged) << "no Range request in the access log";
}

TEST_F(FetchDownload, EightConcurrentFetchesOfOneVersionDownloadOnce) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  make_mirror({MirrorDistribution{.padding_bytes = 1u << 20}});
  Nginx nginx(mirror_->directory());
  std::vector<RunResult> results(8);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] {
      result = run_getmesh({"fetch", "--name", kName}, options(nginx_base(nginx)));
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nginx.requests(TestMirror::archive_name(kName)).size(), 1u);
  EXPECT_TRUE(nlohmann::json::accept(fake.read_config())) << fake.read_config();
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            kName + " (Active) (verified: .sha256 file)\n");
}

TEST_F(FetchDownload, EightConcurrentFetchesOfDifferentVersions) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  std::vector<MirrorDistribution> distributions;
  for (int patch = 1; patch <= 8; ++patch) {
    distributions.push_back({.version = "1.29." + std::to_string(patch), .padding_bytes = 200000});
  }
  make_mirror(distributions);
  Nginx nginx(mirror_->directory());
  std::vector<RunResult> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          run_getmesh({"fetch", "--name", distributions[i].name()}, options(nginx_base(nginx)));
    });
  }
  for (auto& thread : threads) thread.join();
  std::string expected_show;
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].exit_code, 0) << results[i].err;
    EXPECT_EQ(nginx.requests(TestMirror::archive_name(distributions[i].name())).size(), 1u);
  }
  const auto config = nlohmann::json::parse(fake.read_config());
  EXPECT_TRUE(config.contains("istio_distribution"));
  const auto show = run_getmesh({"show", "-o", "json"}, fake.options());
  EXPECT_EQ(nlohmann::json::parse(show.out).size(), 8u);
}

// Runs getmesh with `home` read-only: chmod for a normal user; as root (which ignores permission
// bits) in a private mount namespace where `home` is bind-mounted read-only.
RunResult run_with_read_only_home(const std::filesystem::path& home,
                                  const std::vector<std::string>& args, const RunOptions& run) {
  if (::geteuid() != 0) {
    ::chmod(home.c_str(), 0555);
    auto result = run_getmesh(args, run);
    ::chmod(home.c_str(), 0755);
    return result;
  }
  TempDir capture;
  const auto out_path = (capture.path() / "out").string();
  const auto err_path = (capture.path() / "err").string();
  std::vector<std::string> argv{GETMESH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> environment;
  for (const auto& [name, value] : run.env) environment.push_back(name + "=" + value);
  environment.push_back("PATH=/usr/bin:/bin");
  std::vector<char*> child_argv, child_env;
  for (auto& arg : argv) child_argv.push_back(arg.data());
  child_argv.push_back(nullptr);
  for (auto& entry : environment) child_env.push_back(entry.data());
  child_env.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {  // only system calls from here on
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount(home.c_str(), home.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
        ::mount(nullptr, home.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
      ::_exit(125);
    }
    ::execve(child_argv[0], child_argv.data(), child_env.data());
    ::_exit(126);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path).ok() ? *read_file(out_path) : "";
  result.err = read_file(err_path).ok() ? *read_file(err_path) : "";
  return result;
}

TEST_F(FetchDownload, AReadOnlyHomeFailsCleanly) {
  make_mirror();
  const auto before = files_outside(fake.root(), fake.home());
  const auto result = run_with_read_only_home(fake.home(), {"fetch", "--name", kName},
                                              options(mirror_->file_url()));
  if (result.exit_code == 125)
    GTEST_SKIP() << "cannot make a read-only bind mount here (root without CAP_SYS_ADMIN)";
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(count(result.err, "error:"), 1u) << result.err;
  EXPECT_THAT(result.err, HasSubstr(fake.home().string()));
  EXPECT_THAT(result.err, HasSubstr("hint:"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(fake.home()), {}), 0);
  EXPECT_EQ(files_outside(fake.root(), fake.home()), before);
}

// Issue 13: what a hostile or broken server sends is bounded.
class FetchLimits : public FetchDownload {
 protected:
  // A flaky server over the mirror behaving as `behaviour` for the archive (or `path`).
  FlakyServer& serve(const nlohmann::json& behaviour, const std::string& path = "") {
    server_.emplace(
        mirror_->directory(),
        nlohmann::json{{"/" + (path.empty() ? TestMirror::archive_name(kName) : path), behaviour}});
    return *server_;
  }
  [[nodiscard]] std::string base() const {
    const auto url = server_->url();
    return url.substr(0, url.size() - 1);
  }
  [[nodiscard]] std::filesystem::path partial() const {
    return fake.home() / "downloads" / (kName + ".tar.gz.partial");
  }

  std::optional<FlakyServer> server_;
};

TEST_F(FetchLimits, AnEndlessArchiveStopsAtTheDownloadLimit) {
  make_mirror();
  serve({{"endless", true}});
  expect_clean_failure(options(base(), {{"GETMESH_MAX_DOWNLOAD_MB", "2"}}),
                       "is larger than 2 MiB, the download limit; nothing was installed");
  EXPECT_FALSE(std::filesystem::exists(partial()));
}

TEST_F(FetchLimits, AnAnnouncedSizeBeyondTheLimitIsRefusedBeforeDownloading) {
  make_mirror();
  serve({{"endless", true}, {"announce", 50000000000LL}});
  expect_clean_failure(options(base()), "is larger than 1024 MiB, the download limit");
  EXPECT_FALSE(std::filesystem::exists(partial()));
}

TEST_F(FetchLimits, TheManifestsSizeBoundsTheArchive) {
  make_mirror();
  const auto size = std::filesystem::file_size(mirror_->archive(kName));
  auto manifest = nlohmann::json::parse(*read_file(mirror_->manifest()));
  manifest["istio_distributions"][0]["downloads"] = {{Platform::host().key(), {{"size", size}}}};
  ASSERT_TRUE(write_file_atomic(mirror_->manifest(), manifest.dump()).ok());
  serve({{"endless", true}});
  expect_clean_failure(options(base()),
                       "is larger than the catalogue says (" + std::to_string(size) + " bytes)");
  // The real archive has that size and installs.
  server_.reset();
  const auto result = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(FetchLimits, ATricklingChecksumFileCannotHangFetch) {
  make_mirror();
  serve({{"trickle", 2}}, TestMirror::archive_name(kName) + ".sha256");
  auto run = options(base(), {{"GETMESH_STALL_TIMEOUT", "2"}});
  run.timeout = std::chrono::seconds(20);
  const auto started = std::chrono::steady_clock::now();
  expect_clean_failure(run, "cannot get the checksum file");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
}

TEST_F(FetchLimits, BadLimitSettingsAreUsageErrors) {
  make_mirror();
  const auto result =
      run_getmesh({"fetch", "--name", kName},
                  options(mirror_->file_url(), {{"GETMESH_STALL_TIMEOUT", "soon"}}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("GETMESH_STALL_TIMEOUT=\"soon\" is not a positive whole number"));
}

// A planted symlink in downloads/ must not make getmesh truncate or append to its target.
TEST_F(FetchLimits, APartialFileThatIsASymlinkIsNotFollowed) {
  make_mirror();
  const auto victim = fake.root() / "precious.txt";
  ASSERT_TRUE(write_file_atomic(victim, "keep me\n").ok());
  std::filesystem::create_directories(partial().parent_path());
  std::filesystem::create_symlink(victim, partial());
  const auto result = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(*read_file(victim), "keep me\n");
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            kName + " (Active) (verified: .sha256 file)\n");
}

TEST_F(FetchLimits, FilesWrittenRespectTheUmask) {
  make_mirror();
  const auto previous = ::umask(077);
  const auto result = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  ::umask(previous);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto mode = [](const std::filesystem::path& path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
  };
  const auto version = fake.home() / "istio" / kName;
  EXPECT_EQ(mode(fake.home() / "config.json"), 0600u);
  EXPECT_EQ(mode(version / ".getmesh-install.json"), 0600u);
  EXPECT_EQ(mode(version / "bin" / "istioctl"), 0700u);
  EXPECT_EQ(mode(version / "bin"), 0700u);
}

// A damaged archive is read to its end: when its digest is not the expected one, that is the
// news (both digests), not "damaged, run again".
TEST_F(FetchLimits, ADamagedArchiveWithAnotherDigestIsReportedAsPossibleTampering) {
  const auto valid = make_tar_gz({ArchiveMember::file("istioctl", fake_istioctl("1.29.8")),
                                  ArchiveMember::file("padding", std::string(300000, 'p'))});
  const auto damaged = valid.substr(0, valid.size() / 2);
  make_mirror({MirrorDistribution{.archive = damaged}});
  const auto expected = sha256_hex(valid);
  ASSERT_TRUE(write_file_atomic(mirror_->archive(kName).string() + ".sha256",
                                expected + "  " + TestMirror::archive_name(kName) + "\n")
                  .ok());
  expect_clean_failure(options(mirror_->file_url()), "possibly tampered with");
  const auto result = run_getmesh({"fetch", "--name", kName}, options(mirror_->file_url()));
  EXPECT_THAT(result.err, HasSubstr("expected sha256 " + expected));
  EXPECT_THAT(result.err, HasSubstr("got " + sha256_hex(damaged)));
}

// Bytes kept from an interrupted download of an older archive, resumed without a validator the
// server could check (no ETag or date was known): the mix fails, and getmesh starts from zero.
TEST_F(FetchLimits, AResumedDownloadWhoseArchiveChangedRestartsFromZero) {
  const auto old_archive = make_tar_gz({ArchiveMember::file("istioctl", fake_istioctl("1.29.7")),
                                        ArchiveMember::file("padding", random_bytes(200000))});
  make_mirror({MirrorDistribution{.padding_bytes = 300000}});
  serve(nlohmann::json::object());
  std::filesystem::create_directories(partial().parent_path());
  ASSERT_TRUE(write_file_atomic(partial(), old_archive.substr(0, 100000)).ok());
  const nlohmann::json meta = {
      {"url", base() + "/" + TestMirror::archive_name(kName)}, {"etag", ""}, {"last_modified", ""}};
  ASSERT_TRUE(write_file_atomic(partial().string() + ".json", meta.dump()).ok());
  const auto result = run_getmesh({"fetch", "--name", kName}, options(base()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("downloading it again from the start"));
  EXPECT_EQ(*read_file(fake.home() / "istio" / kName / "bin" / "istioctl"),
            fake_istioctl("1.29.8"));
  const auto requests = server_->requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests.back()["range"], "");
}

}  // namespace
}  // namespace getmesh::testing
