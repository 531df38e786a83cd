// Checks config-validate's kinds and field tables against the upstream CRD bundles, unmodified
// copies in tests/data/istio-crds/ and tests/data/gateway-api/ (their READMEs name the sources).
#include "validate/schema/known_fields.hpp"

#include <getmesh/validate/kinds.hpp>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <re2/re2.h>
#include <set>

namespace getmesh::validate {
namespace {

const std::filesystem::path kData = std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data";
const std::filesystem::path kIstioBundle = kData / "istio-crds/crd-all.gen.yaml";
const std::filesystem::path kGatewayApiBundle = kData / "gateway-api/standard-install-v1.6.1.yaml";

std::vector<YAML::Node> load_bundle(const std::filesystem::path& path) {
  std::vector<YAML::Node> documents;
  for (const auto& document : YAML::LoadAllFromFile(path.string())) {
    if (document.IsMap() && document["kind"].as<std::string>() == "CustomResourceDefinition")
      documents.push_back(document);
  }
  return documents;
}

// "group/version Kind" of every served version.
std::set<std::string> served_kinds(const std::filesystem::path& path) {
  std::set<std::string> served;
  for (const auto& crd : load_bundle(path)) {
    const auto group = crd["spec"]["group"].as<std::string>();
    const auto kind = crd["spec"]["names"]["kind"].as<std::string>();
    for (const auto& version : crd["spec"]["versions"]) {
      if (version["served"].as<bool>())
        served.insert(group + "/" + version["name"].as<std::string>() + " " + kind);
    }
  }
  return served;
}

std::string name_of(const AcceptedKind& accepted) {
  return std::string(accepted.group) + "/" + std::string(accepted.version) + " " +
         std::string(accepted.kind);
}

TEST(IstioCrdBundle, EveryAcceptedIstioKindAndVersionIsServedUpstream) {
  const auto served = served_kinds(kIstioBundle);
  ASSERT_FALSE(served.empty());
  for (const auto& accepted : accepted_kinds()) {
    if (!accepted.istio) continue;
    EXPECT_TRUE(served.contains(name_of(accepted)))
        << name_of(accepted) << " is accepted but not served by the upstream CRDs";
  }
}

TEST(GatewayApiCrdBundle, EveryAcceptedGatewayApiKindAndVersionIsServedByV161) {
  const auto served = served_kinds(kGatewayApiBundle);
  ASSERT_FALSE(served.empty());
  std::set<Kind> kinds;
  for (const auto& accepted : accepted_kinds()) {
    if (!is_gateway_api(accepted.id)) continue;
    kinds.insert(accepted.id);
    EXPECT_EQ(accepted.group, "gateway.networking.k8s.io") << name_of(accepted);
    EXPECT_TRUE(served.contains(name_of(accepted)))
        << name_of(accepted) << " is accepted but not served by the v1.6.1 standard channel";
  }
  EXPECT_EQ(kinds.size(), 9U) << "every Gateway API kind Istio implements is accepted";
  // And every version the standard channel serves for those kinds is accepted.
  for (const auto& name : served) {
    const auto accepted = std::any_of(
        accepted_kinds().begin(), accepted_kinds().end(),
        [&](const AcceptedKind& kind) { return is_gateway_api(kind.id) && name_of(kind) == name; });
    EXPECT_TRUE(accepted || name.ends_with(" UDPRoute")) << name << " is served but not accepted";
  }
}

// The same walk as tools/gen_known_fields.py: path → field, union over the served versions; with
// `constraints`, also required fields, bounds and patterns.
struct Expected {
  char type = 'x';
  std::set<std::string> enum_values;
  bool required = false;
  std::optional<double> low;
  std::optional<double> high;
  std::string pattern;
};
using Fields = std::map<std::string, Expected>;

std::optional<double> number_at(const YAML::Node& node, const char* key) {
  if (!node[key]) return std::nullopt;
  return node[key].as<double>();
}

void walk(const YAML::Node& node, const std::string& path, Fields& out, bool required) {
  const auto type = node["type"] ? node["type"].as<std::string>() : std::string();
  auto& field = out[path];
  field.required = field.required || required;
  if (node["x-kubernetes-preserve-unknown-fields"] || node["x-kubernetes-int-or-string"]) {
    field.type = 'x';
  } else if (type == "object" && node["properties"]) {
    field.type = 'o';
    std::set<std::string> needed;
    for (const auto& name : node["required"]) needed.insert(name.as<std::string>());
    for (const auto& property : node["properties"]) {
      const auto name = property.first.as<std::string>();
      walk(property.second, path + "." + name, out, needed.contains(name));
    }
  } else if (type == "object" && node["additionalProperties"]) {
    field.type = 'm';
    walk(node["additionalProperties"], path + "{}", out, false);
  } else if (type == "object") {
    field.type = 'x';
  } else if (type == "array") {
    field.type = 'a';
    if (auto low = number_at(node, "minItems")) field.low = low;
    if (auto high = number_at(node, "maxItems")) field.high = high;
    walk(node["items"], path + "[]", out, false);
  } else {
    field.type = type == "string" ? 's' : type == "integer" ? 'i' : type == "number" ? 'n' : 'b';
    for (const auto& value : node["enum"]) field.enum_values.insert(value.as<std::string>());
    const bool text = field.type == 's';
    if (auto low = number_at(node, text ? "minLength" : "minimum")) field.low = low;
    if (auto high = number_at(node, text ? "maxLength" : "maximum")) field.high = high;
    if (node["pattern"]) field.pattern = node["pattern"].as<std::string>();
  }
}

void expect_table_matches(const std::filesystem::path& bundle, const schema::FieldTable& table,
                          bool constraints) {
  const auto crds = load_bundle(bundle);
  ASSERT_FALSE(crds.empty());
  for (const auto& crd : crds) {
    const auto kind = crd["spec"]["names"]["kind"].as<std::string>();
    Fields upstream;
    for (const auto& version : crd["spec"]["versions"]) {
      const auto spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"];
      if (spec && version["served"].as<bool>()) walk(spec, "spec", upstream, false);
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
      const auto& actual = field->second;
      EXPECT_EQ(actual.type, expected.type) << kind << " " << path;
      const std::set<std::string> values(actual.enum_values.begin(), actual.enum_values.end());
      EXPECT_EQ(values, expected.enum_values) << kind << " " << path;
      if (!constraints) continue;
      EXPECT_EQ(actual.required, expected.required) << kind << " " << path;
      EXPECT_EQ(actual.low, expected.low) << kind << " " << path;
      EXPECT_EQ(actual.high, expected.high) << kind << " " << path;
      EXPECT_EQ(actual.pattern ? actual.pattern->pattern() : std::string(), expected.pattern)
          << kind << " " << path;
      if (actual.pattern) {
        EXPECT_TRUE(actual.pattern->ok()) << kind << " " << path;
      }
    }
  }
}

TEST(IstioCrdBundle, FieldTableMatchesTheUpstreamSchemas) {
  expect_table_matches(kIstioBundle, schema::known_fields(), false);
}

TEST(GatewayApiCrdBundle, FieldTableMatchesTheV161Schemas) {
  expect_table_matches(kGatewayApiBundle, schema::gateway_api_fields(), true);
}

}  // namespace
}  // namespace getmesh::validate
