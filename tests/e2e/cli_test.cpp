// The command line itself: help, our wording for parse errors, and `getmesh config`.
#include "support/fake_home.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class Cli : public ::testing::Test {
 protected:
  FakeHome fake;
};

TEST_F(Cli, HelpCommandShowsTheRootAndEachCommandLikeDashDashHelp) {
  const auto root = run_getmesh({"help"}, fake.options());
  ASSERT_EQ(root.exit_code, 0) << root.err;
  EXPECT_THAT(root.out, HasSubstr("Usage: getmesh [OPTIONS] [SUBCOMMAND]"));
  EXPECT_THAT(root.out, HasSubstr("fetch"));
  EXPECT_EQ(root.out, run_getmesh({"--help"}, fake.options()).out);

  const auto fetch = run_getmesh({"help", "fetch"}, fake.options());
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  EXPECT_THAT(fetch.out, HasSubstr("Usage: getmesh fetch [OPTIONS]"));
  EXPECT_EQ(fetch.out, run_getmesh({"fetch", "--help"}, fake.options()).out);
  EXPECT_THAT(run_getmesh({"help", "config", "set"}, fake.options()).out,
              HasSubstr("Usage: getmesh config set [OPTIONS] key value"));

  const auto unknown = run_getmesh({"help", "fecth"}, fake.options());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("error: unknown command \"fecth\""));
}

TEST_F(Cli, UsageLinesNameTheWholeCommand) {
  for (const std::string command : {"list", "show", "version", "check-upgrade", "gen-ca"}) {
    EXPECT_THAT(run_getmesh({command, "--help"}, fake.options()).out,
                HasSubstr("Usage: getmesh " + command + " [OPTIONS]"));
  }
}

TEST_F(Cli, SubcommandHelpListsTheGlobalOptionsItDoesNotDefineItself) {
  const auto version = run_getmesh({"help", "version"}, fake.options()).out;
  const auto globals = version.substr(version.find("Global options:"));
  EXPECT_THAT(globals, HasSubstr("-v,--verbose"));
  EXPECT_THAT(globals, Not(HasSubstr("--manifest"))) << "version does not read the manifest";
  // A command that talks to a cluster lists -c and --context among its own options.
  for (const char* own : {"--context", "-c,--kubeconfig FILE"}) {
    EXPECT_THAT(globals, Not(HasSubstr(own))) << own;
    EXPECT_THAT(version.substr(0, version.find("Global options:")), HasSubstr(own)) << own;
  }
  const auto istioctl = run_getmesh({"help", "istioctl"}, fake.options()).out;
  EXPECT_THAT(istioctl, HasSubstr("--context CONTEXT"));
  EXPECT_THAT(istioctl, HasSubstr("--strict"));
  // Only the global options that mean something to the command.
  const auto show = run_getmesh({"show", "--help"}, fake.options()).out;
  EXPECT_THAT(show, HasSubstr("-v,--verbose"));
  for (const char* unrelated : {"--kubeconfig", "--context", "--manifest", "--strict"}) {
    EXPECT_THAT(show, Not(HasSubstr(unrelated))) << unrelated;
  }
  EXPECT_THAT(run_getmesh({"help", "config", "set"}, fake.options()).out,
              Not(HasSubstr("--kubeconfig")));
  EXPECT_THAT(run_getmesh({"--help"}, fake.options()).out, Not(HasSubstr("Global options:")));
}

TEST_F(Cli, ParseErrorsInOurOwnWords) {
  auto result = run_getmesh({"fetch", "--x"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "error: unknown flag: --x (in \"getmesh fetch\")\nhint: see \"getmesh help fetch\"\n");
  result = run_getmesh({"fetch", "--flavor-version", "abc"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(
      result.err,
      StartsWith("error: --flavor-version: 'abc' is not an integer (in \"getmesh fetch\")"));
  result = run_getmesh({"prune", "--flavor-version", "5000000"}, fake.options());
  EXPECT_THAT(result.err, HasSubstr("--flavor-version: '5000000' is out of range (-1 to 1000000)"));
  result = run_getmesh({"gen-ca", "--validity-days", "ten"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, StartsWith("error: --validity-days: 'ten' is not an integer"));
  result = run_getmesh({"fetch", "--name"}, fake.options());
  EXPECT_THAT(result.err, StartsWith("error: --name needs a value (in \"getmesh fetch\")"));
  result = run_getmesh({"fetch", "--require-checksum=maybe"}, fake.options());
  EXPECT_THAT(result.err, StartsWith("error: --require-checksum: 'maybe' is not true or false"));
  result = run_getmesh({"fecth"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "error: unknown command \"fecth\" (in \"getmesh\")\nhint: did you mean \"fetch\"? see "
            "\"getmesh help\"\n");
  result = run_getmesh({"deploy"}, fake.options());
  EXPECT_EQ(result.err,
            "error: unknown command \"deploy\" (in \"getmesh\")\nhint: see \"getmesh help\"\n")
      << "no guess when nothing is close";
  result = run_getmesh({"show", "extra"}, fake.options());
  EXPECT_THAT(result.err, StartsWith("error: unexpected argument \"extra\" (in \"getmesh show\")"));
  result = run_getmesh({"config"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, StartsWith("error: a command is needed: get, list, set or unset"));
}

TEST_F(Cli, TyposOfCommandsAndFlagsGetADidYouMean) {
  auto result = run_getmesh({"swich"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown command \"swich\""));
  EXPECT_THAT(result.err, HasSubstr("hint: did you mean \"switch\"?"));
  result = run_getmesh({"switch", "--verison", "1.27"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              StartsWith("error: unknown flag: --verison (in \"getmesh switch\")\n"
                         "hint: did you mean \"--version\"? see \"getmesh help switch\""));
  result = run_getmesh({"upgrade", "stauts"}, fake.options());
  EXPECT_THAT(result.err, HasSubstr("hint: did you mean \"status\"?"));
}

TEST_F(Cli, GlobalContextReachesTheClusterCommands) {
  fake.dir().write("kubeconfig", "apiVersion: v1\nkind: Config\ncontexts: []\n");
  const auto result =
      run_getmesh({"--context", "nowhere", "-c", (fake.root() / "kubeconfig").string(), "version"},
                  fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("nowhere"));
}

TEST_F(Cli, ConfigListGetSetUnset) {
  auto result = run_getmesh({"config", "list"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("KEY "));
  EXPECT_THAT(result.out, HasSubstr("strict_install     false (default)"));
  // Unset settings show the value in effect; one without a default shows "-".
  EXPECT_THAT(result.out, HasSubstr("catalog_ttl        6h (default)"));
  EXPECT_THAT(result.out, HasSubstr("github_api_url     https://api.github.com (default)"));
  EXPECT_THAT(result.out, HasSubstr("default_hub        - (default)"));
  EXPECT_THAT(result.out,
              HasSubstr("chart_repo         https://istio-release.storage.googleapis.com/charts "
                        "(default)"));
  EXPECT_EQ(run_getmesh({"config", "get", "catalog_ttl"}, fake.options()).out, "6h\n");
  EXPECT_EQ(run_getmesh({"config", "get", "chart_repo"}, fake.options()).out,
            "https://istio-release.storage.googleapis.com/charts\n");
  // An unset chart_repo falls back to GETMESH_MIRROR, as the upgrade does.
  const auto mirrored = fake.options({{"GETMESH_MIRROR", "https://mirror.example.com/istio"}});
  EXPECT_THAT(run_getmesh({"config", "list"}, mirrored).out,
              HasSubstr("chart_repo         https://mirror.example.com/istio (GETMESH_MIRROR)"));
  EXPECT_EQ(run_getmesh({"config", "get", "chart_repo"}, mirrored).out,
            "https://mirror.example.com/istio\n");
  result = run_getmesh({"config", "get", "default_hub"}, fake.options());
  EXPECT_EQ(result.exit_code, 1) << "as git config does for an unset key";
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "error: default_hub is not set and has no default\nhint: set it with \"getmesh config "
            "set default_hub VALUE\", VALUE being an image registry\n");

  result = run_getmesh({"config", "set", "strict_install", "true"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "strict_install is now true\n");
  EXPECT_EQ(fake.read_config(), R"({"istio_distribution":null,"strict_install":true})");
  EXPECT_EQ(run_getmesh({"config", "get", "strict_install"}, fake.options()).out, "true\n");

  ASSERT_EQ(run_getmesh({"config", "set", "default_hub", "gcr.io/istio"}, fake.options()).exit_code,
            0);
  const auto json =
      nlohmann::json::parse(run_getmesh({"config", "list", "-o", "json"}, fake.options()).out);
  EXPECT_EQ(json["default_hub"], "gcr.io/istio");
  EXPECT_EQ(json["strict_install"], true);
  EXPECT_EQ(json["auto_select"], false);

  result = run_getmesh({"config", "unset", "strict_install"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "strict_install is back to its default (false)\n");
  EXPECT_EQ(fake.read_config(), R"({"default_hub":"gcr.io/istio","istio_distribution":null})");
}

TEST_F(Cli, ConfigRefusesUnknownKeysAndBadValuesAndChangesNothing) {
  fake.set_active("1.31.1-istio-v0");
  const auto before = fake.read_config();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"config", "set", "strict_install", "yes"},
           {"config", "set", "default_hub", "https://docker.io/istio"},
           {"config", "set", "manifest_url", ""},
           {"config", "get", "colour"},
           {"config", "unset", "istio_distribution"},
           {"config", "set", "strict_install"}}) {
    const auto result = run_getmesh(args, fake.options());
    EXPECT_EQ(result.exit_code, 2) << args[2];
    EXPECT_THAT(result.err, StartsWith("error: ")) << args[2];
    EXPECT_THAT(result.err, HasSubstr("hint: ")) << args[2];
  }
  EXPECT_THAT(run_getmesh({"config", "get", "colour"}, fake.options()).err,
              HasSubstr("the settings are auto_select, catalog_ttl, chart_repo, default_hub"));
  EXPECT_THAT(
      run_getmesh({"config", "get", "defualt_hub"}, fake.options()).err,
      HasSubstr("error: unknown setting \"defualt_hub\"\nhint: did you mean \"default_hub\"?"));
  EXPECT_EQ(fake.read_config(), before);
}

}  // namespace
}  // namespace getmesh::testing
