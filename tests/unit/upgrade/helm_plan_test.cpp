#include "upgrade/helm_plan.hpp"

#include <getmesh/upgrade/plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Plan helm_mesh_plan(const std::string& source_revision, const std::string& flavor = "istio") {
  Plan plan;
  plan.context = "prod";
  plan.istio_namespace = "istio-system";
  plan.source = {source_revision, *DistributionName::parse("1.30.8-istio-v0")};
  plan.target = {"1-31-4", *DistributionName::parse("1.31.4-" + flavor + "-v0")};
  return plan;
}

std::vector<HelmRelease> releases(const std::string& text) {
  auto listed = parse_helm_list(text, "helm list");
  EXPECT_TRUE(listed.ok());
  return listed.ok() ? *listed : std::vector<HelmRelease>{};
}

const char* kList =
    R"([{"name":"istio-base","namespace":"istio-system","revision":"3","status":"deployed",)"
    R"("chart":"base-1.30.8","app_version":"1.30.8"},)"
    R"({"name":"istiod","namespace":"istio-system","revision":"1","status":"deployed",)"
    R"("chart":"istiod-1.30.8","app_version":"1.30.8"},)"
    R"({"name":"ingress","namespace":"istio-ingress","revision":"2","status":"deployed",)"
    R"("chart":"gateway-1.30.8","app_version":"1.30.8"},)"
    R"({"name":"tagged","namespace":"istio-ingress","revision":"1","status":"deployed",)"
    R"("chart":"gateway-1.30.8","app_version":"1.30.8"},)"
    R"({"name":"shop","namespace":"shop","revision":"9","status":"deployed",)"
    R"("chart":"shop-2.1.0-rc.1","app_version":"2.1.0"}])";

TEST(HelmList, ReadsReleasesAndChartNames) {
  const auto listed = releases(kList);
  ASSERT_EQ(listed.size(), 5u);
  EXPECT_EQ(listed[0].chart, "base");
  EXPECT_EQ(listed[0].chart_version, "1.30.8");
  EXPECT_EQ(listed[0].revision, 3);
  EXPECT_EQ(listed[4].chart, "shop");
  EXPECT_EQ(listed[4].chart_version, "2.1.0-rc.1");
  EXPECT_FALSE(parse_helm_list("Error: Kubernetes cluster unreachable", "helm list").ok());
  EXPECT_EQ(*parse_helm_values("null\n", "v"), json::object());
  EXPECT_EQ(*parse_helm_values(R"({"revision":"1-30-8"})", "v"), json({{"revision", "1-30-8"}}));
  EXPECT_FALSE(parse_helm_values("[]", "v").ok());
}

TEST(HelmPlan, KeepsTheUsersValuesAndDropsWhatNamesTheOldRevision) {
  auto listed = releases(kList);
  listed[1].values = {{"revision", ""},
                      {"revisionTags", {"prod"}},
                      {"global", {{"tag", "1.30.8"}, {"hub", "my.io/istio"}}},
                      {"pilot", {{"autoscaleMin", 2}}}};
  listed[2].values = {{"revision", "default"}};
  listed[3].values = {{"revision", "prod"}};
  auto helm = plan_helm(helm_mesh_plan("default"), listed, "https://charts.example");
  ASSERT_TRUE(helm.ok()) << helm.error().message;
  EXPECT_EQ(helm->control_plane.name, "istiod");
  EXPECT_EQ(helm->new_release, "istiod-1-31-4");
  EXPECT_EQ(helm->new_values, json({{"revision", "1-31-4"},
                                    {"global", {{"hub", "my.io/istio"}}},
                                    {"pilot", {{"autoscaleMin", 2}}}}));
  EXPECT_THAT(helm->dropped, ElementsAre("revision", "revisionTags", "global.tag"));
  ASSERT_TRUE(helm->base.has_value());
  EXPECT_EQ(helm->base->name, "istio-base");
  ASSERT_EQ(helm->gateways.size(), 2u);
  EXPECT_EQ(helm->gateways[0].values["revision"], "1-31-4");
  EXPECT_EQ(helm->gateways[1].values["revision"], "prod");
  EXPECT_THAT(helm->gateway_moves,
              ElementsAre("ingress: revision default → 1-31-4",
                          "tagged: revision prod kept (it moves with its tag or namespace)"));

  Plan plan = helm_mesh_plan("default");
  plan.helm = *helm;
  const auto document = json::parse(to_json(plan).dump());
  EXPECT_EQ(document["installer"], "helm");
  auto back = plan_from_json(document);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_TRUE(back->helm.has_value());
  EXPECT_EQ(back->helm->new_values, helm->new_values);
  EXPECT_EQ(back->helm->gateways[1].revision, 1);
  EXPECT_EQ(back->helm->base->revision, 3);
  // The context helm is pointed at is the run's, never one read back from a record.
  EXPECT_EQ(back->helm->kube_context, "");
  back->helm->kube_context = "prod";
  const auto steps = steps_of(*back);
  EXPECT_EQ(steps[6].key, "gateways");
  EXPECT_EQ(steps.back().actions.back(),
            "helm uninstall istiod -n istio-system --kube-context prod  (the old release only)");
}

TEST(HelmPlan, RefusesWhatItCannotUpgrade) {
  const auto listed = releases(kList);
  const auto missing = plan_helm(helm_mesh_plan("1-30-8"), listed, "r");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "no Helm release of the istiod chart in istio-system serves revision 1-30-8, the "
            "control plane to upgrade");
  const auto tetrate = plan_helm(helm_mesh_plan("default", "tetrate"), listed, "r");
  ASSERT_FALSE(tetrate.ok());
  EXPECT_THAT(tetrate.error().message, HasSubstr("Istio's Helm charts install the community"));
}

}  // namespace
}  // namespace getmesh::upgrade
