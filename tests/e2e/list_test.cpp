#include "support/fake_home.hpp"
#include "support/github_api.hpp"
#include "support/run_getmesh.hpp"
#include "support/terminal_run.hpp"

#include <getmesh/core/date.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ListCommand : public ::testing::Test {
 protected:
  FakeHome fake;
  std::map<std::string, std::string> env_with(const std::string& manifest) {
    return {{"GETMESH_MANIFEST", fake.dir().write("manifest.json", manifest).string()}};
  }
};

TEST_F(ListCommand, PrintsTheEmbeddedManifestByDefault) {
  const auto result = run_getmesh({"list"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, ::testing::StartsWith("CURRENT   ISTIO VERSION   FLAVOR"));
  EXPECT_THAT(result.out, HasSubstr("END OF LIFE"));
  EXPECT_THAT(result.out,
              HasSubstr("1.31.1          istio         0                1.32,1.33,1.34,1.35,1.36"));
  EXPECT_THAT(
      result.out,
      HasSubstr(
          "1.29.8          istio         0                1.31,1.32,1.33,1.34,1.35   2026-10-12"));
  EXPECT_THAT(result.out, HasSubstr("1.18.2          tetratefips   0"));
}

// Issue 20: `make run`, the README's "getmesh list on the embedded manifest", asked GitHub.
TEST_F(ListCommand, MakeRunListsTheEmbeddedManifestWithoutAskingUpstream) {
  if (!program_on_path("make")) GTEST_SKIP() << "make is not installed";
  GithubApi api;
  RunOptions options;
  options.cwd = GETMESH_SOURCE_DIR;
  options.env = api.env();  // upstream would be this loopback server, and not forbidden
  options.env["GETMESH_HOME"] = fake.home().string();
  const auto build_dir = std::filesystem::path(GETMESH_BINARY).parent_path().parent_path();
  // -o build: the binary under test, as it is (no configure, no package installation)
  const auto result =
      run_program({"make", "-s", "-o", "build", "run", "BUILD_DIR=" + build_dir.string()}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, ::testing::StartsWith("CURRENT   ISTIO VERSION   FLAVOR"));
  EXPECT_THAT(result.out, HasSubstr("1.18.2          tetratefips   0"));
  EXPECT_EQ(result.err, "");
  EXPECT_TRUE(api.list_requests().empty());
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "cache")) << "make run used the home";
}

TEST_F(ListCommand, MarksTheActiveRowAndFilters) {
  fake.install("1.30.5-istio-v0");
  fake.set_active("1.30.5-istio-v0");
  auto options = fake.options(env_with(make_manifest(
      {"1.31.1-istio-v0", "1.30.5-istio-v0", "1.30.4-istio-v0", "1.30.5-tetrate-v0"})));
  const auto all = run_getmesh({"list"}, options);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  // A CURRENT column marks the active row (as kubectl's does): the versions stay in one column.
  EXPECT_THAT(all.out, HasSubstr("\n*         1.30.5          istio "));
  EXPECT_THAT(all.out, HasSubstr("\n          1.30.5          tetrate"));
  EXPECT_THAT(all.out, HasSubstr("\n          1.31.1          istio "));

  const auto minor = run_getmesh({"list", "--version", "1.30", "--flavor", "istio"}, options);
  ASSERT_EQ(minor.exit_code, 0) << minor.err;
  EXPECT_THAT(minor.out, HasSubstr("1.30.4"));
  EXPECT_THAT(minor.out, Not(HasSubstr("1.31.1")));
  EXPECT_THAT(minor.out, Not(HasSubstr("tetrate")));

  const auto patch = run_getmesh({"list", "--version", "1.31.1"}, options);
  EXPECT_THAT(patch.out, HasSubstr("1.31.1"));
  EXPECT_THAT(patch.out, Not(HasSubstr("1.30.4")));
}

TEST_F(ListCommand, JsonAndYamlCarryEveryField) {
  fake.install("1.30.5-istio-v0");
  fake.set_active("1.30.5-istio-v0");
  const auto options = fake.options(
      env_with(make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0"}, {{"1.30", "2099-01-31"}})));
  const auto listed = run_getmesh({"list", "-o", "json"}, options);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto rows = nlohmann::json::parse(listed.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["name"], "1.31.1-istio-v0");
  EXPECT_EQ(rows[0]["active"], false);
  EXPECT_TRUE(rows[0]["end_of_life"].is_null());
  EXPECT_EQ(rows[1]["name"], "1.30.5-istio-v0");
  EXPECT_EQ(rows[1]["active"], true);
  EXPECT_EQ(rows[1]["fetched"], true);
  EXPECT_EQ(rows[1]["end_of_life"], "2099-01-31");
  EXPECT_EQ(rows[1]["k8s_versions"], nlohmann::json({"1.30", "1.31"}));

  const auto yaml = run_getmesh({"list", "-o", "yaml"}, options);
  ASSERT_EQ(yaml.exit_code, 0) << yaml.err;
  EXPECT_THAT(yaml.out,
              ::testing::StartsWith("- name: \"1.31.1-istio-v0\"\n  version: \"1.31.1\""));
}

// As the original's manifest checks: list warns on stderr about the active minor's end of life
// (docs/commands/list.md), and -o json stays pure JSON on stdout.
TEST_F(ListCommand, WarnsAboutTheActiveEndOfLifeOnStderrOnly) {
  fake.install("1.30.5-istio-v0");
  fake.set_active("1.30.5-istio-v0");
  const auto soon =
      CivilDate::from_days(CivilDate::today_utc().days_since_epoch() + 10).to_string();
  const auto options = fake.options(
      env_with(make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0"}, {{"1.30", soon}})));
  const auto result = run_getmesh({"list", "-o", "json"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(nlohmann::json::accept(result.out)) << "stdout must stay pure JSON";
  EXPECT_EQ(result.err,
            "warning: the active istioctl 1.30.5-istio-v0 (1.30) reaches end of life on " + soon +
                " (in 10 days); upgrade to a newer minor: 1.31.1-istio-v0 "
                "(getmesh fetch --name 1.31.1-istio-v0)\n");
  // Nor in front of a usage error.
  const auto usage = run_getmesh({"fetch", "--version", "1.x"}, options);
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, ::testing::StartsWith("error: --version \"1.x\""));
}

TEST_F(ListCommand, BadManifestsAreClearErrorsNamingTheSource) {
  struct Case {
    std::string content;
    std::string message;
  };
  for (const auto& [content, message] :
       {Case{"<html><body>Moved to docs.tetrate.io</body></html>",
             "is an HTML page, not a manifest"},
        Case{"{\"istio_distributions\": [", "is not valid JSON"},
        Case{R"({"istio_distributions": [{"version": "1.x.1", "flavor": "istio"}]})",
             "istio_distributions[0].version"}}) {
    const auto path = fake.dir().write("bad.json", content);
    const auto result = run_getmesh({"list"}, fake.options({{"GETMESH_MANIFEST", path.string()}}));
    EXPECT_EQ(result.exit_code, 1) << content;
    EXPECT_THAT(result.err, HasSubstr(path.string())) << result.err;
    EXPECT_THAT(result.err, HasSubstr(message)) << result.err;
    EXPECT_THAT(result.err, HasSubstr("hint:")) << result.err;
    EXPECT_EQ(result.out, "");
  }
}

TEST_F(ListCommand, ManifestSourcesFollowTheirPrecedence) {
  const auto from_flag = fake.dir().write("flag.json", make_manifest({"9.9.9-istio-v0"}));
  const auto from_env = fake.dir().write("env.json", make_manifest({"8.8.8-istio-v0"}));
  const auto from_compat = fake.dir().write("compat.json", make_manifest({"7.7.7-istio-v0"}));
  fake.write_config(R"({"manifest_url":"file://)" +
                    fake.dir().write("cfg.json", make_manifest({"6.6.6-istio-v0"})).string() +
                    "\"}");
  auto options = fake.options({{"GETMESH_MANIFEST", from_env.string()},
                               {"GETMESH_TEST_MANIFEST_PATH", from_compat.string()}});
  EXPECT_THAT(run_getmesh({"--manifest", "file://" + from_flag.string(), "list"}, options).out,
              HasSubstr("9.9.9"));
  EXPECT_THAT(run_getmesh({"list"}, options).out, HasSubstr("8.8.8"));
  options.env.erase("GETMESH_MANIFEST");
  EXPECT_THAT(run_getmesh({"list"}, options).out, HasSubstr("7.7.7"));
  options.env.erase("GETMESH_TEST_MANIFEST_PATH");
  EXPECT_THAT(run_getmesh({"list"}, options).out, HasSubstr("6.6.6"));
}

TEST_F(ListCommand, RejectsBadFlagsAsUsageErrors) {
  EXPECT_EQ(run_getmesh({"list", "-o", "xml"}, fake.options()).exit_code, 2);
  EXPECT_EQ(run_getmesh({"list", "--flavor", "tetrat"}, fake.options()).exit_code, 2);
  EXPECT_EQ(run_getmesh({"list", "--version", "one"}, fake.options()).exit_code, 2);
  const auto unknown = run_getmesh({"list", "--testing=test"}, fake.options());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown flag: --testing"));
  EXPECT_THAT(unknown.err, HasSubstr("getmesh help list"));
}

// Colours go only to a terminal, each stream judged on its own, and never with NO_COLOR.
TEST_F(ListCommand, ColoursOnlyTheStreamsThatAreTerminals) {
  const std::map<std::string, std::string> env = {{"GETMESH_HOME", fake.home().string()},
                                                  {"HOME", fake.root().string()}};
  const std::string red = "\033[31m";
  // 1.26 reached its end of life in 2025: its date is painted red on a terminal.
  auto run = run_getmesh_on_terminal({"list", "--version", "1.26"}, TerminalStream::kStdout, env);
  EXPECT_EQ(run.exit_code, 0) << run.pipe;
  EXPECT_THAT(run.terminal, HasSubstr(red + "2025-"));

  run = run_getmesh_on_terminal({"list", "--version", "1.26"}, TerminalStream::kStderr, env);
  EXPECT_EQ(run.exit_code, 0) << run.terminal;
  EXPECT_THAT(run.pipe, HasSubstr("2025-"));
  EXPECT_THAT(run.pipe, Not(HasSubstr("\033[")));

  auto no_color = env;
  no_color["NO_COLOR"] = "1";
  run = run_getmesh_on_terminal({"list", "--version", "1.26"}, TerminalStream::kStdout, no_color);
  EXPECT_THAT(run.terminal, HasSubstr("2025-"));
  EXPECT_THAT(run.terminal, Not(HasSubstr("\033[")));

  run = run_getmesh_on_terminal({"fetch", "--version", "1.99"}, TerminalStream::kStderr, env);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.terminal, HasSubstr(red + "error:"));
}

}  // namespace
}  // namespace getmesh::testing
