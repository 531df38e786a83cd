#include "support/fake_home.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kCases =
    std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data/validate";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "CODE Kind ns/name file:line" per finding, sorted, as the cases' expected.txt lists them
// ("GM0001 - / file:line" for input that could not be read).
std::string summarize(const std::string& json_text) {
  const auto or_none = [](const nlohmann::json& value, const std::string& none) {
    return value.is_null() ? none : value.get<std::string>();
  };
  std::vector<std::string> lines;
  for (const auto& finding : nlohmann::json::parse(json_text)) {
    lines.push_back(finding["code"].get<std::string>() + " " + or_none(finding["kind"], "-") + " " +
                    or_none(finding["namespace"], "") + "/" + or_none(finding["name"], "") + " " +
                    finding["file"].get<std::string>() + ":" +
                    (finding["line"].is_null() ? std::string("-")
                                               : std::to_string(finding["line"].get<int>())));
  }
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

class ConfigValidate : public ::testing::Test {
 protected:
  FakeHome fake;
  RunResult run(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                std::string input = {}) {
    auto options = fake.options();
    options.cwd = cwd;
    options.input = std::move(input);
    std::vector<std::string> argv = {"config-validate"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_getmesh(argv, options);
  }
};

TEST_F(ConfigValidate, CaseFoldersGiveTheirExpectedFindings) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kCases)) {
    if (!entry.is_directory()) continue;
    ++cases;
    SCOPED_TRACE(entry.path().filename().string());
    const auto result = run({"--offline", "-o", "json", "input"}, entry.path());
    EXPECT_EQ(result.exit_code, std::stoi(read(entry.path() / "exit-code"))) << result.err;
    EXPECT_EQ(summarize(result.out), read(entry.path() / "expected.txt"));
  }
  EXPECT_GE(cases, 3) << "the case folders are missing from " << kCases;
}

TEST_F(ConfigValidate, TableLooksLikeTheOriginal) {
  const auto result = run({"--offline", "input"}, kCases / "broken");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.out, ::testing::StartsWith("NAMESPACE      NAME        RESOURCE TYPE"));
  // Kinds in their API casing, as the JSON and Kubernetes spell them.
  EXPECT_THAT(result.out, HasSubstr(" VirtualService "));
  EXPECT_THAT(result.out, Not(HasSubstr("Virtualservice")));
  EXPECT_THAT(
      result.out,
      HasSubstr("[input/routes.yaml:16] The weight is assumed to be 100 because there is only one "
                "route destination"));
  EXPECT_THAT(result.out, HasSubstr("KIA0505"));
  EXPECT_THAT(result.out, HasSubstr("prefixed by 'IST' or 'KIA'"));
  // Errors first: the first data row is an Error.
  const auto second_line = result.out.substr(result.out.find('\n') + 1);
  EXPECT_THAT(second_line.substr(0, second_line.find('\n')), HasSubstr("Error"));
}

TEST_F(ConfigValidate, HealthyConfigurationSaysSo) {
  const auto result = run({"--offline", "input"}, kCases / "healthy");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "Your Istio configurations are healthy. Configuration issues not found.\n");
}

// As the original getmesh's e2e test "healthy": findings of other namespaces, including those on
// their Namespace objects, stay out of `-n NS`.
TEST_F(ConfigValidate, NamespaceFilterLeavesOtherNamespacesOut) {
  const TempDir dir;
  const auto input = dir.write("mesh.yaml", R"(apiVersion: v1
kind: Namespace
metadata: {name: bookinfo}
---
apiVersion: v1
kind: Namespace
metadata:
  name: healthy
  labels: {istio-injection: enabled}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: details, namespace: bookinfo}
spec:
  hosts: [details]
  gateways: [non-existent-gateway]
  http:
  - route:
    - destination: {host: details}
)");
  const auto all = run({"--offline", "-o", "json", input.string()});
  const auto findings = nlohmann::json::parse(all.out);
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const nlohmann::json& finding) {
    return finding["kind"] == "Namespace" && finding["name"] == "bookinfo";
  })) << all.out;
  const auto healthy = run({"--offline", "-n", "healthy", input.string()});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  EXPECT_EQ(healthy.out,
            "Your Istio configurations are healthy. Configuration issues not found.\n");
}

TEST_F(ConfigValidate, NamespaceFilterDropsTheNamespaceColumn) {
  const auto result = run({"--offline", "-n", "istio-system", "input"}, kCases / "broken");
  EXPECT_EQ(result.exit_code, 0) << result.err;  // only a warning is left in istio-system
  EXPECT_THAT(result.out, ::testing::StartsWith("NAME        RESOURCE TYPE"));
  EXPECT_THAT(result.out, HasSubstr("mesh-mtls"));
  EXPECT_THAT(result.out, Not(HasSubstr("bookinfo")));
}

TEST_F(ConfigValidate, ThresholdsFilterAndDecideTheExitCode) {
  const auto errors_only =
      run({"--offline", "--output-threshold", "Error", "-o", "json", "input"}, kCases / "broken");
  EXPECT_EQ(errors_only.exit_code, 3);
  for (const auto& finding : nlohmann::json::parse(errors_only.out))
    EXPECT_EQ(finding["severity"], "Error");
  const auto lenient =
      run({"--offline", "--failure-threshold", "Error", "-n", "istio-system", "input"},
          kCases / "broken");
  EXPECT_EQ(lenient.exit_code, 0);
  const auto strict =
      run({"--offline", "--failure-threshold", "Warning", "-n", "istio-system", "input"},
          kCases / "broken");
  EXPECT_EQ(strict.exit_code, 3);
}

TEST_F(ConfigValidate, SarifIsValidForCodeScanning) {
  const auto result = run({"--offline", "-o", "sarif", "input"}, kCases / "broken");
  EXPECT_EQ(result.exit_code, 3);
  const auto sarif = nlohmann::json::parse(result.out);
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& run_entry = sarif["runs"][0];
  EXPECT_EQ(run_entry["tool"]["driver"]["name"], "getmesh config-validate");
  ASSERT_FALSE(run_entry["results"].empty());
  for (const auto& sarif_result : run_entry["results"]) {
    const auto& rule =
        run_entry["tool"]["driver"]["rules"][sarif_result["ruleIndex"].get<std::size_t>()];
    EXPECT_EQ(rule["id"], sarif_result["ruleId"]);
    EXPECT_THAT(sarif_result["level"].get<std::string>(),
                ::testing::AnyOf("error", "warning", "note"));
    EXPECT_TRUE(
        sarif_result["locations"][0]["physicalLocation"]["region"]["startLine"].is_number());
  }
}

TEST_F(ConfigValidate, InputErrorsAreInTheJsonAndSarifToo) {
  const auto listed = run({"--offline", "-o", "json", "input"}, kCases / "hostile");
  EXPECT_EQ(listed.exit_code, 1);
  std::size_t input_errors = 0;
  for (const auto& finding : nlohmann::json::parse(listed.out)) {
    if (finding["code"] != "GM0001") continue;
    ++input_errors;
    EXPECT_EQ(finding["severity"], "Error");
    EXPECT_TRUE(finding["kind"].is_null());
    EXPECT_THAT(finding["file"].get<std::string>(), ::testing::StartsWith("input/"));
    EXPECT_THAT(listed.err, HasSubstr(finding["message"].get<std::string>())) << "also on stderr";
  }
  EXPECT_GT(input_errors, 0u);

  const auto sarif = nlohmann::json::parse(
      run({"--offline", "-o", "sarif", "input"}, kCases / "hostile").out)["runs"][0];
  EXPECT_EQ(sarif["invocations"][0]["executionSuccessful"], false);
  std::size_t results = 0;
  for (const auto& result : sarif["results"]) results += result["ruleId"] == "GM0001" ? 1U : 0U;
  EXPECT_EQ(results, input_errors);
  const auto healthy = nlohmann::json::parse(
      run({"--offline", "-o", "sarif", "input"}, kCases / "healthy").out)["runs"][0];
  EXPECT_EQ(healthy["invocations"][0]["executionSuccessful"], true);
}

TEST_F(ConfigValidate, ReadsStandardInput) {
  const auto result =
      run({"--offline", "-o", "yaml", "-"}, {}, read(kCases / "broken/input/routes.yaml"));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("file: \"<stdin>\""));
  EXPECT_THAT(result.out, HasSubstr("code: \"KIA1104\""));
}

// Counts in messages are in the right number: "1 object … names", "2 objects … name".
TEST_F(ConfigValidate, NotesCountInTheRightNumber) {
  const std::string service =
      "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{name: http, port: "
      "80}]}\n";
  auto result = run({"--offline", "-"}, {}, service);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("1 object in <stdin> names no namespace; it was validated as "
                                    "namespace \"default\""));
  result = run({"--offline", "-"}, {}, service + "---\n" + service);
  EXPECT_THAT(result.err, HasSubstr("2 objects in <stdin> name no namespace; they were validated"));
  const auto missing = run({"--offline", "/nonexistent/a.yaml", "-"}, {}, service);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("error: 1 input problem above; the readable objects were "
                                     "still validated\n"));
}

// Objects without a namespace take the kubeconfig context's namespace, as istioctl analyze and
// kubectl do (no cluster needed); -n still wins.
TEST_F(ConfigValidate, ObjectsWithoutANamespaceTakeTheContextsNamespace) {
  const TempDir dir;
  const auto kubeconfig = dir.write(
      "kube.yaml",
      "apiVersion: v1\nkind: Config\ncurrent-context: shop\nclusters:\n- name: c\n  cluster: "
      "{server: 'https://127.0.0.1:1'}\ncontexts:\n- name: shop\n  context: {cluster: c, "
      "namespace: shop}\n- name: plain\n  context: {cluster: c}\nusers: []\n");
  const std::string service =
      "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{name: http, port: "
      "80}]}\n";
  auto result = run({"--offline", "-c", kubeconfig.string(), "-"}, {}, service);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("it was validated as namespace \"shop\""));
  result = run({"--offline", "-c", kubeconfig.string(), "--context", "plain", "-"}, {}, service);
  EXPECT_THAT(result.err, HasSubstr("it was validated as namespace \"default\""));
  result = run({"--offline", "-c", kubeconfig.string(), "-n", "other", "-"}, {}, service);
  EXPECT_THAT(result.err, HasSubstr("it was validated as namespace \"other\""));
}

TEST_F(ConfigValidate, AlphaAnnotationsOnlyWithTheirFlag) {
  const std::string service =
      "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop, annotations: "
      "{networking.istio.io/exportTo: '*'}}\nspec: {ports: [{name: http, port: 80}]}\n";
  auto result = run({"--offline", "-o", "json", "-"}, {}, service);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out), nlohmann::json::array());
  result = run({"--offline", "--alpha-annotations", "-o", "json", "-"}, {}, service);
  EXPECT_EQ(result.exit_code, 0) << result.err;  // Info does not reach the failure threshold
  EXPECT_EQ(summarize(result.out), "IST0136 Service shop/web <stdin>:3\n");
}

// A Gateway host "*" collides with the other hosts of its selector and port (KIA0301), unless
// --skip-wildcard-gateway-hosts says otherwise, as Kiali's feature flag does; other collisions
// stay.
TEST_F(ConfigValidate, WildcardGatewayHostsCollideUnlessSkipped) {
  const auto gateway = [](const std::string& name, const std::string& host) {
    return "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: " + name +
           ", namespace: edge}\nspec: {selector: {istio: ingressgateway}, servers: [{port: "
           "{number: 80, name: http, protocol: HTTP}, hosts: ['" +
           host + "']}]}\n---\n";
  };
  const auto input = gateway("any", "*") + gateway("shop", "shop.example.com") +
                     gateway("shop-again", "shop.example.com");
  auto result = run({"--offline", "-o", "json", "-"}, {}, input);
  EXPECT_THAT(summarize(result.out), HasSubstr("KIA0301 Gateway edge/any "));
  EXPECT_THAT(summarize(result.out), HasSubstr("KIA0301 Gateway edge/shop "));
  result = run({"--offline", "--skip-wildcard-gateway-hosts", "-o", "json", "-"}, {}, input);
  const auto skipped = summarize(result.out);
  EXPECT_THAT(skipped, Not(HasSubstr("KIA0301 Gateway edge/any ")));
  EXPECT_THAT(skipped, HasSubstr("KIA0301 Gateway edge/shop "));
  EXPECT_THAT(skipped, HasSubstr("KIA0301 Gateway edge/shop-again "));
}

TEST_F(ConfigValidate, UsageAndInputErrorsHaveTheirOwnExitCodes) {
  const auto bad_threshold = run({"--offline", "--output-threshold", "Loud", "x.yaml"});
  EXPECT_EQ(bad_threshold.exit_code, 2);
  EXPECT_THAT(bad_threshold.err, HasSubstr("invalid --output-threshold \"Loud\""));
  EXPECT_EQ(run({"--offline", "-n", "a", "-A", "x.yaml"}).exit_code, 2);
  EXPECT_EQ(run({"--offline"}).exit_code, 2);
  EXPECT_EQ(run({"--offline", "-o", "xml", "x.yaml"}).exit_code, 2);
  const auto missing = run({"--offline", "/nonexistent/config.yaml"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/config.yaml: cannot read"));
  EXPECT_EQ(missing.out, "") << "nothing was read, so nothing is reported as healthy";
  EXPECT_THAT(missing.err, HasSubstr("error: 1 input problem above; nothing could be read, so "
                                     "nothing was validated\nhint: give YAML files"));
}

TEST_F(ConfigValidate, MergesIstioctlAnalyzeFindings) {
  fake.install("1.30.5-istio-v0", true,
               "#!/bin/sh\n"
               "echo 'Error [IST0101] (VirtualService reviews.bookinfo input/routes.yaml:1) "
               "Referenced gateway not found: "
               "\"bookinfo-gateway\"'\n"
               "echo 'Warning [IST0999] (Gateway edge/gw) Something only istioctl knows'\n"
               "echo 'Error: Analyzers found issues when analyzing namespace: bookinfo.' >&2\n"
               "exit 79\n");
  fake.set_active("1.30.5-istio-v0");
  const auto result = run({"--offline", "--istioctl", "-o", "json", "input"}, kCases / "broken");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const auto findings = nlohmann::json::parse(result.out);
  const auto from_istioctl =
      std::count_if(findings.begin(), findings.end(),
                    [](const nlohmann::json& f) { return f["analyzer"] == "istioctl"; });
  EXPECT_EQ(from_istioctl, 1);  // the IST0101 line repeats one of ours and is merged away
  EXPECT_THAT(result.out, HasSubstr("Something only istioctl knows"));
}

TEST_F(ConfigValidate, AFailingIstioctlAnalyzeIsOneClearError) {
  fake.install("1.30.5-istio-v0", true,
               "#!/bin/sh\necho 'Error: unknown flag: --use-kube' >&2\necho >&2\nexit 1\n");
  fake.set_active("1.30.5-istio-v0");
  const auto result = run({"--offline", "--istioctl", "-o", "json", "input"}, kCases / "healthy");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("istioctl analyze failed (exit code 1): Error: unknown flag: "
                                    "--use-kube\nhint: "));
}

TEST_F(ConfigValidate, IstioctlNeedsAnActiveDistribution) {
  const auto result = run({"--offline", "--istioctl", "input"}, kCases / "healthy");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--istioctl needs an active istioctl"));
}

// Memory running out (here: a 64 MiB address space for 7 MB of YAML) ends in one error line and
// exit 1, never in an uncaught std::bad_alloc and its abort.
TEST_F(ConfigValidate, RunningOutOfMemoryIsOneErrorLine) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer needs more address space than the limit leaves";
#endif
  std::string yaml;
  for (int i = 0; i < 40000; ++i) {
    const auto n = std::to_string(i);
    yaml += "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs-" + n +
            ", namespace: ns}\nspec: {hosts: [h" + n + "], http: [{route: [{destination: {host: h" +
            n + "}}]}]}\n---\n";
  }
  const auto file = fake.dir().write("big.yaml", yaml);
  auto options = fake.options();
  const auto result = run_program(
      {"/bin/sh", "-c", "ulimit -v 65536 && exec \"$0\" config-validate --offline \"$1\"",
       GETMESH_BINARY, file.string()},
      options);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err,
            "error: getmesh ran out of memory\nhint: the input or a server's answer is too large "
            "for this machine; see the limits in docs/configuration.md\n");
}

}  // namespace
}  // namespace getmesh::testing
