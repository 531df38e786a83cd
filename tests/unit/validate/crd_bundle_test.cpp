// Checks config-validate's kinds and field table against the upstream Istio CRD bundle, an
// unmodified copy in tests/data/istio-crds/ (see its README for the source commit).
#include "validate/schema/known_fields.hpp"

#include <getmesh/validate/kinds.hpp>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>

namespace getmesh::validate {
namespace {

const std::filesystem::path kBundle =
    std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data/istio-crds/crd-all.gen.yaml";

std::vector<YAML::Node> load_bundle() {
  std::vector<YAML::Node> documents;
  for (const auto& document : YAML::LoadAllFromFile(kBundle.string())) {
    if (document.IsMap() && document["kind"].as<std::string>() == "CustomResourceDefinition")
      documents.push_back(document);
  }
  return documents;
}

TEST(IstioCrdBundle, EveryAcceptedIstioKindAndVersionIsServedUpstream) {
  std::set<std::string> served;
  for (const auto& crd : load_bundle()) {
    const auto group = crd["spec"]["group"].as<std::string>();
    const auto kind = crd["spec"]["names"]["kind"].as<std::string>();
    for (const auto& version : crd["spec"]["versions"]) {
      if (version["served"].as<bool>())
        served.insert(group + "/" + version["name"].as<std::string>() + " " + kind);
    }
  }
  ASSERT_FALSE(served.empty());
  for (const auto& accepted : accepted_kinds()) {
    if (!accepted.istio) continue;
    const auto name = std::string(accepted.group) + "/" + std::string(accepted.version) + " " +
                      std::string(accepted.kind);
    EXPECT_TRUE(served.contains(name))
        << name << " is accepted but not served by the upstream CRDs";
  }
}

// The same walk as tools/gen_known_fields.py: path → type letter and enum values (union over
// versions).
using Fields = std::map<std::string, std::pair<char, std::set<std::string>>>;

void walk(const YAML::Node& node, const std::string& path, Fields& out) {
  const auto type = node["type"] ? node["type"].as<std::string>() : std::string();
  auto& field = out[path];
  if (node["x-kubernetes-preserve-unknown-fields"] || node["x-kubernetes-int-or-string"]) {
    field.first = 'x';
  } else if (type == "object" && node["properties"]) {
    field.first = 'o';
    for (const auto& property : node["properties"])
      walk(property.second, path + "." + property.first.as<std::string>(), out);
  } else if (type == "object" && node["additionalProperties"]) {
    field.first = 'm';
    walk(node["additionalProperties"], path + "{}", out);
  } else if (type == "object") {
    field.first = 'x';
  } else if (type == "array") {
    field.first = 'a';
    walk(node["items"], path + "[]", out);
  } else {
    field.first = type == "string" ? 's' : type == "integer" ? 'i' : type == "number" ? 'n' : 'b';
    for (const auto& value : node["enum"]) field.second.insert(value.as<std::string>());
  }
}

TEST(IstioCrdBundle, FieldTableMatchesTheUpstreamSchemas) {
  const auto& table = schema::known_fields();
  for (const auto& crd : load_bundle()) {
    const auto kind = crd["spec"]["names"]["kind"].as<std::string>();
    Fields upstream;
    for (const auto& version : crd["spec"]["versions"]) {
      const auto spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"];
      if (spec) walk(spec, "spec", upstream);
    }
    const auto found = table.find(kind);
    ASSERT_NE(found, table.end())
        << kind << " is missing from the field table; run tools/gen_known_fields.py";
    EXPECT_EQ(found->second.size(), upstream.size())
        << kind << ": regenerate with tools/gen_known_fields.py";
    for (const auto& [path, expected] : upstream) {
      const auto field = found->second.find(path);
      ASSERT_NE(field, found->second.end())
          << kind << " " << path << " is missing from the field table";
      EXPECT_EQ(field->second.type, expected.first) << kind << " " << path;
      const std::set<std::string> values(field->second.enum_values.begin(),
                                         field->second.enum_values.end());
      EXPECT_EQ(values, expected.second) << kind << " " << path;
    }
  }
}

}  // namespace
}  // namespace getmesh::validate
