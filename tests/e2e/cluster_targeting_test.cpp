// One option model: every command that talks to a cluster takes -c/--kubeconfig and --context
// before or after its name, at every depth, and reaches exactly the named context's server; an
// unknown context is a usage error naming the defined ones.
#include "cli/command_tree.hpp"
#include "cli/man_page.hpp"
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/environment.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// How each command that talks to a cluster is run so that it asks the cluster something. A
// command missing here fails CommandsThatTalkToAClusterAreAllCovered: a new one needs a case.
const std::map<std::string, std::vector<std::string>>& cases() {
  static const std::map<std::string, std::vector<std::string>> kCases = {
      {"version", {}},
      {"check-upgrade", {}},
      {"config-validate", {}},
      {"gen-ca", {"--provider", "local", "--generate-root"}},
      {"upgrade", {"--dry-run"}},
      {"upgrade status", {}},
      {"upgrade rollback", {"--yes"}},
      {"upgrade finish", {"--yes"}},
      {"istioctl", {"install", "-y"}},
  };
  return kCases;
}

// The commands of the live tree that declare -c/--kubeconfig and --context.
std::vector<std::string> cluster_commands() {
  std::ostringstream out;
  std::ostringstream err;
  cli::Output output(out, err, false, false, false, false);
  cli::Context context(Environment(), output);
  const auto tree = cli::build_command_tree(context);
  std::vector<std::string> paths;
  for (const auto* command : cli::all_commands(*tree.root)) {
    if (command->get_parent() != nullptr && command->get_option_no_throw("--context") != nullptr) {
      paths.push_back(cli::command_words(*command));
    }
  }
  return paths;
}

std::vector<std::string> words_of(const std::string& path) {
  std::vector<std::string> words;
  std::istringstream stream(path);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

KubeApiServerOptions cluster(const std::string& uid) {
  KubeApiServerOptions options;
  options.objects =
      nlohmann::json::array({namespace_object("istio-system"), namespace_object("apps"),
                             istiod_pod("istiod-1", "docker.io/istio/pilot:1.31.1"),
                             sidecar_pod("apps", "app-0", "docker.io/istio/proxyv2:1.31.1")});
  options.kube_version = "v1.31.2";
  options.cluster_uid = uid;
  return options;
}

class ClusterTargeting : public ::testing::Test {
 protected:
  void SetUp() override {
    fake.install("1.31.1-istio-v0", true, test_istioctl("1.31.1"));
    fake.set_active("1.31.1-istio-v0");
    manifest_ = fake.dir().write("manifest.json",
                                 make_manifest({"1.31.1-istio-v0"}, {{"1.31", "2030-06-01"}}));
    kubeconfig_ = fake.dir()
                      .write("kubeconfig",
                             make_kubeconfig({{"ctx-a", a_.url(), token_user("test-token"), ""},
                                              {"ctx-b", b_.url(), token_user("test-token"), ""}},
                                             TestCertificates::get().ca_cert))
                      .string();
  }

  // `path` run with `extra` at `before` (right after getmesh) or after the command's words.
  RunResult run(const std::string& path, const std::vector<std::string>& extra, bool before) {
    std::vector<std::string> args{"-c", kubeconfig_};
    if (before) args.insert(args.end(), extra.begin(), extra.end());
    for (const auto& word : words_of(path)) args.push_back(word);
    const auto& own = cases().at(path);
    if (path == "istioctl") {
      // Everything after "istioctl" is istioctl's: its own --context means the same.
      args.insert(args.end(), own.begin(), own.end());
      if (!before) args.insert(args.end(), extra.begin(), extra.end());
    } else {
      if (!before) args.insert(args.end(), extra.begin(), extra.end());
      args.insert(args.end(), own.begin(), own.end());
    }
    auto env = test_istioctl_environment(a_, fake.root() / "istioctl.log");
    env["GETMESH_MANIFEST"] = manifest_.string();
    env["GETMESH_OFFLINE"] = "1";
    return run_getmesh(args, fake.options(env));
  }

  FakeHome fake;
  KubeApiServer a_{cluster("uid-of-a")};
  KubeApiServer b_{cluster("uid-of-b")};
  std::filesystem::path manifest_;
  std::string kubeconfig_;
};

TEST_F(ClusterTargeting, CommandsThatTalkToAClusterAreAllCovered) {
  std::vector<std::string> covered;
  for (const auto& [path, args] : cases()) covered.push_back(path);
  EXPECT_THAT(cluster_commands(), ::testing::UnorderedElementsAreArray(covered));
}

TEST_F(ClusterTargeting, EveryCommandReachesTheNamedContextWhereverItIsGiven) {
  for (const auto& path : cluster_commands()) {
    for (const bool before : {true, false}) {
      const auto label = path + (before ? " (--context before)" : " (--context after)");
      const auto seen_by_a = a_.requests().size();
      const auto seen_by_b = b_.requests().size();
      const auto result = run(path, {"--context", "ctx-b"}, before);
      EXPECT_GT(b_.requests().size(), seen_by_b) << label << "\n" << result.err;
      EXPECT_EQ(a_.requests().size(), seen_by_a)
          << label << ": the current context's server was asked\n"
          << result.err;
    }
  }
}

TEST_F(ClusterTargeting, AnUnknownContextIsAUsageErrorEverywhere) {
  for (const auto& path : cluster_commands()) {
    for (const bool before : {true, false}) {
      if (path == "istioctl" && !before) continue;  // istioctl's own flag: istioctl's to judge
      const auto label = path + (before ? " (--context before)" : " (--context after)");
      const auto result = run(path, {"--context", "nosuch"}, before);
      EXPECT_EQ(result.exit_code, 2) << label << "\n" << result.out << result.err;
      EXPECT_THAT(result.err, HasSubstr("context \"nosuch\" is not defined")) << label;
      EXPECT_THAT(result.err, HasSubstr("ctx-a, ctx-b")) << label;
    }
  }
  EXPECT_THAT(a_.requests(), IsEmpty());
  EXPECT_THAT(b_.requests(), IsEmpty());
}

TEST_F(ClusterTargeting, TheLastContextGivenWins) {
  const auto result = run("upgrade status", {"--context", "ctx-a"}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto seen_by_a = a_.requests().size();
  const auto both = run_getmesh(
      {"-c", kubeconfig_, "--context", "ctx-a", "upgrade", "status", "--context", "ctx-b"},
      fake.options());
  EXPECT_EQ(both.exit_code, 0) << both.err;
  EXPECT_THAT(both.out, HasSubstr("context ctx-b"));
  EXPECT_EQ(a_.requests().size(), seen_by_a);
}

}  // namespace
}  // namespace getmesh::testing
