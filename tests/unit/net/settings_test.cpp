#include <getmesh/net/http.hpp>

#include <gtest/gtest.h>

namespace getmesh::net {
namespace {

const Platform kMacHost{"osx", "arm64"};
const Platform kLinuxHost{"linux", "amd64"};

TEST(NetSettings, WithoutAConfiguredBundleMacOsUsesTheSystemsAndLinuxLibcurlsOwn) {
  EXPECT_EQ(Settings::from_environment({}, kMacHost).ca_bundle, "/etc/ssl/cert.pem");
  EXPECT_EQ(Settings::from_environment({}, kLinuxHost).ca_bundle, "");
}

TEST(NetSettings, AConfiguredBundleWinsOverThePlatformDefault) {
  Environment environment;
  environment.set("CURL_CA_BUNDLE", "/etc/curl.pem");
  EXPECT_EQ(Settings::from_environment(environment, kMacHost).ca_bundle, "/etc/curl.pem");
  environment.set("SSL_CERT_FILE", "/etc/ssl.pem");
  EXPECT_EQ(Settings::from_environment(environment, kMacHost).ca_bundle, "/etc/ssl.pem");
  environment.set("GETMESH_CA_BUNDLE", "/etc/getmesh.pem");
  EXPECT_EQ(Settings::from_environment(environment, kMacHost).ca_bundle, "/etc/getmesh.pem");
  EXPECT_EQ(Settings::from_environment(environment, kLinuxHost).ca_bundle, "/etc/getmesh.pem");
}

}  // namespace
}  // namespace getmesh::net
