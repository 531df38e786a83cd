// The base chart's defaultRevision in a Helm upgrade (Istio's Helm canary guide).
#include "upgrade/helm_default_revision.hpp"

#include <getmesh/upgrade/plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Plan default_revision_plan(const std::string& source_revision, const json& base_values) {
  Plan plan;
  plan.context = "prod";
  plan.istio_namespace = "istio-system";
  plan.source = {source_revision, *DistributionName::parse("1.30.8-istio-v0")};
  plan.target = {"1-31-4", *DistributionName::parse("1.31.4-istio-v0")};
  HelmUpgrade helm;
  helm.chart_repo = "https://charts.example";
  helm.control_plane = {"istiod", "istio-system", "istiod", "1.30.8", 1, json::object()};
  helm.new_release = "istiod-1-31-4";
  helm.base = HelmRelease{"istio-base", "istio-system", "base", "1.30.8", 2, base_values};
  helm.kube_context = "prod";
  plan.helm = helm;
  return plan;
}

TEST(HelmDefaultRevision, MovesWhenTheBaseChartPointsAtTheReplacedRevision) {
  EXPECT_TRUE(helm_default_revision::applies(default_revision_plan("default", json::object())))
      << "no revision anywhere: the default is the one replaced";
  EXPECT_TRUE(helm_default_revision::applies(
      default_revision_plan("1-30-8", {{"defaultRevision", "1-30-8"}})));
  EXPECT_FALSE(helm_default_revision::applies(default_revision_plan("1-30-8", json::object())))
      << "the default is another control plane than the one upgraded";
  EXPECT_FALSE(helm_default_revision::applies(
      default_revision_plan("default", {{"defaultRevision", "canary"}})));
  auto without_base = default_revision_plan("default", json::object());
  without_base.helm->base.reset();
  EXPECT_FALSE(helm_default_revision::applies(without_base));
}

TEST(HelmDefaultRevision, TheBaseReleaseKeepsItsValuesAndGetsTheNewDefault) {
  const auto plan = default_revision_plan("default", {{"global", {{"hub", "my.io/istio"}}}});
  EXPECT_THAT(helm_default_revision::switch_to_target(plan, "/work/"),
              ElementsAre("upgrade", "istio-base", "/work/base-1.31.4.tgz", "-n", "istio-system",
                          "-f", "/work/helm-values-istio-base.json", "--set",
                          "defaultRevision=1-31-4", "--kube-context", "prod"));
  // The plan says so before the old release goes, and only where it applies.
  auto steps = steps_of(plan);
  const auto& removal = steps.back();
  ASSERT_EQ(removal.key, "remove-old");
  ASSERT_EQ(removal.actions.size(), 3u);
  EXPECT_THAT(removal.actions[1], HasSubstr("--set defaultRevision=1-31-4"));
  EXPECT_THAT(removal.actions[2], HasSubstr("helm uninstall istiod"));
  steps = steps_of(default_revision_plan("1-30-8", json::object()));
  EXPECT_EQ(steps.back().actions.size(), 2u);
}

}  // namespace
}  // namespace getmesh::upgrade
