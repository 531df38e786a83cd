#include <getmesh/core/fs.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/manifest/catalog.hpp>
#include <getmesh/store/settings.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace getmesh::store {
namespace {

TEST(ConfigSettings, EveryRowIsDocumentedInTheOneTableOfConfigurationMd) {
  const auto docs =
      read_file(std::filesystem::path(GETMESH_SOURCE_DIR) / "docs" / "configuration.md");
  ASSERT_TRUE(docs.ok());
  for (const auto& setting : settings()) {
    EXPECT_NE(docs->find("| `" + std::string(setting.key) + "` |"), std::string::npos)
        << setting.key << " has no row in docs/configuration.md";
  }
}

// What `config list` and `config get` show for an unset setting is what the catalogue then uses.
TEST(ConfigSettings, ImpliedValuesAreTheOnesInEffect) {
  const Config unset;
  const auto& ttl = *find_setting("catalog_ttl");
  EXPECT_EQ(effective_value(unset, ttl), "6h");
  EXPECT_EQ(parse_duration(ttl.implied), manifest::kDefaultCatalogTtlSeconds);
  EXPECT_EQ(effective_value(unset, *find_setting("github_api_url")), manifest::kDefaultGithubApi);
  EXPECT_EQ(effective_value(unset, *find_setting("chart_repo")), helm::kIstioChartRepository);
  EXPECT_FALSE(is_set(unset, *find_setting("chart_repo"))) << "the implied value is no setting";
  EXPECT_TRUE(effective_value(unset, *find_setting("default_hub")).is_null());
  EXPECT_EQ(effective_value(unset, *find_setting("auto_select")), false);
  Config set;
  set.catalog_ttl = "30m";
  EXPECT_EQ(effective_value(set, ttl), "30m");
}

TEST(ConfigSettings, KeysAreSortedAndUnique) {
  for (std::size_t i = 1; i < settings().size(); ++i) {
    EXPECT_LT(settings()[i - 1].key, settings()[i].key);
  }
  EXPECT_EQ(find_setting("istio_distribution"), nullptr);
  ASSERT_NE(find_setting("default_hub"), nullptr);
}

TEST(ConfigSettings, SetChecksTypeAndValue) {
  Config config;
  const auto& hub = *find_setting("default_hub");
  EXPECT_TRUE(set_setting(config, hub, "my-registry.example.com:5000/istio").ok());
  EXPECT_EQ(config.default_hub, "my-registry.example.com:5000/istio");
  for (const char* bad : {"https://docker.io/istio", "docker.io/istio ", "a\"b", "", "/istio/"}) {
    const auto refused = set_setting(config, hub, bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::kUsage);
    EXPECT_NE(refused.error().message.find("is not an image registry"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_EQ(config.default_hub, "my-registry.example.com:5000/istio") << "refusals change nothing";
  EXPECT_EQ(set_setting(config, hub, "https://x.io/istio").error().message,
            "default_hub \"https://x.io/istio\" is not an image registry: it starts with a scheme "
            "(https://)");
  EXPECT_EQ(set_setting(config, hub, "x y", "--set").error().message,
            "--set \"x y\" is not an image registry: it contains \" \"");

  const auto& strict = *find_setting("strict_install");
  EXPECT_TRUE(set_setting(config, strict, "true").ok());
  EXPECT_TRUE(config.strict_install);
  EXPECT_FALSE(set_setting(config, strict, "yes").ok());
  EXPECT_EQ(setting_value(config, strict), nlohmann::json(true));
  EXPECT_TRUE(is_set(config, strict));
  unset_setting(config, strict);
  EXPECT_FALSE(config.strict_install);
  EXPECT_FALSE(is_set(config, strict));

  const auto& manifest = *find_setting("manifest_url");
  EXPECT_TRUE(set_setting(config, manifest, "file:///srv/manifest.json").ok());
  EXPECT_TRUE(set_setting(config, manifest, "manifests/m.json").ok());
  EXPECT_FALSE(set_setting(config, manifest, "ftp://x/m.json").ok());
}

TEST(ConfigSettings, FilesAreOnlyTypeChecked) {
  // An older config.json with a hub the command would refuse still loads.
  const auto config = parse_config(R"({"default_hub":"https://gcr.io/istio"})", "c");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->default_hub, "https://gcr.io/istio");
  EXPECT_FALSE(parse_config(R"({"strict_install":"true"})", "c").ok());
}

}  // namespace
}  // namespace getmesh::store
