#include "support/fake_home.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class StoreCommands : public ::testing::Test {
 protected:
  // The size of the regular files under `paths`, as prune says it.
  static std::string size_of(const std::vector<std::filesystem::path>& paths) {
    std::uint64_t bytes = 0;
    for (const auto& path : paths) bytes += disk_usage(path);
    return describe_bytes(bytes);
  }
  [[nodiscard]] std::filesystem::path version(const std::string& name) const {
    return fake.home() / "istio" / name;
  }

  FakeHome fake;
};

TEST_F(StoreCommands, ShowListsFetchedVersionsWithExactActiveMatch) {
  fake.install("1.7.3-tetrate-v1");
  fake.install("1.7.3-tetrate-v10");
  fake.install("20.1.1-tetrate-v0", /*verified=*/false);
  fake.set_active("1.7.3-tetrate-v1");
  std::filesystem::create_directories(fake.home() / "istio" / "1.9.0-istio-v0" /
                                      "bin");  // incomplete
  const auto result = run_getmesh({"show"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "1.7.3-tetrate-v1 (Active) (verified: manifest)\n1.7.3-tetrate-v10 (verified: "
            "manifest)\n20.1.1-tetrate-v0 (unverified)\n");
}

TEST_F(StoreCommands, ShowOnAnEmptyHomeAndAsJson) {
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "No istioctl fetched yet: run \"getmesh fetch\"\n");
  fake.install("1.31.1-istio-v0");
  fake.set_active("1.31.1-istio-v0");
  const auto shown = run_getmesh({"show", "-o", "json"}, fake.options());
  const auto rows = nlohmann::json::parse(shown.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["name"], "1.31.1-istio-v0");
  EXPECT_EQ(rows[0]["active"], true);
  EXPECT_EQ(rows[0]["verified"], true);
}

TEST_F(StoreCommands, SwitchByNameFlagsAndMinor) {
  for (const char* name :
       {"1.30.4-istio-v0", "1.30.5-istio-v0", "1.31.1-istio-v0", "1.31.1-tetrate-v0"}) {
    fake.install(name);
  }
  fake.set_active("1.31.1-istio-v0");
  auto result = run_getmesh({"switch", "--name", "1.30.4-istio-v0"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "istioctl switched to 1.30.4-istio-v0 now\n");
  EXPECT_THAT(fake.read_config(), HasSubstr(R"("version":"1.30.4")"));

  result = run_getmesh({"switch", "--version", "1.31.1", "--flavor", "tetrate"}, fake.options());
  EXPECT_EQ(result.out, "istioctl switched to 1.31.1-tetrate-v0 now\n");
  result = run_getmesh({"switch", "--flavor", "istio"}, fake.options());
  EXPECT_EQ(result.out, "istioctl switched to 1.31.1-istio-v0 now\n");
  result = run_getmesh({"switch", "--version", "1.30"}, fake.options());
  EXPECT_EQ(result.out, "istioctl switched to 1.30.5-istio-v0 now\n");
  EXPECT_THAT(result.err, HasSubstr("the newest fetched 1.30.x"));
}

// README: "getmesh switch --version 1.30: newest fetched 1.30 becomes active", whatever its flavor.
TEST_F(StoreCommands, SwitchByMinorTakesAnotherFlavorWhenTheActiveOnesHasNone) {
  fake.install("1.31.1-istio-v0");
  fake.install("1.27.3-tetrate-v0");
  fake.set_active("1.31.1-istio-v0");
  const auto result = run_getmesh({"switch", "--version", "1.27"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "istioctl switched to 1.27.3-tetrate-v0 now\n");
  EXPECT_THAT(result.err, HasSubstr("no 1.27.x of the istio flavor is fetched; using "
                                    "1.27.3-tetrate-v0, the newest fetched 1.27.x"));
}

// Versions as Git tags spell them (v1.30) are taken wherever a version is.
TEST_F(StoreCommands, VersionsWithAVPrefixAreTaken) {
  for (const char* name : {"1.30.5-istio-v0", "1.31.1-istio-v0"}) fake.install(name);
  fake.set_active("1.31.1-istio-v0");
  auto result = run_getmesh({"switch", "--version", "v1.30"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "istioctl switched to 1.30.5-istio-v0 now\n");
  result = run_getmesh({"switch", "--version", "v1.31.1"}, fake.options());
  EXPECT_EQ(result.out, "istioctl switched to 1.31.1-istio-v0 now\n");
  const auto plain = run_getmesh({"list", "--version", "1.30", "-o", "json"}, fake.options());
  const auto prefixed = run_getmesh({"list", "--version", "v1.30", "-o", "json"}, fake.options());
  ASSERT_EQ(prefixed.exit_code, 0) << prefixed.err;
  EXPECT_EQ(prefixed.out, plain.out);
  result =
      run_getmesh({"prune", "--version", "v1.30.5", "--flavor", "istio", "--flavor-version", "0"},
                  fake.options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(std::filesystem::exists(version("1.30.5-istio-v0")));
  EXPECT_EQ(run_getmesh({"list", "--version", "vx"}, fake.options()).exit_code, 2);
}

TEST_F(StoreCommands, SwitchErrorsLeaveTheConfigAlone) {
  fake.install("1.31.1-istio-v0");
  fake.set_active("1.31.1-istio-v0");
  const auto before = fake.read_config();
  auto result = run_getmesh({"switch", "--name", "1.29.8-istio-v0"}, fake.options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("1.29.8-istio-v0 is not fetched"));
  EXPECT_THAT(result.err, HasSubstr("getmesh fetch --name 1.29.8-istio-v0"));
  // A --name that is no full distribution name is a usage error, for every command taking one.
  for (const std::string command : {"switch", "prune", "fetch"}) {
    for (const std::string name : {"1.29", "foo", "1.29.8"}) {
      SCOPED_TRACE(command + " --name " + name);
      result = run_getmesh({command, "--name", name}, fake.options());
      EXPECT_EQ(result.exit_code, 2);
      EXPECT_THAT(result.err, HasSubstr("error: --name"));
      EXPECT_THAT(result.err, HasSubstr("hint: "));
    }
  }
  for (const std::string command : {"switch", "prune", "fetch"}) {
    for (const std::string value : {"-5", "99999999999999999999", "x"}) {
      SCOPED_TRACE(command + " --flavor-version " + value);
      result = run_getmesh(
          {command, "--version", "1.29.8", "--flavor", "istio", "--flavor-version", value},
          fake.options());
      EXPECT_EQ(result.exit_code, 2);
      EXPECT_THAT(result.err, HasSubstr("--flavor-version"));
    }
  }
  EXPECT_EQ(fake.read_config(), before);

  FakeHome empty;
  result = run_getmesh({"switch", "--version", "1.31.1"}, empty.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("nothing is active yet"));

  // Something is active, but not fetched: say that, not "nothing is active".
  fake.set_active("1.29.8-istio-v0");
  result = run_getmesh({"switch", "--version", "1.31.1"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("the active istioctl 1.29.8-istio-v0 is not fetched"));
  EXPECT_THAT(result.err, Not(HasSubstr("nothing is active")));
  result = run_getmesh({"switch", "--version", "1.31.1", "--flavor", "istio"}, fake.options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(StoreCommands, PruneRemovesAllButTheActiveOne) {
  for (const char* name :
       {"1.29.8-istio-v0", "1.30.5-istio-v0", "1.31.1-istio-v0", "1.9.0-istio-v0"})
    fake.install(name);
  fake.set_active("1.30.5-istio-v0");
  const auto size =
      size_of({version("1.9.0-istio-v0"), version("1.31.1-istio-v0"), version("1.29.8-istio-v0")});
  const auto dry = run_getmesh({"prune", "--dry-run"}, fake.options());
  // Oldest first, like show.
  EXPECT_EQ(dry.out,
            "would remove 1.9.0-istio-v0\nwould remove 1.29.8-istio-v0\nwould remove "
            "1.31.1-istio-v0\nwould free " +
                size + "\n");
  EXPECT_TRUE(std::filesystem::exists(fake.home() / "istio" / "1.29.8-istio-v0"));
  const auto result = run_getmesh({"prune"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "removed 1.9.0-istio-v0\nremoved 1.29.8-istio-v0\nremoved 1.31.1-istio-v0\nfreed " +
                size + "\n");
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "1.30.5-istio-v0 (Active) (verified: manifest)\n");
  EXPECT_EQ(run_getmesh({"prune"}, fake.options()).out, "Nothing to prune\n");
}

TEST_F(StoreCommands, PruneOneVersion) {
  for (const char* name : {"1.30.5-istio-v0", "1.31.1-istio-v0"}) fake.install(name);
  fake.set_active("1.31.1-istio-v0");
  const auto size = size_of({version("1.30.5-istio-v0")});
  auto result =
      run_getmesh({"prune", "--version", "1.30.5", "--flavor", "istio", "--flavor-version", "0"},
                  fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "removed 1.30.5-istio-v0\nfreed " + size + "\n");
  result = run_getmesh({"prune", "--name", "1.31.1-istio-v0"}, fake.options());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("skipping 1.31.1-istio-v0: it is the active istioctl"));
  EXPECT_TRUE(
      std::filesystem::exists(fake.home() / "istio" / "1.31.1-istio-v0" / "bin" / "istioctl"));
  result = run_getmesh({"prune", "--name", "1.30.5-istio-v0"}, fake.options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("not fetched"));
  result = run_getmesh({"prune", "--version", "1.30.5"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("must be given together"));
  // A flavor becomes part of a path: one that could leave the store is refused.
  result =
      run_getmesh({"prune", "--version", "1.30.5", "--flavor", "../../x", "--flavor-version", "0"},
                  fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--flavor \"../../x\" is not a flavor name"));
}

// What killed fetches leave behind goes with a prune, and prune says how much it freed. A fetch
// that is running (its lock is held) keeps its files.
TEST_F(StoreCommands, PruneRemovesLeftoversOfKilledFetches) {
  fake.install("1.31.1-istio-v0");
  fake.set_active("1.31.1-istio-v0");
  const auto& dir = fake.dir();
  dir.write("getmesh-home/tmp/install-1.29.8-istio-v0.4242.17/bin/istioctl",
            std::string(3000, 'x'));
  dir.write("getmesh-home/tmp/removed-1.28.1-istio-v0.4242.18/bin/istioctl",
            std::string(2000, 'r'));
  dir.write("getmesh-home/downloads/1.29.8-istio-v0.tar.gz.partial", std::string(5000, 'p'));
  dir.write("getmesh-home/downloads/1.29.8-istio-v0.tar.gz.partial.json", "{}");
  dir.write("getmesh-home/istio/1.9.0-istio-v0/bin/README", "half");  // no istioctl
  dir.write("getmesh-home/downloads/1.30.1-istio-v0.tar.gz.partial", std::string(100, 'b'));
  const auto busy_lock = fake.home() / "locks" / "1.30.1-istio-v0.lock";
  dir.write("getmesh-home/locks/1.30.1-istio-v0.lock", "");
  const int busy = ::open(busy_lock.c_str(), O_RDWR);
  ASSERT_EQ(::flock(busy, LOCK_EX), 0);

  const auto dry = run_getmesh({"prune", "--dry-run"}, fake.options());
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("would remove tmp/install-1.29.8-istio-v0.4242.17 "
                                 "(interrupted install)\n"));
  EXPECT_THAT(dry.out, HasSubstr("would free 9.9 KiB\n"));
  EXPECT_TRUE(std::filesystem::exists(fake.home() / "tmp" / "install-1.29.8-istio-v0.4242.17"));

  const auto result = run_getmesh({"prune"}, fake.options());
  ::close(busy);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "removed downloads/1.29.8-istio-v0.tar.gz.partial (partial download)\n"
            "removed downloads/1.29.8-istio-v0.tar.gz.partial.json (partial download)\n"
            "removed istio/1.9.0-istio-v0 (incomplete version folder)\n"
            "removed tmp/install-1.29.8-istio-v0.4242.17 (interrupted install)\n"
            "removed tmp/removed-1.28.1-istio-v0.4242.18 (removed version)\n"
            "freed 9.8 KiB\n");
  EXPECT_THAT(result.err, HasSubstr("kept downloads/1.30.1-istio-v0.tar.gz.partial (partial "
                                    "download): a running fetch uses it"));
  EXPECT_TRUE(
      std::filesystem::exists(fake.home() / "downloads" / "1.30.1-istio-v0.tar.gz.partial"));
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "tmp" / "install-1.29.8-istio-v0.4242.17"));
  EXPECT_FALSE(std::filesystem::exists(fake.home() / "istio" / "1.9.0-istio-v0"));
  EXPECT_EQ(run_getmesh({"show"}, fake.options()).out,
            "1.31.1-istio-v0 (Active) (verified: manifest)\n");
}

TEST_F(StoreCommands, CorruptConfigIsAClearErrorAndIsNotOverwritten) {
  fake.install("1.31.1-istio-v0");
  fake.write_config("{\"istio_distribution\": {");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"show"}, {"switch", "--name", "1.31.1-istio-v0"}, {"istioctl", "version"}}) {
    const auto result = run_getmesh(args, fake.options());
    EXPECT_EQ(result.exit_code, 1) << args.front();
    EXPECT_THAT(result.err, HasSubstr((fake.home() / "config.json").string() + " is invalid"));
    EXPECT_THAT(result.err, HasSubstr("hint:"));
  }
  EXPECT_EQ(fake.read_config(), "{\"istio_distribution\": {");
}

TEST_F(StoreCommands, VersionReportsTheActiveIstioctl) {
  auto result = run_getmesh({"version", "--remote=false"}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("getmesh version: "));
  EXPECT_THAT(result.out, HasSubstr("active istioctl: none"));
  fake.install("1.31.1-istio-v0");
  fake.set_active("1.31.1-istio-v0");
  const auto version = nlohmann::json::parse(
      run_getmesh({"version", "--remote=false", "-o", "json"}, fake.options()).out);
  EXPECT_EQ(version["active_istioctl"], "1.31.1-istio-v0");
  EXPECT_EQ(version["active_istioctl_fetched"], true);
}

TEST_F(StoreCommands, DefaultHubSetShowRemove) {
  EXPECT_THAT(run_getmesh({"default-hub", "--show"}, fake.options()).out,
              HasSubstr("The default hub is not set yet"));
  auto result =
      run_getmesh({"default-hub", "--set", "my-registry.example.com:5000/istio"}, fake.options());
  EXPECT_EQ(result.out, "The default hub is now set to my-registry.example.com:5000/istio\n");
  EXPECT_EQ(run_getmesh({"default-hub", "--show"}, fake.options()).out,
            "The current default hub is set to my-registry.example.com:5000/istio\n");
  EXPECT_THAT(fake.read_config(),
              HasSubstr(R"("default_hub":"my-registry.example.com:5000/istio")"));
  result = run_getmesh({"default-hub", "--remove"}, fake.options());
  EXPECT_THAT(result.out, HasSubstr("The default hub is removed"));
  EXPECT_THAT(fake.read_config(), Not(HasSubstr("default_hub")));
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"default-hub"},
                                             {"default-hub", "--set", "x", "--show"},
                                             {"default-hub", "--remove", "--show"}}) {
    EXPECT_EQ(run_getmesh(args, fake.options()).exit_code, 2);
  }
  // A scheme is no part of a registry; bad values are quoted.
  result = run_getmesh({"default-hub", "--set", "https://docker.io/istio"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("error: --set \"https://docker.io/istio\" is not an image "
                                    "registry: it starts with a scheme (https://)"));
  result = run_getmesh({"default-hub", "--set", "my hub"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("error: --set \"my hub\" is not an image registry"));
  EXPECT_THAT(fake.read_config(), Not(HasSubstr("default_hub")));
}

TEST_F(StoreCommands, CompletionScriptsForEachShell) {
  const auto bash = run_getmesh({"completion", "bash"}, fake.options());
  ASSERT_EQ(bash.exit_code, 0);
  EXPECT_THAT(bash.out, HasSubstr("complete -F _getmesh getmesh"));
  const auto script = fake.dir().write("completion.bash", bash.out);
  EXPECT_EQ(run_program({"bash", "-n", script.string()}).exit_code, 0) << "bash syntax";
  EXPECT_THAT(run_getmesh({"completion", "zsh"}, fake.options()).out,
              HasSubstr("#compdef getmesh"));
  const auto fish = run_getmesh({"completion", "fish"}, fake.options()).out;
  EXPECT_THAT(fish, HasSubstr("complete -c getmesh -f -a '(__getmesh_complete)'"));
  EXPECT_EQ(run_getmesh({"completion", "powershell"}, fake.options()).exit_code, 2);
}

// The bash script with the built getmesh answering, as bash calls it on TAB.
TEST_F(StoreCommands, BashCompletionIsAnsweredByTheCommandTree) {
  const auto script =
      fake.dir().write("completion.bash", run_getmesh({"completion", "bash"}, fake.options()).out);
  fake.install("1.29.8-istio-v0");
  fake.dir().write("work/a-file.yaml", "");
  const auto complete = [&](const std::string& line) {
    auto options =
        fake.options({{"PATH", std::filesystem::path(GETMESH_BINARY).parent_path().string() +
                                   ":/usr/bin:/bin"}});
    options.cwd = fake.root() / "work";
    const auto result = run_program(
        {"bash", "-c",
         "source " + script.string() + " && COMP_LINE='" + line + "' && COMP_POINT=${#COMP_LINE}" +
             " && _getmesh && printf '%s\\n' \"${COMPREPLY[@]}\""},
        options);
    return result.out;
  };
  EXPECT_EQ(complete("getmesh fe"), "fetch\n");
  EXPECT_EQ(complete("getmesh manifest e"), "export\n") << "nested commands";
  EXPECT_EQ(complete("getmesh -c kube.yaml --context x fe"), "fetch\n")
      << "subcommands after global options";
  EXPECT_EQ(complete("getmesh config-validate -o s"), "sarif\n");
  EXPECT_EQ(complete("getmesh check-upgrade -o y"), "yaml\n");
  EXPECT_EQ(complete("getmesh prune --name 1.2"), "1.29.8-istio-v0\n");
  EXPECT_EQ(complete("getmesh config-validate a-f"), "a-file.yaml\n") << "file paths";
  EXPECT_EQ(complete("getmesh list --output=j"), "json\n") << "bash's word ends at '='";
  fake.dir().write("work/kc.yaml",
                   "apiVersion: v1\nkind: Config\ncontexts:\n- name: kind-a\n  context: {}\n"
                   "- name: arn:aws:eks:eu:1:cluster/b\n  context: {}\n");
  EXPECT_EQ(complete("getmesh -c kc.yaml version --context k"), "kind-a\n");
  EXPECT_EQ(complete("getmesh -c kc.yaml --context arn:aws:e"), "eks:eu:1:cluster/b\n")
      << "bash's word ends at ':'";
}

}  // namespace
}  // namespace getmesh::testing
