#include <getmesh/istioctl/args.hpp>

#include <gtest/gtest.h>

namespace getmesh::istioctl {
namespace {

using Args = std::vector<std::string>;

std::optional<std::string> no_files(const std::string&) { return std::nullopt; }

TEST(Args, FindsTheSubcommandAfterGlobalFlags) {
  EXPECT_EQ(subcommand_index({"install"}), 0u);
  EXPECT_EQ(subcommand_index({"-c", "kc", "--context", "x", "install", "-y"}), 4u);
  EXPECT_EQ(subcommand_index({"--kubeconfig=kc", "-i", "istio-system", "version"}), 3u);
  EXPECT_FALSE(subcommand_index({"--help"}).has_value());
  EXPECT_TRUE(is_install({"-c", "kc", "install", "--set", "profile=demo"}));
  EXPECT_FALSE(is_install({"manifest", "install"})) << "only istioctl's own install subcommand";
  EXPECT_FALSE(is_install({"x", "precheck", "install"}));
}

TEST(Args, DetectsHubsInEverySetSpelling) {
  for (const Args& args :
       {Args{"install", "--set", "hub=my.io/istio"},
        Args{"install", "--set=hub=my-space.com:5000/istio"},
        Args{"install", "-s", "values.global.hub=x"}, Args{"install", "-s=hub=x"}}) {
    EXPECT_TRUE(sets_hub(args, no_files)) << args.back();
  }
  EXPECT_FALSE(sets_hub({"install", "--set", "profile=demo", "--set", "tag=1.2"}, no_files));
  EXPECT_FALSE(sets_hub({"install", "--set", "values.pilot.hub2=x"}, no_files));
}

TEST(Args, DetectsHubsInIstioOperatorFiles) {
  const auto files = [](const std::string& path) -> std::optional<std::string> {
    if (path == "hub.yaml")
      return std::string(
          "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  hub: my.io\n");
    if (path == "global.yaml")
      return std::string("spec:\n  values:\n    global:\n      hub: my.io\n");
    if (path == "plain.yaml") return std::string("---\nspec:\n  profile: demo\n");
    if (path == "broken.yaml") return std::string("spec: [\n");
    return std::nullopt;
  };
  EXPECT_TRUE(sets_hub({"install", "-f", "hub.yaml"}, files));
  EXPECT_TRUE(sets_hub({"install", "--filename=global.yaml"}, files));
  EXPECT_FALSE(sets_hub({"install", "-f", "plain.yaml"}, files));
  EXPECT_FALSE(sets_hub({"install", "-f", "broken.yaml"}, files));
  EXPECT_FALSE(sets_hub({"install", "-f", "missing.yaml"}, files));
}

TEST(Args, ReadsFlagValuesAndPresence) {
  EXPECT_EQ(flag_value({"install", "-r", "canary", "--revision=blue"}, {"-r", "--revision"}),
            "blue");
  EXPECT_FALSE(flag_value({"install"}, {"-r", "--revision"}).has_value());
  EXPECT_TRUE(has_flag({"install", "-y"}, {"-y", "--skip-confirmation"}));
  EXPECT_TRUE(has_flag({"install", "--skip-confirmation=true"}, {"-y", "--skip-confirmation"}));
  EXPECT_FALSE(has_flag({"install", "-yes"}, {"-y", "--skip-confirmation"}));
}

}  // namespace
}  // namespace getmesh::istioctl
