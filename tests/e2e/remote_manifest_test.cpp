#include "support/fake_home.hpp"
#include "support/flaky_server.hpp"
#include "support/kube_api_server.hpp"
#include "support/nginx.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// A loopback port that accepts connections (the kernel completes them) but never answers.
class SilentServer {
 public:
  explicit SilentServer(int port = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int reuse = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 16);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  ~SilentServer() { ::close(fd_); }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/manifest.json";
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class RemoteManifest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
    site.write("manifest.json", make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0"}));
  }
  RunResult list(const std::string& url, const std::string& max_age = "300") {
    return run_getmesh(
        {"list"}, fake.options({{"GETMESH_MANIFEST", url}, {"GETMESH_MANIFEST_MAX_AGE", max_age}}));
  }
  // Fills the cache from a server that then disappears; returns the URL and the port it used.
  std::pair<std::string, int> cache_manifest_then_stop_server() {
    Nginx nginx(site.path());
    const auto url = nginx.url("manifest.json");
    EXPECT_EQ(list(url).exit_code, 0);
    return {url, nginx.port()};
  }
  FakeHome fake;
  TempDir site;
};

TEST_F(RemoteManifest, IsCachedAndRevalidatedWithItsETag) {
  Nginx nginx(site.path());
  const auto url = nginx.url("manifest.json");
  auto result = list(url);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1.31.1"));
  EXPECT_THAT(nginx.requests("/manifest.json"), SizeIs(1));

  result = list(url);  // fresh: no request at all
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(nginx.requests("/manifest.json"), SizeIs(1));

  result = list(url, "0");  // stale: a conditional request answered 304
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1.31.1"));
  const auto requests = nginx.requests("/manifest.json");
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_THAT(requests[1], HasSubstr(" 304 "));

  site.write("manifest.json", make_manifest({"1.32.0-istio-v0"}));  // a new manifest is picked up
  result = list(url, "0");
  EXPECT_THAT(result.out, HasSubstr("1.32.0"));
}

TEST_F(RemoteManifest, TheCachedCopyIsUsedWhenTheServerIsGone) {
  const auto [url, port] = cache_manifest_then_stop_server();
  const auto result = list(url, "0");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1.31.1"));
  EXPECT_THAT(result.err, HasSubstr("warning: cannot refresh the manifest from " + url));
  EXPECT_THAT(result.err, HasSubstr("using the copy cached"));
}

TEST_F(RemoteManifest, AServerThatNeverAnswersCostsAFewSecondsAtMost) {
  const auto [url, port] = cache_manifest_then_stop_server();
  SilentServer silent(port);  // the same URL now accepts connections and never answers
  auto start = std::chrono::steady_clock::now();
  auto result = list(url, "0");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1.31.1"));
  EXPECT_THAT(result.err, HasSubstr("using the copy cached"));

  SilentServer uncached;
  start = std::chrono::steady_clock::now();
  result = list(uncached.url(), "0");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot load the manifest from " + uncached.url()));
}

TEST_F(RemoteManifest, ServerErrorsFallBackToTheCacheButBrokenManifestsDoNot) {
  FlakyServer server(site.path(), {{"/manifest.json", {{"fail", {500, 500, 500, 500}}}}});
  // Nothing cached yet: the error names the URL and the status.
  auto result = list(server.url("manifest.json"), "0");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("HTTP 500"));

  Nginx nginx(site.path());
  const auto url = nginx.url("manifest.json");
  ASSERT_EQ(list(url).exit_code, 0);
  site.write("manifest.json", "<html><body>We moved!</body></html>");
  result = list(url, "0");
  EXPECT_EQ(result.exit_code, 1) << "an HTML page is not a network failure";
  EXPECT_THAT(result.err, HasSubstr(url));
  EXPECT_THAT(result.err, HasSubstr("is an HTML page"));
  site.write("manifest.json",
             R"({"istio_distributions": [{"version": "1.2", "flavor": "istio"}]})");
  result = list(url, "0");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("istio_distributions[0].version"));
}

TEST_F(RemoteManifest, NoCacheAndNoServerIsAClearError) {
  const auto url = "http://127.0.0.1:" + std::to_string(free_loopback_port()) + "/manifest.json";
  const auto result = list(url, "0");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: cannot load the manifest from " + url));
  EXPECT_THAT(result.err, HasSubstr("hint:"));
  EXPECT_EQ(result.out, "");
}

// An https manifest URL never follows a redirect to plain http, where the network could change the
// checksums; a redirect that stays on https is followed.
TEST_F(RemoteManifest, HttpsNeverFollowsARedirectToPlainHttp) {
  Nginx nginx(site.path());
  KubeApiServerOptions options;
  options.redirects = {{"/downgrade.json", nginx.url("manifest.json")},
                       {"/moved.json", "/version"}};
  KubeApiServer https(options);
  const auto ca_bundle = TestCertificates::get().ca_cert.string();
  const auto run = [&](const std::string& path) {
    return run_getmesh({"list"}, fake.options({{"GETMESH_MANIFEST", https.url() + path},
                                               {"GETMESH_MANIFEST_MAX_AGE", "0"},
                                               {"GETMESH_CA_BUNDLE", ca_bundle}}));
  };
  auto result = run("/downgrade.json");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: cannot load the manifest from " + https.url()));
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(nginx.requests("manifest.json").empty());

  // /version answers JSON that is no manifest: the error shows the redirect was followed.
  result = run("/moved.json");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, Not(HasSubstr("cannot load the manifest")));
  bool followed = false;
  for (const auto& request : https.requests()) followed = followed || request["path"] == "/version";
  EXPECT_TRUE(followed);
}

}  // namespace
}  // namespace getmesh::testing
