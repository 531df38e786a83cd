#include "upgrade/ambient_plan.hpp"

#include <getmesh/mesh/state.hpp>
#include <getmesh/upgrade/gates.hpp>
#include <getmesh/upgrade/plan.hpp>
#include <getmesh/upgrade/record.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A Helm plan from 1.30.8 (revision 1-30-8) to 1.31.4 whose tag prod-stable and namespace shop
// move.
Plan ambient_plan() {
  Plan plan;
  plan.context = "prod";
  plan.istio_namespace = "istio-system";
  plan.source = {"1-30-8", *DistributionName::parse("1.30.8-istio-v0")};
  plan.target = {"1-31-4", *DistributionName::parse("1.31.4-istio-v0")};
  plan.tags.push_back({"prod-stable", "1-30-8", "1-31-4"});
  plan.namespaces.push_back({"shop", "istio.io/rev=prod-stable", "prod-stable", {}, {}, {}});
  plan.ambient.ztunnel_pods = 2;
  plan.helm.emplace();
  plan.helm->chart_repo = "https://charts.example";
  plan.helm->control_plane = {"istiod-1-30-8", "istio-system", "istiod", "1.30.8", 1,
                              json::object()};
  plan.helm->new_release = "istiod-1-31-4";
  return plan;
}

HelmRelease release(const std::string& name, const std::string& chart, const std::string& version,
                    const json& values) {
  return {name, "istio-system", chart, version, 3, values};
}

TEST(AmbientPlan, ZtunnelIsBoundToTheNewRevisionAndLosesItsPinnedTag) {
  auto plan = ambient_plan();
  const std::vector<HelmRelease> releases{
      release("istio-cni", "cni", "1.30.8", {{"profile", "ambient"}, {"tag", "1.30.8"}}),
      release("ztunnel", "ztunnel", "1.30.8", {{"revision", "1-30-8"}, {"logLevel", "debug"}})};
  ASSERT_TRUE(plan_ambient(plan, Layout{}, &releases).ok());
  ASSERT_TRUE(plan.helm->ztunnel && plan.helm->cni);
  EXPECT_EQ(plan.helm->ztunnel->values, json({{"revision", "1-31-4"}, {"logLevel", "debug"}}));
  EXPECT_EQ(plan.helm->ztunnel->revision, 3) << "what a rollback goes back to";
  EXPECT_EQ(plan.helm->cni->values, json({{"profile", "ambient"}}));
  EXPECT_THAT(plan.warnings, ElementsAre(HasSubstr("istio-cni: tag (they pin the old build)")));
}

TEST(AmbientPlan, RefusesZtunnelOrCniOutsideIstiosSkew) {
  const auto refusal = [](const std::string& chart, const std::string& version) {
    auto plan = ambient_plan();
    const std::vector<HelmRelease> releases{
        release(chart == "cni" ? "istio-cni" : "ztunnel", chart, version, json::object())};
    auto planned = plan_ambient(plan, Layout{}, &releases);
    return planned.ok() ? std::string("accepted") : planned.error().message;
  };
  EXPECT_THAT(refusal("ztunnel", "1.29.9"),
              HasSubstr("ztunnel (Helm release ztunnel) runs 1.29.9, and the new control plane "
                        "would be more than one minor ahead of it"));
  EXPECT_THAT(refusal("cni", "1.32.0"),
              HasSubstr("istio-cni (Helm release istio-cni) runs 1.32.0, ahead of it"));
  EXPECT_THAT(refusal("ztunnel", "1.31.5"), HasSubstr("runs 1.31.5, ahead of it"));
  EXPECT_EQ(refusal("ztunnel", "1.30.0"), "accepted");
  EXPECT_EQ(refusal("cni", "1.31.4"), "accepted");
}

TEST(AmbientPlan, WaypointsMoveWithTheirNamespaceOrTagOthersAreNamed) {
  auto plan = ambient_plan();
  Layout layout;
  layout.waypoints = {{"shop", "waypoint", ""},
                      {"pay", "pay-waypoint", "prod-stable"},
                      {"legacy", "waypoint", "canary"}};
  ASSERT_TRUE(plan_ambient(plan, layout, nullptr).ok());
  EXPECT_THAT(plan.ambient.waypoints, ElementsAre("shop/waypoint", "pay/pay-waypoint"));
  EXPECT_THAT(plan.warnings, ElementsAre(HasSubstr("waypoint legacy/waypoint does not move")));
}

TEST(AmbientPlan, ADaemonSetRollsOutAsKubectlRolloutStatusJudges) {
  const auto daemon_set = [](int generation, int observed, int desired, int updated,
                             int available) {
    return json{{"metadata", {{"generation", generation}}},
                {"status",
                 {{"observedGeneration", observed},
                  {"desiredNumberScheduled", desired},
                  {"updatedNumberScheduled", updated},
                  {"numberAvailable", available}}}};
  };
  EXPECT_EQ(daemon_set_pending(daemon_set(3, 2, 2, 2, 2)),
            "its new specification is not observed yet");
  EXPECT_EQ(daemon_set_pending(daemon_set(3, 3, 3, 1, 3)), "1 of 3 new pods have been updated");
  EXPECT_EQ(daemon_set_pending(daemon_set(3, 3, 3, 3, 2)), "2 of 3 updated pods are available");
  EXPECT_EQ(daemon_set_pending(daemon_set(3, 3, 3, 3, 3)), std::nullopt);
}

TEST(AmbientPlan, WaypointsAndZtunnelNameTheirRevisionInAnAnnotation) {
  const json waypoint{
      {"metadata",
       {{"name", "waypoint-abc"},
        {"namespace", "shop"},
        {"labels",
         {{"gateway.istio.io/managed", "istio.io-mesh-controller"},
          {"istio.io/rev", "prod-stable"}}},
        {"annotations", {{"istio.io/rev", "1-31-4"}}}}},
      {"spec",
       {{"containers",
         json::array({{{"name", "istio-proxy"}, {"image", "docker.io/istio/proxyv2:1.31.4"}}})}}}};
  EXPECT_EQ(mesh::proxy_of(waypoint)->revision, "1-31-4") << "the label names the Gateway's tag";
  json ztunnel = waypoint;
  ztunnel["metadata"]["labels"] = {{"app", "ztunnel"}};
  EXPECT_EQ(mesh::proxy_of(ztunnel)->revision, "1-31-4");
  ztunnel["metadata"].erase("annotations");
  EXPECT_EQ(mesh::proxy_of(ztunnel)->revision, "default");
}

TEST(AmbientPlan, TheRecordKeepsTheNodesItCordoned) {
  Record record;
  record.plan = ambient_plan();
  record.cordoned_nodes = {"node-a"};
  auto read = record_from_json(json::parse(to_json(record).dump()));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_THAT(read->cordoned_nodes, ElementsAre("node-a"));
  auto edited = json::parse(to_json(record).dump());
  edited["cordoned_nodes"] = {"../namespaces/kube-system"};
  auto refused = record_from_json(edited);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("cordoned_nodes names no node"));
}

}  // namespace
}  // namespace getmesh::upgrade
