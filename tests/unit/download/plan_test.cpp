#include <getmesh/download/install.hpp>

#include <gtest/gtest.h>

namespace getmesh::download {
namespace {

manifest::Distribution distribution(const std::string& name) {
  return {*DistributionName::parse(name), {}, {}, false, {}, manifest::Origin::kManifest};
}

TEST(Plan, ExpandsTheFlavorTemplateWithIstiosPlatformNames) {
  manifest::Manifest manifest;
  manifest.download_templates["istio"] =
      "https://github.com/istio/istio/releases/download/{version}/"
      "istioctl-{version}-{platform}.tar.gz";
  const auto linux_plan = plan(manifest, distribution("1.31.1-istio-v0"), {"linux", "arm64"}, {});
  ASSERT_TRUE(linux_plan.ok());
  EXPECT_EQ(
      linux_plan->url,
      "https://github.com/istio/istio/releases/download/1.31.1/istioctl-1.31.1-linux-arm64.tar.gz");
  EXPECT_EQ(linux_plan->checksum_url, linux_plan->url + ".sha256");
  EXPECT_TRUE(linux_plan->checksums.empty());
  const auto mac_plan = plan(manifest, distribution("1.31.1-istio-v0"), {"osx", "amd64"}, {});
  EXPECT_EQ(mac_plan->url,
            "https://github.com/istio/istio/releases/download/1.31.1/istioctl-1.31.1-osx.tar.gz");
}

TEST(Plan, FallsBackToTheOriginalHostLikeTheOriginal) {
  const auto result = plan({}, distribution("1.7.6-tetrate-v0"), {"linux", "amd64"}, {});
  EXPECT_EQ(result->url,
            "https://istio.tetratelabs.io/getmesh/files/istio-1.7.6-tetrate-v0-linux-amd64.tar.gz");
  const auto arm = plan({}, distribution("1.7.6-tetrate-v0"), {"osx", "arm64"}, {});
  EXPECT_EQ(arm->url,
            "https://istio.tetratelabs.io/getmesh/files/istio-1.7.6-tetrate-v0-osx-arm64.tar.gz");
}

TEST(Plan, PrefersPinnedDownloadsAndTheirChecksums) {
  auto pinned = distribution("1.31.1-istio-v0");
  pinned.downloads["linux-amd64"] = {"https://cdn.example/a.tar.gz", std::string(64, 'a'), "", ""};
  const auto result = plan({}, pinned, {"linux", "amd64"}, {});
  EXPECT_EQ(result->url, "https://cdn.example/a.tar.gz");
  ASSERT_EQ(result->checksums.size(), 1u);
  EXPECT_EQ(result->checksums[0].sha256, std::string(64, 'a'));
  EXPECT_EQ(result->checksums[0].source, "manifest");
  EXPECT_TRUE(result->checksum_url.empty());
}

TEST(Plan, MirrorServesAFlatLayoutAndKeepsPinnedChecksums) {
  auto pinned = distribution("1.31.1-istio-v0");
  pinned.downloads["linux-amd64"] = {"https://cdn.example/a.tar.gz", std::string(64, 'b'), "", ""};
  Environment environment;
  environment.set("GETMESH_MIRROR", "file:///srv/mirror//");
  const auto result = plan({}, pinned, {"linux", "amd64"}, environment);
  EXPECT_EQ(result->url, "file:///srv/mirror/istio-1.31.1-istio-v0-linux-amd64.tar.gz");
  ASSERT_EQ(result->checksums.size(), 1u);
  EXPECT_EQ(result->checksums[0].sha256, std::string(64, 'b'));
  environment.set("GETMESH_MIRROR", "/srv/mirror");
  EXPECT_FALSE(plan({}, pinned, {"linux", "amd64"}, environment).ok());
}

// A release from upstream: its own URL, its digest and the .sha256 asset, both checked.
TEST(Plan, UpstreamReleasesBringTheirDigestAndChecksumFile) {
  auto upstream = distribution("1.32.0-istio-v0");
  upstream.origin = manifest::Origin::kUpstream;
  upstream.downloads["linux-amd64"] = {
      "https://ghe.example/dl/istioctl-1.32.0-linux-amd64.tar.gz", "", std::string(64, 'c'),
      "https://ghe.example/dl/istioctl-1.32.0-linux-amd64.tar.gz.sha256"};
  auto result = plan({}, upstream, {"linux", "amd64"}, {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->url, "https://ghe.example/dl/istioctl-1.32.0-linux-amd64.tar.gz");
  ASSERT_EQ(result->checksums.size(), 1u);
  EXPECT_EQ(result->checksums[0].source, "upstream-digest");
  EXPECT_EQ(result->checksum_url,
            "https://ghe.example/dl/istioctl-1.32.0-linux-amd64.tar.gz.sha256");

  // Both the manifest's sha256 and upstream's digest are expected: fetch compares them.
  upstream.downloads["linux-amd64"].sha256 = std::string(64, 'd');
  result = plan({}, upstream, {"linux", "amd64"}, {});
  ASSERT_EQ(result->checksums.size(), 2u);
  EXPECT_EQ(result->checksums[0].source, "manifest");
  EXPECT_EQ(result->checksums[1].source, "upstream-digest");

  // A mirror serves the archive and its .sha256 beside it.
  Environment environment;
  environment.set("GETMESH_MIRROR", "https://mirror.example");
  result = plan({}, upstream, {"linux", "amd64"}, environment);
  EXPECT_EQ(result->checksum_url,
            "https://mirror.example/istio-1.32.0-istio-v0-linux-amd64.tar.gz.sha256");

  // A platform upstream has no archive for is an error, not a guessed URL.
  const auto missing = plan({}, upstream, {"linux", "armv7"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no istioctl archive for linux-armv7"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::download
