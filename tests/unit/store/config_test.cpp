#include "support/temp_dir.hpp"

#include <getmesh/store/config.hpp>

#include <gtest/gtest.h>

namespace getmesh::store {
namespace {

TEST(Config, ReadsTheOriginalsFile) {
  const auto config = parse_config(
      R"({"istio_distribution":{"version":"1.18.2","flavor":"tetrate","k8s_versions":["1.23","1.24"],)"
      R"("release_notes":["https://x"],"end_of_life":"2024-08-03"},"default_hub":"docker.io/istio"})",
      "config.json");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_TRUE(config->active.has_value());
  EXPECT_EQ(config->active->name.to_string(), "1.18.2-tetrate-v0");
  EXPECT_EQ(config->active->end_of_life, "2024-08-03");
  EXPECT_EQ(config->default_hub, "docker.io/istio");
}

TEST(Config, WritesTheOriginalsShapeAndKeepsUnknownKeys) {
  auto config = parse_config(R"({"istio_distribution":null,"future_key":{"a":[1,2]}})", "c");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(serialize_config(*config), R"({"future_key":{"a":[1,2]},"istio_distribution":null})");
  config->active = ActiveRecord{*DistributionName::parse("1.7.3-tetrate-v0"), {}, {}, false, ""};
  config->default_hub = "gcr.io/istio";
  config->auto_select = true;
  const auto text = serialize_config(*config);
  EXPECT_EQ(text, R"({"auto_select":true,"default_hub":"gcr.io/istio","future_key":{"a":[1,2]},)"
                  R"("istio_distribution":{"flavor":"tetrate","version":"1.7.3"}})");
  const auto again = parse_config(text, "c");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->active->name.to_string(), "1.7.3-tetrate-v0");
  EXPECT_TRUE(again->auto_select);
}

TEST(Config, AnActiveFlavorThatIsNoFlavorNameIsRefused) {
  for (const char* flavor : {"../../../tmp/x", "a/b", "Tetrate", ""}) {
    const nlohmann::json document = {
        {"istio_distribution", {{"version", "1.18.2"}, {"flavor", flavor}}}};
    const auto config = parse_config(document.dump(), "config.json");
    ASSERT_FALSE(config.ok()) << flavor;
    EXPECT_NE(config.error().message.find("istio_distribution.flavor"), std::string::npos)
        << config.error().message;
  }
}

TEST(Config, EmptyAndMissingFilesAreEmptyConfigurations) {
  testing::TempDir dir;
  const auto missing = load_config(dir.path() / "config.json");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->active.has_value());
  EXPECT_TRUE(parse_config("  \n", "c").ok());
}

TEST(Config, CorruptFilesAreClearErrors) {
  for (const char* text :
       {"{\"istio_distribution\":", "[]", R"({"istio_distribution":"1.2.3"})",
        R"({"istio_distribution":{"version":"x","flavor":"istio"}})",
        R"({"istio_distribution":{"version":"1.2.3"}})",
        R"({"istio_distribution":{"version":"1.2.3","flavor":"istio","flavor_version":-2}})",
        R"({"require_checksum":"yes"})", R"({"default_hub":5})"}) {
    const auto config = parse_config(text, "/home/u/.getmesh/config.json");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.error().message.find("/home/u/.getmesh/config.json"), std::string::npos);
    EXPECT_NE(config.error().hint.find("delete it"), std::string::npos);
  }
}

TEST(Config, SavesAtomicallyWithoutLeftovers) {
  testing::TempDir dir;
  const auto path = dir.path() / "config.json";
  Config config;
  config.default_hub = "hub";
  ASSERT_TRUE(save_config(path, config).ok());
  ASSERT_TRUE(save_config(path, config).ok());
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(load_config(path)->default_hub, "hub");
}

}  // namespace
}  // namespace getmesh::store
