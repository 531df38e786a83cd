#include "cli/completion.hpp"

#include "cli/command_tree.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace getmesh::cli {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

// The real command tree, with the dynamic values stubbed: contexts, manifest and fetched names.
class Completion : public ::testing::Test {
 protected:
  Completion()
      : output_(out_, err_, false, false, false, false), context_(Environment(), output_) {}

  // The candidate words (descriptions dropped) for `words`, the last one under the cursor.
  std::vector<std::string> words_for(const std::vector<std::string>& words) {
    std::vector<std::string> result;
    for (const auto& line : candidates(words).lines)
      result.push_back(line.substr(0, line.find('\t')));
    return result;
  }
  Candidates candidates(const std::vector<std::string>& words) {
    const DynamicValues dynamic = [this](ValueKind kind,
                                         const std::map<std::string, std::string>& seen) {
      seen_ = seen;
      switch (kind) {
        case ValueKind::kContexts:
          return std::vector<std::string>{"kind-a", "arn:aws:eks:eu:1:cluster/b"};
        case ValueKind::kManifestNames:
          return std::vector<std::string>{"1.31.1-istio-v0", "1.30.5-istio-v0"};
        case ValueKind::kFetchedNames:
          return std::vector<std::string>{"1.29.8-istio-v0"};
        case ValueKind::kVersions:
          return std::vector<std::string>{"1.31", "1.31.1", "1.30", "1.30.5"};
        default:
          return std::vector<std::string>{};
      }
    };
    return complete(*tree_.root, words, dynamic);
  }

  std::ostringstream out_, err_;
  Output output_;
  Context context_;
  CommandTree tree_ = build_command_tree(context_);
  std::map<std::string, std::string> seen_;
};

TEST_F(Completion, CommandsFromTheTreeAlsoAfterGlobalOptions) {
  EXPECT_THAT(words_for({"fe"}), ElementsAre("fetch"));
  EXPECT_THAT(words_for({""}), Contains("config"));
  EXPECT_THAT(words_for({""}), Contains("which"));
  EXPECT_THAT(words_for({"-c", "kube.yaml", "fe"}), ElementsAre("fetch"));
  EXPECT_THAT(words_for({"--context", "x", "-v", "ch"}), ElementsAre("check-upgrade"));
  EXPECT_THAT(words_for({"config", ""}), ElementsAre("list", "get", "set", "unset"));
  EXPECT_THAT(words_for({"config", "set", ""}),
              ElementsAre("auto_select", "catalog_ttl", "chart_repo", "default_hub",
                          "github_api_url", "helm_path", "manifest_url", "offline",
                          "require_checksum", "require_fips", "strict_install", "verify_on_exec"));
  EXPECT_THAT(words_for({"config", "set", "strict_install", ""}), ElementsAre("true", "false"));
  EXPECT_THAT(words_for({"config", "set", "offline", ""}), ElementsAre("true", "false"));
  EXPECT_THAT(words_for({"config", "set", "catalog_ttl", "1"}), ElementsAre("1h", "1d"));
  EXPECT_THAT(words_for({"config", "set", "default_hub", ""}), Contains("docker.io/istio"));
  EXPECT_THAT(words_for({"config", "set", "manifest_url", ""}), IsEmpty()) << "any path or URL";
  EXPECT_THAT(words_for({"help", "vers"}), ElementsAre("version"));
  EXPECT_THAT(words_for({"help", "ver"}), ElementsAre("version", "verify"));
}

TEST_F(Completion, FlagsOfTheCommandAndTheGlobalOnes) {
  const auto flags = words_for({"fetch", "--"});
  EXPECT_THAT(flags, Contains("--no-switch"));
  EXPECT_THAT(flags, Contains("--verbose"));
  EXPECT_THAT(flags, Contains("--manifest"));
  EXPECT_THAT(flags, Not(Contains("--kubeconfig"))) << "fetch never talks to a cluster";
  EXPECT_THAT(flags, Not(Contains("--strict")));
  EXPECT_THAT(words_for({"check-upgrade", "--"}), Contains("--kubeconfig"));
  EXPECT_THAT(words_for({"check-upgrade", "--"}), Contains("--context"));
  EXPECT_THAT(words_for({"fetch", "--require-c"}), ElementsAre("--require-checksum"));
  const auto described = candidates({"fetch", "--no-s"}).lines;
  ASSERT_EQ(described.size(), 1u);
  EXPECT_THAT(described[0], ::testing::StartsWith("--no-switch\tInstall only"));
}

TEST_F(Completion, OutputFormatsPerCommand) {
  EXPECT_THAT(words_for({"config-validate", "-o", ""}),
              ElementsAre("table", "json", "yaml", "sarif"));
  EXPECT_THAT(words_for({"check-upgrade", "--output", "y"}), ElementsAre("yaml"));
  EXPECT_THAT(words_for({"show", "-o", ""}), ElementsAre("table", "json", "yaml"));
  EXPECT_THAT(words_for({"list", "--output=j"}), ElementsAre("--output=json"));
}

TEST_F(Completion, FilesWhereArgumentsAreFiles) {
  EXPECT_EQ(candidates({"config-validate", ""}).shell, ValueKind::kFiles);
  EXPECT_EQ(candidates({"config-validate", "a.yaml", "b"}).shell, ValueKind::kFiles);
  EXPECT_EQ(candidates({"-c", ""}).shell, ValueKind::kFiles);
  EXPECT_EQ(candidates({"version", "--kubeconfig", "/tm"}).shell, ValueKind::kFiles);
  EXPECT_EQ(candidates({"gen-ca", "--config-file", ""}).shell, ValueKind::kFiles);
  EXPECT_EQ(candidates({"gen-ca", "--output-dir", ""}).shell, ValueKind::kDirectories);
  EXPECT_EQ(candidates({"istioctl", "install", "-f", ""}).shell, ValueKind::kFiles);
}

TEST_F(Completion, NamesAndContexts) {
  EXPECT_THAT(words_for({"fetch", "--name", "1.31"}), ElementsAre("1.31.1-istio-v0"));
  EXPECT_THAT(words_for({"switch", "--name", ""}), ElementsAre("1.29.8-istio-v0"));
  EXPECT_THAT(words_for({"prune", "--name", ""}), ElementsAre("1.29.8-istio-v0"));
  EXPECT_THAT(words_for({"-c", "/k.yaml", "version", "--context", "arn"}),
              ElementsAre("arn:aws:eks:eu:1:cluster/b"));
  EXPECT_EQ(seen_["kubeconfig"], "/k.yaml") << "contexts come from the kubeconfig given";
  EXPECT_THAT(words_for({"--context", "k"}), ElementsAre("kind-a"));
  EXPECT_THAT(words_for({"check-upgrade", "--contexts", ""}), Contains("kind-a"));
  EXPECT_THAT(words_for({"check-upgrade", "--contexts", "kind-a,"}),
              ElementsAre("kind-a,arn:aws:eks:eu:1:cluster/b"))
      << "a list's next item, without the ones already given";
  EXPECT_THAT(words_for({"check-upgrade", "--contexts=kind-a,ar"}),
              ElementsAre("--contexts=kind-a,arn:aws:eks:eu:1:cluster/b"));
  EXPECT_THAT(words_for({"mirror", "create", "--flavor", "istio,tet"}),
              ElementsAre("istio,tetrate", "istio,tetratefips"));
}

// Every option that takes a known set of values offers them: contexts from the kubeconfig,
// versions from the manifest, the words of fixed sets.
TEST_F(Completion, EveryOptionWithKnownValuesOffersThem) {
  for (const std::string command :
       {"version", "check-upgrade", "config-validate", "upgrade", "gen-ca"}) {
    EXPECT_THAT(words_for({command, "--context", ""}),
                ElementsAre("kind-a", "arn:aws:eks:eu:1:cluster/b"))
        << command;
  }
  EXPECT_THAT(words_for({"upgrade", "status", "--context", "k"}), ElementsAre("kind-a"));
  for (const auto& path : std::vector<std::vector<std::string>>{{"fetch", "--version"},
                                                                {"switch", "--version"},
                                                                {"list", "--version"},
                                                                {"prune", "--version"},
                                                                {"manifest", "export", "--version"},
                                                                {"mirror", "create", "--version"},
                                                                {"mirror", "images", "--version"},
                                                                {"upgrade", "--to"}}) {
    auto words = path;
    words.emplace_back("1.3");
    EXPECT_THAT(words_for(words), ElementsAre("1.31", "1.31.1", "1.30", "1.30.5")) << path[0];
  }
  for (const std::string flag : {"--failure-threshold", "--output-threshold"}) {
    EXPECT_THAT(words_for({"config-validate", flag, ""}), ElementsAre("Error", "Warning", "Info"));
  }
  for (const auto& path : std::vector<std::vector<std::string>>{{"upgrade", "--flavor"},
                                                                {"manifest", "export", "--flavor"},
                                                                {"mirror", "create", "--flavor"},
                                                                {"mirror", "images", "--flavor"},
                                                                {"fetch", "--flavor"}}) {
    auto words = path;
    words.emplace_back("tet");
    EXPECT_THAT(words_for(words), ElementsAre("tetrate", "tetratefips")) << path[0];
  }
  EXPECT_THAT(words_for({"manifest", "export", "--platform", "linux-a"}),
              ElementsAre("linux-amd64", "linux-arm64", "linux-armv7"));
  EXPECT_THAT(words_for({"mirror", "create", "--platform", "darwin/"}),
              ElementsAre("darwin/amd64", "darwin/arm64"));
}

}  // namespace
}  // namespace getmesh::cli
