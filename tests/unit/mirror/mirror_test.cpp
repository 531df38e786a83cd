#include <getmesh/mirror/mirror.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::mirror {
namespace {

using ::testing::HasSubstr;

TEST(MirrorPlatform, AcceptsDockerAndIstioNames) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"linux/amd64", "linux-amd64"}, {"linux/arm64", "linux-arm64"},
      {"linux/armv7", "linux-armv7"}, {"darwin/arm64", "osx-arm64"},
      {"darwin/amd64", "osx-amd64"},  {"linux-amd64", "linux-amd64"},
      {"osx-arm64", "osx-arm64"},     {"osx", "osx-amd64"},
  };
  for (const auto& [text, key] : cases) {
    const auto platform = parse_platform(text);
    ASSERT_TRUE(platform.ok()) << text;
    EXPECT_EQ(platform->key(), key) << text;
  }
  for (const char* bad : {"", "linux", "windows/amd64", "linux/x86", "linux/amd64/v2", "/"}) {
    const auto platform = parse_platform(bad);
    ASSERT_FALSE(platform.ok()) << bad;
    EXPECT_EQ(platform.error().kind, ErrorKind::kUsage);
    EXPECT_THAT(platform.error().hint, HasSubstr("linux/amd64"));
  }
}

// The flat layout GETMESH_MIRROR reads, with Istio's "osx" for Intel macOS.
TEST(MirrorLayout, ArchiveFileNames) {
  const auto name = *DistributionName::parse("1.31.1-tetratefips-v2");
  EXPECT_EQ(archive_file_name(name, {"linux", "arm64"}),
            "istio-1.31.1-tetratefips-v2-linux-arm64.tar.gz");
  EXPECT_EQ(archive_file_name(name, {"osx", "amd64"}), "istio-1.31.1-tetratefips-v2-osx.tar.gz");
}

TEST(MirrorImages, UpstreamTagsOnDockerHub) {
  const auto images = mirror::images(*DistributionName::parse("1.31.1-istio-v0"), {});
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].component, "pilot");
  EXPECT_EQ(images[0].source, "docker.io/istio/pilot:1.31.1");
  EXPECT_EQ(images[1].source, "docker.io/istio/proxyv2:1.31.1");
  EXPECT_EQ(images[1].target, "");
}

TEST(MirrorImages, TetrateTagsCarryFlavorAndRebuildAndAmbientAddsItsImages) {
  ImageOptions options;
  options.ambient = true;
  options.target_hub = "registry.example.com:5000/istio//";
  const auto images = mirror::images(*DistributionName::parse("1.30.5-tetratefips-v3"), options);
  ASSERT_EQ(images.size(), 4u);
  EXPECT_EQ(images[2].component, "ztunnel");
  EXPECT_EQ(images[3].component, "install-cni");
  EXPECT_EQ(images[3].source, "containers.istio.tetratelabs.com/install-cni:1.30.5-tetratefips-v3");
  EXPECT_EQ(images[3].target, "registry.example.com:5000/istio/install-cni:1.30.5-tetratefips-v3");
}

TEST(MirrorImages, AGivenHubReplacesTheFlavorsOne) {
  ImageOptions options;
  options.hub = "gcr.io/istio-release/";
  const auto images = mirror::images(*DistributionName::parse("1.29.8-istio-v0"), options);
  EXPECT_EQ(images[0].source, "gcr.io/istio-release/pilot:1.29.8");
  EXPECT_EQ(default_hub("tetrate"), "containers.istio.tetratelabs.com");
  EXPECT_EQ(default_hub("istio"), "docker.io/istio");
}

}  // namespace
}  // namespace getmesh::mirror
