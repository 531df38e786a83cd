#include <getmesh/core/platform.hpp>

#include <gtest/gtest.h>

namespace getmesh {
namespace {

TEST(PlatformFacts, ArchiveSuffixesFollowIstiosNames) {
  EXPECT_EQ((Platform{"linux", "amd64"}.archive_suffix()), "linux-amd64");
  EXPECT_EQ((Platform{"linux", "arm64"}.archive_suffix()), "linux-arm64");
  EXPECT_EQ((Platform{"osx", "amd64"}.archive_suffix()), "osx");
  EXPECT_EQ((Platform{"osx", "arm64"}.archive_suffix()), "osx-arm64");
  EXPECT_EQ((Platform{"osx", "amd64"}.key()), "osx-amd64");
}

TEST(PlatformFacts, MacOsUsesTheSystemsCaBundleAndLinuxLeavesItToLibcurl) {
  EXPECT_EQ((Platform{"osx", "arm64"}.default_ca_bundle()), "/etc/ssl/cert.pem");
  EXPECT_EQ((Platform{"osx", "amd64"}.default_ca_bundle()), "/etc/ssl/cert.pem");
  EXPECT_EQ((Platform{"linux", "amd64"}.default_ca_bundle()), "");
}

TEST(PlatformFacts, LibcurlIsLoadedUnderEachSystemsName) {
  const auto mac = Platform{"osx", "arm64"}.libcurl();
  EXPECT_EQ(mac.names, (std::vector<std::string>{"/usr/lib/libcurl.4.dylib",
                                                 "/opt/homebrew/opt/curl/lib/libcurl.4.dylib",
                                                 "/usr/local/opt/curl/lib/libcurl.4.dylib"}));
  EXPECT_NE(mac.missing_hint.find("brew install curl"), std::string::npos) << mac.missing_hint;
  EXPECT_NE(mac.too_old_hint.find("macOS 12"), std::string::npos) << mac.too_old_hint;
  const auto gnu_linux = Platform{"linux", "amd64"}.libcurl();
  EXPECT_EQ(gnu_linux.names, (std::vector<std::string>{"libcurl.so.4", "libcurl.so"}));
  EXPECT_NE(gnu_linux.missing_hint.find("apt-get install libcurl4"), std::string::npos);
}

TEST(PlatformFacts, TheHostIsOneOfIstiosPlatforms) {
  const auto host = Platform::host();
  EXPECT_TRUE(host.os == "linux" || host.os == "osx") << host.os;
  EXPECT_TRUE(host.arch == "amd64" || host.arch == "arm64" || host.arch == "armv7") << host.arch;
}

}  // namespace
}  // namespace getmesh
