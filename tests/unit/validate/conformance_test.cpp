// Runs every case of Istio's own analyzer test grid (tests/data/istio-analyzer-suite/, see its
// README) through config-validate, as `getmesh config-validate --offline FILES` would (plus the
// default resources upstream's harness adds), and compares the findings with upstream's
// expectations.
//
// Upstream runs one analyzer per case, getmesh runs all of them: only the codes the analyzer under
// test can emit are compared. Codes several analyzers share (IST0101, IST0002) are judged on misses
// only. Objects are compared by kind, namespace and name; upstream reports some objects once per
// offending field where getmesh reports them once, so the comparison is of sets.
#include "support/temp_dir.hpp"

#include <getmesh/validate/validate.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace getmesh::validate {
namespace {

const std::filesystem::path kSuite =
    std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data/istio-analyzer-suite";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "Kind ns/name" with the namespace `default` left out, as upstream writes objects whose YAML
// names no namespace (getmesh puts those in `default`).
std::string normalized_origin(const std::string& origin) {
  const auto space = origin.find(' ');
  const auto slash = origin.find('/', space);
  if (slash == std::string::npos) return origin;
  const auto ns = origin.substr(space + 1, slash - space - 1);
  return ns == "default" ? origin.substr(0, space + 1) + origin.substr(slash + 1) : origin;
}

std::string origin_of(const Finding& finding) {
  const auto& object = finding.object;
  return normalized_origin(
      object.kind + " " + (object.namespace_.empty() ? "" : object.namespace_ + "/") + object.name);
}

// Upstream's mesh config files become what a cluster holds them in: the `istio` ConfigMap of the
// root namespace (keys `mesh` and `meshNetworks`). Findings on the mesh networks are then reported
// on that ConfigMap, where upstream names a MeshNetworks pseudo-object.
std::string mesh_config_map_yaml(const nlohmann::json& test) {
  std::string yaml =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n";
  const auto add = [&](const char* field, const char* key) {
    if (!test[field].is_string()) return;
    yaml += std::string("  ") + key + ": |\n";
    std::istringstream lines(read_text(kSuite / test[field].get<std::string>()));
    for (std::string line; std::getline(lines, line);) yaml += "    " + line + "\n";
  };
  add("mesh_config_file", "mesh");
  add("mesh_networks_file", "meshNetworks");
  return yaml;
}

const std::map<std::string, std::string> kOriginAliases = {
    {"MeshNetworks istio-system/meshnetworks", "ConfigMap istio-system/istio"},
};

// The resources upstream's harness adds to every case, served as a cluster the case's files are
// laid over (a file object replaces one of the same kind, namespace and name). It claims no kind
// as complete, so the checks judge the world as they do offline.
class DefaultResources : public ResourceSource {
 public:
  DefaultResources() {
    Loaded loaded;
    load_text(read_text(kSuite / "default-resources.yaml"), "default-resources.yaml", {}, loaded);
    for (auto& resource : loaded.resources) {
      resource.origin = {};
      objects_.push_back(std::move(resource));
    }
  }
  Result<ClusterState> read(std::span<const Kind>) override {
    ClusterState state;
    state.resources = objects_;
    state.serves_istio = true;
    return state;
  }
  Result<std::optional<Resource>> read_secret(const std::string&, const std::string&) override {
    return std::optional<Resource>();  // the defaults hold no Secrets
  }
  [[nodiscard]] std::string describe() const override { return "upstream's default resources"; }

 private:
  std::vector<Resource> objects_;
};

struct Outcome {
  bool passed = true;
  std::string details;
};

Outcome run_case(const nlohmann::json& test, const nlohmann::json& suite) {
  DefaultResources defaults;
  Request request;
  request.cluster = &defaults;
  for (const auto& file : test["input_files"]) {
    request.paths.push_back((kSuite / file.get<std::string>()).string());
  }
  const getmesh::testing::TempDir dir;
  if (test["mesh_config_file"].is_string() || test["mesh_networks_file"].is_string()) {
    request.paths.push_back(dir.write("mesh-config-map.yaml", mesh_config_map_yaml(test)).string());
  }
  auto report = validate(request);
  if (!report) return {false, "validate failed: " + report.error().message};

  std::set<std::string> relevant;
  for (const auto& code : suite["analyzer_codes"][test["analyzer"].get<std::string>()])
    relevant.insert(code.get<std::string>());
  std::set<std::string> shared;
  for (const auto& code : suite["shared_codes"]) shared.insert(code.get<std::string>());

  std::map<std::string, std::set<std::string>> expected;  // code → origins
  for (const auto& message : test["expected"]) {
    auto origin = normalized_origin(message["origin"].get<std::string>());
    if (const auto alias = kOriginAliases.find(origin); alias != kOriginAliases.end())
      origin = alias->second;
    expected[message["code"].get<std::string>()].insert(origin);
  }
  std::map<std::string, std::set<std::string>> found;
  std::string seen;
  for (const auto& finding : report->findings) {
    if (!relevant.contains(finding.code)) continue;
    found[finding.code].insert(origin_of(finding));
    seen += "\n    " + finding.code + " " + origin_of(finding) + ": " + finding.message;
  }
  Outcome outcome;
  for (const auto& code : relevant) {
    for (const auto& origin : expected[code]) {
      if (found[code].contains(origin)) continue;
      outcome.passed = false;
      outcome.details += "\n  missing " + code + " " + origin;
    }
    if (shared.contains(code)) continue;
    for (const auto& origin : found[code]) {
      if (expected[code].contains(origin)) continue;
      outcome.passed = false;
      outcome.details += "\n  extra " + code + " " + origin;
    }
  }
  for (const auto& problem : report->problems) {
    outcome.passed = false;
    outcome.details += "\n  input problem: " + problem.to_string();
  }
  if (!outcome.passed) outcome.details += "\n  relevant findings:" + seen;
  return outcome;
}

// case id → reason
std::map<std::string, std::string> load_exceptions() {
  std::map<std::string, std::string> exceptions;
  const auto document = YAML::LoadFile((kSuite / "exceptions.yaml").string());
  for (const auto& entry : document["exceptions"]) {
    exceptions[entry["case"].as<std::string>()] = entry["reason"].as<std::string>();
  }
  return exceptions;
}

TEST(IstioAnalyzerSuite, EveryCasePassesUnlessListedAsAnException) {
  const auto suite = nlohmann::json::parse(read_text(kSuite / "expectations.json"));
  auto exceptions = load_exceptions();
  ASSERT_GT(suite["cases"].size(), 100U);
  std::size_t passed = 0;
  for (const auto& test : suite["cases"]) {
    const auto id = test["id"].get<std::string>();
    const auto outcome = run_case(test, suite);
    passed += outcome.passed ? 1 : 0;
    const auto exception = exceptions.find(id);
    if (exception == exceptions.end()) {
      EXPECT_TRUE(outcome.passed) << "case \"" << id << "\" ("
                                  << test["analyzer"].get<std::string>()
                                  << ") does not pass:" << outcome.details;
      continue;
    }
    EXPECT_FALSE(outcome.passed) << "case \"" << id
                                 << "\" passes now: remove it from exceptions.yaml";
    EXPECT_FALSE(exception->second.empty()) << "exception \"" << id << "\" gives no reason";
    exceptions.erase(exception);
  }
  for (const auto& [id, reason] : exceptions) {
    ADD_FAILURE() << "exceptions.yaml names \"" << id << "\", which is not a case of the suite";
  }
  std::cout << "[ conformance ] " << passed << " of " << suite["cases"].size()
            << " upstream analyzer cases pass\n";
}

}  // namespace
}  // namespace getmesh::validate
