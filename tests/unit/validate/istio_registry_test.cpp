// The generated annotation and label registries against the upstream files they come from
// (tests/data/istio-api/, see its README): a stale istio_registry_data.cpp fails here.
#include "validate/istio_registry.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <deque>
#include <filesystem>

namespace getmesh::validate {
namespace {

const std::filesystem::path kRegistries =
    std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data/istio-api";

std::string text_of(std::span<const RegistryEntry> entries) {
  std::string text;
  for (const auto& entry : entries) {
    text += std::string(entry.name) + " [" + std::string(entry.resources) + "] " +
            std::to_string(static_cast<int>(entry.status)) +
            (entry.deprecated ? " deprecated" : "") + (entry.hidden ? " hidden" : "") + "\n";
  }
  return text;
}

// What tools/gen_istio_registry.py writes for `file`, rebuilt from the upstream YAML.
std::vector<RegistryEntry> expected(const std::string& file, const char* key,
                                    std::deque<std::string>& storage) {
  const auto document = YAML::LoadFile((kRegistries / file).string());
  std::vector<RegistryEntry> entries;
  for (const auto& item : document[key]) {
    std::string resources;
    for (const auto& resource : item["resources"])
      resources += (resources.empty() ? "" : ",") + resource.as<std::string>();
    storage.push_back(item["name"].as<std::string>());
    const auto& name = storage.back();
    storage.push_back(resources);
    const auto status = item["featureStatus"] ? item["featureStatus"].as<std::string>() : "Alpha";
    entries.push_back({name, storage.back(),
                       status == "Stable" ? FeatureStatus::kStable
                       : status == "Beta" ? FeatureStatus::kBeta
                                          : FeatureStatus::kAlpha,
                       item["deprecated"] && item["deprecated"].as<bool>(),
                       item["hidden"] && item["hidden"].as<bool>()});
  }
  std::sort(entries.begin(), entries.end(),
            [](const RegistryEntry& a, const RegistryEntry& b) { return a.name < b.name; });
  return entries;
}

TEST(IstioRegistry, GeneratedTablesMatchTheUpstreamFiles) {
  std::deque<std::string> storage;  // owns the names the entries view
  const auto annotations = expected("annotations.yaml", "annotations", storage);
  const auto labels = expected("labels.yaml", "labels", storage);
  ASSERT_GT(annotations.size(), 50U);
  ASSERT_GT(labels.size(), 20U);
  EXPECT_EQ(text_of(istio_annotations()), text_of(annotations))
      << "regenerate: tools/gen_istio_registry.py tests/data/istio-api > "
         "src/validate/istio_registry_data.cpp";
  EXPECT_EQ(text_of(istio_labels()), text_of(labels))
      << "regenerate: tools/gen_istio_registry.py tests/data/istio-api > "
         "src/validate/istio_registry_data.cpp";
}

TEST(IstioRegistry, LooksUpByNameAndKind) {
  const auto* inject = find_annotation("sidecar.istio.io/inject");
  ASSERT_NE(inject, nullptr);
  EXPECT_TRUE(inject->deprecated);
  EXPECT_TRUE(inject->applies_to("Pod"));
  EXPECT_FALSE(inject->applies_to("Service"));
  const auto* suppress = find_annotation("galley.istio.io/analyze-suppress");
  ASSERT_NE(suppress, nullptr);
  EXPECT_TRUE(suppress->applies_to("Deployment"));  // "Any"
  EXPECT_EQ(find_annotation("sidecar.istio.io/nope"), nullptr);
  const auto* waypoint = find_label("istio.io/use-waypoint");
  ASSERT_NE(waypoint, nullptr);
  EXPECT_TRUE(waypoint->applies_to("ServiceEntry"));
  EXPECT_FALSE(waypoint->applies_to("Deployment"));
  EXPECT_EQ(find_annotation("traffic.sidecar.istio.io/includeInboundPorts")->status,
            FeatureStatus::kAlpha);  // no featureStatus upstream
}

}  // namespace
}  // namespace getmesh::validate
