#include <getmesh/manifest/catalog.hpp>

#include <gtest/gtest.h>

namespace getmesh::manifest {
namespace {

Environment environment(std::map<std::string, std::string, std::less<>> variables) {
  return Environment(std::move(variables));
}

TEST(CatalogSettings, DefaultsAndPrecedence) {
  auto settings = catalog_settings({}, "", std::nullopt);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->api_url, "https://api.github.com");
  EXPECT_EQ(settings->ttl_seconds, 6 * 3600);
  EXPECT_EQ(settings->timeout_ms, 3000);
  EXPECT_FALSE(settings->offline);
  EXPECT_TRUE(settings->token.empty());

  settings = catalog_settings({}, "https://ghe.example/api/v3/", 60);
  EXPECT_EQ(settings->api_url, "https://ghe.example/api/v3") << "no trailing slash";
  EXPECT_EQ(settings->ttl_seconds, 60);

  settings = catalog_settings(environment({{"GETMESH_GITHUB_API", "http://127.0.0.1:9"},
                                           {"GH_TOKEN", "gh"},
                                           {"GETMESH_CATALOG_TIMEOUT_MS", "250"},
                                           {"GETMESH_OFFLINE", "1"}}),
                              "https://ghe.example/api/v3", std::nullopt);
  EXPECT_EQ(settings->api_url, "http://127.0.0.1:9");
  EXPECT_EQ(settings->token, "gh");
  EXPECT_EQ(settings->timeout_ms, 250);
  EXPECT_TRUE(settings->offline);

  settings = catalog_settings(environment({{"GITHUB_TOKEN", "first"}, {"GH_TOKEN", "second"}}), "",
                              std::nullopt);
  EXPECT_EQ(settings->token, "first");
}

TEST(CatalogSettings, BadValuesAreUsageErrors) {
  auto settings =
      catalog_settings(environment({{"GETMESH_GITHUB_API", "api.github.com"}}), "", std::nullopt);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().kind, ErrorKind::kUsage);
  EXPECT_NE(settings.error().message.find("GETMESH_GITHUB_API"), std::string::npos);
  for (const char* timeout : {"0", "soon", "-5", "999999999"}) {
    settings =
        catalog_settings(environment({{"GETMESH_CATALOG_TIMEOUT_MS", timeout}}), "", std::nullopt);
    EXPECT_FALSE(settings.ok()) << timeout;
  }
}

TEST(CatalogSettings, OfflineValues) {
  for (const char* on : {"1", "true", "yes", "on", "TRUE"}) {
    EXPECT_TRUE(offline_requested(environment({{"GETMESH_OFFLINE", on}}))) << on;
  }
  for (const char* off : {"0", "false", "no", "off", "OFF", ""}) {
    EXPECT_FALSE(offline_requested(environment({{"GETMESH_OFFLINE", off}}))) << off;
  }
  EXPECT_FALSE(offline_requested({}));
}

}  // namespace
}  // namespace getmesh::manifest
