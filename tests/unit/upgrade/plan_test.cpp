#include <getmesh/upgrade/plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const manifest::Manifest& plan_catalogue() {
  static const auto manifest = *manifest::parse(R"({
    "default_flavor": "istio",
    "istio_distributions": [
      {"version": "1.31.4", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.31.4", "flavor": "tetrate", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.30.9", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.30.8", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32"]}
    ]})",
                                                "test");
  return manifest;
}

json ns(const std::string& name, const json& labels) {
  return {{"metadata", {{"name", name}, {"labels", labels}}}};
}

json webhook(const std::string& name, const json& labels) {
  return {{"metadata", {{"name", name}, {"labels", labels}}}};
}

json deployment(const std::string& ns_name, const std::string& name) {
  return {{"metadata", {{"name", name}, {"namespace", ns_name}}},
          {"spec", {{"selector", {{"matchLabels", {{"app", name}}}}}}}};
}

json pod(const std::string& ns_name, const std::string& name, const std::string& app,
         const std::string& revision, const std::string& version) {
  return {{"metadata",
           {{"name", name},
            {"namespace", ns_name},
            {"labels", {{"app", app}, {"istio.io/rev", revision}}}}},
          {"spec",
           {{"containers",
             {{{"name", "app"}, {"image", "nginx"}},
              {{"name", "istio-proxy"}, {"image", "docker.io/istio/proxyv2:" + version}}}}}},
          {"status", {{"phase", "Running"}}}};
}

mesh::MeshState plan_cluster(const std::string& revision) {
  mesh::MeshState state;
  state.kubernetes = {"v1.32.1", 1, 32};
  state.istio_namespace = "istio-system";
  mesh::ControlPlane plane;
  plane.revision = revision;
  plane.version = *DistributionName::parse("1.30.8-istio-v0");
  plane.version_text = "1.30.8-istio-v0";
  plane.pods = 1;
  state.control_planes = {plane};
  return state;
}

// A mesh on revision 1-30-8: tag prod → shop, default tag → pay (istio-injection), legacy names
// the revision, batch is not injected but runs an old proxy, off has injection disabled.
Layout tagged_layout() {
  Layout layout;
  layout.tags = tags_from(
      {webhook("istio-revision-tag-prod", {{"istio.io/tag", "prod"}, {"istio.io/rev", "1-30-8"}}),
       webhook("istio-revision-tag-default", {{"istio.io/rev", "1-30-8"}}),
       webhook("istio-sidecar-injector-1-30-8", {{"istio.io/rev", "1-30-8"}})});
  layout.namespaces = injection_of(
      {ns("shop", {{"istio.io/rev", "prod"}}), ns("pay", {{"istio-injection", "enabled"}}),
       ns("legacy", {{"istio.io/rev", "1-30-8"}}), ns("batch", json::object()),
       ns("off", {{"istio-injection", "disabled"}, {"istio.io/rev", "1-30-8"}})},
      layout.tags, "1-30-8");
  layout.workloads = workloads_from(
      {deployment("shop", "web"), deployment("pay", "api"), deployment("legacy", "idle")},
      "Deployment");
  layout.pods = {pod("shop", "web-1", "web", "1-30-8", "1.30.8"),
                 pod("pay", "api-1", "api", "1-30-8", "1.30.8"),
                 pod("pay", "debug", "none", "1-30-8", "1.30.8"),
                 pod("batch", "job-1", "job", "1-30-8", "1.30.8")};
  layout.installed_states = {{"installed-state-1-30-8", "1-30-8",
                              json{{"profile", "minimal"},
                                   {"revision", "1-30-8"},
                                   {"tag", "1.30.8"},
                                   {"hub", "registry.corp/istio"},
                                   {"values", {{"global", {{"tag", "1.30.8"}}}}}}}};
  return layout;
}

PlanRequest request(const std::string& to = "") {
  PlanRequest request;
  request.context = "prod";
  request.target.to = to;
  return request;
}

const FileReader kNoFiles = [](const std::string&) -> std::optional<std::string> {
  return std::nullopt;
};

TEST(UpgradeLayout, TagsAndInjectionAreResolved) {
  const auto layout = tagged_layout();
  ASSERT_EQ(layout.tags.size(), 2u) << "the revision's own injector is no tag";
  EXPECT_EQ(layout.tags[0].tag, "default");
  EXPECT_EQ(layout.tags[1].tag, "prod");
  std::vector<std::string> seen;
  for (const auto& entry : layout.namespaces) {
    seen.push_back(entry.name + ":" + entry.label + "=" + entry.value + ":" + entry.tag + ":" +
                   entry.revision);
  }
  EXPECT_THAT(seen, ElementsAre("batch:=::", "legacy:istio.io/rev=1-30-8::1-30-8",
                                "off:=::", "pay:istio-injection=enabled:default:1-30-8",
                                "shop:istio.io/rev=prod:prod:1-30-8"));
  // Without a default tag, istio-injection=enabled belongs to the default revision.
  const auto plain = injection_of({ns("pay", {{"istio-injection", "enabled"}})}, {}, "default");
  EXPECT_EQ(plain[0].revision, "default");
  EXPECT_EQ(plain[0].tag, "");
}

TEST(UpgradePlan, RevisionTagMesh) {
  auto planned = make_plan(plan_cluster("1-30-8"), tagged_layout(), plan_catalogue(), {2026, 9, 1},
                           request("1.31"), kNoFiles);
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  ASSERT_TRUE(planned->plan);
  const auto& plan = *planned->plan;
  EXPECT_EQ(plan.target.revision, "1-31-4");
  ASSERT_EQ(plan.tags.size(), 2u);
  EXPECT_EQ(plan.tags[1].tag, "prod");
  std::vector<std::string> moves;
  for (const auto& move : plan.namespaces) {
    moves.push_back(move.name + ":" + (move.relabelled() ? "relabel" : "tag " + move.tag) + ":" +
                    std::to_string(move.workloads.size()) + ":" +
                    std::to_string(move.bare_pods.size()));
  }
  EXPECT_THAT(moves, ElementsAre("legacy:relabel:0:0", "pay:tag default:1:1", "shop:tag prod:1:0"));
  EXPECT_THAT(plan.unmoved_proxies, ElementsAre("batch/job-1"));
  EXPECT_THAT(plan.warnings,
              ElementsAre(HasSubstr("1 proxy of revision 1-30-8 runs outside the namespaces that "
                                    "move (batch/job-1)"),
                          HasSubstr("namespace pay: debug belongs to no Deployment"),
                          HasSubstr("spec.tag, spec.values.global.tag, spec.revision")));
  EXPECT_EQ(plan.install.profile, "minimal");
  EXPECT_EQ(plan.install.spec, (json{{"profile", "minimal"},
                                     {"hub", "registry.corp/istio"},
                                     {"values", {{"global", json::object()}}}}))
      << "tag and revision belong to the old build; a private hub stays";
  EXPECT_EQ(plan.install.hub, "");
}

TEST(UpgradePlan, WorkloadsOnAnotherRevisionAreLeftAlone) {
  auto layout = tagged_layout();
  // In shop (which moves): canary runs a third revision, mixed has one proxy on the source.
  auto more =
      workloads_from({deployment("shop", "canary"), deployment("shop", "mixed")}, "Deployment");
  layout.workloads.insert(layout.workloads.end(), more.begin(), more.end());
  layout.pods.push_back(pod("shop", "canary-1", "canary", "1-29-0", "1.29.0"));
  layout.pods.push_back(pod("shop", "mixed-1", "mixed", "1-29-0", "1.29.0"));
  layout.pods.push_back(pod("shop", "mixed-2", "mixed", "1-30-8", "1.30.8"));
  auto planned = make_plan(plan_cluster("1-30-8"), layout, plan_catalogue(), {2026, 9, 1},
                           request("1.31"), kNoFiles);
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  const auto& plan = *planned->plan;
  const auto shop = std::find_if(plan.namespaces.begin(), plan.namespaces.end(),
                                 [](const NamespaceMove& move) { return move.name == "shop"; });
  ASSERT_NE(shop, plan.namespaces.end());
  EXPECT_THAT(shop->workloads, ElementsAre("Deployment/web", "Deployment/mixed"));
  EXPECT_THAT(shop->left_alone, ElementsAre("Deployment/canary (revision 1-29-0)"));
  EXPECT_THAT(shop->bare_pods, ::testing::IsEmpty());
  const auto steps = steps_of(plan);
  EXPECT_THAT(steps[4].actions, ::testing::Contains("left alone, their proxies are not on 1-30-8: "
                                                    "shop/Deployment/canary (revision 1-29-0)"));
  const auto document = to_json(plan);
  EXPECT_EQ(document["namespaces"][2]["left_alone"], json({"Deployment/canary (revision 1-29-0)"}));
  auto back = plan_from_json(json::parse(document.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->namespaces[2].left_alone, shop->left_alone);
}

TEST(UpgradePlan, AFlavorChangeDropsTheHubAndTheDefaultHubFillsIn) {
  auto with_hub = request("1.31.4");
  with_hub.target.flavor = "tetrate";
  with_hub.default_hub = "mirror.corp/tetrate";
  auto planned = make_plan(plan_cluster("1-30-8"), tagged_layout(), plan_catalogue(), {2026, 9, 1},
                           with_hub, kNoFiles);
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  EXPECT_FALSE(planned->plan->install.spec.contains("hub"));
  EXPECT_EQ(planned->plan->install.hub, "mirror.corp/tetrate");
  // A hub chosen by --set wins over the default hub.
  with_hub.sets = {"hub=other.corp/istio"};
  planned = make_plan(plan_cluster("1-30-8"), tagged_layout(), plan_catalogue(), {2026, 9, 1},
                      with_hub, kNoFiles);
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(planned->plan->install.hub, "");
}

TEST(UpgradePlan, WithoutAnInstalledStateTheConfigurationIsMissing) {
  auto layout = tagged_layout();
  layout.installed_states.clear();
  auto planned = make_plan(plan_cluster("1-30-8"), layout, plan_catalogue(), {2026, 9, 1},
                           request("1.31"), kNoFiles);
  ASSERT_TRUE(planned.ok());
  EXPECT_FALSE(planned->plan->install.complete());
  const auto steps = steps_of(*planned->plan);
  EXPECT_THAT(steps[1].actions[0], HasSubstr("configuration MISSING"));
  auto with_file = request("1.31");
  with_file.files = {"operator.yaml"};
  planned = make_plan(plan_cluster("1-30-8"), layout, plan_catalogue(), {2026, 9, 1}, with_file,
                      kNoFiles);
  ASSERT_TRUE(planned.ok());
  EXPECT_TRUE(planned->plan->install.complete());
  EXPECT_EQ(steps_of(*planned->plan)[1].actions.back(),
            "istioctl install -y --revision 1-31-4 -f operator.yaml");
}

TEST(UpgradePlan, NothingToDo) {
  auto planned = make_plan(plan_cluster("1-30-8"), tagged_layout(), plan_catalogue(), {2026, 9, 1},
                           request("1.30.8"), kNoFiles);
  ASSERT_TRUE(planned.ok());
  EXPECT_FALSE(planned->plan);
  EXPECT_EQ(planned->nothing_to_do, "control plane 1-30-8 already runs 1.30.8-istio-v0");
}

TEST(UpgradePlan, BatchesAndStepsInOrder) {
  auto with_batch = request("1.31");
  with_batch.batch_size = 2;
  auto layout = tagged_layout();
  layout.ztunnel_pods = 3;
  layout.waypoints = {{"shop", "waypoint", ""}};
  auto planned = make_plan(plan_cluster("1-30-8"), layout, plan_catalogue(), {2026, 9, 1},
                           with_batch, kNoFiles);
  ASSERT_TRUE(planned.ok());
  const auto& plan = *planned->plan;
  EXPECT_EQ(plan.batches(), (std::vector<std::vector<std::string>>{{"legacy", "pay"}, {"shop"}}));
  std::vector<std::string> keys;
  for (const auto& step : steps_of(plan)) keys.push_back(step.key + (step.manual ? "*" : ""));
  EXPECT_THAT(keys, ElementsAre("fetch", "install", "verify-control-plane", "ambient-cni*",
                                "ambient-ztunnel*", "move", "restart", "verify-proxies",
                                "ambient-waypoints*", "remove-old"));
  EXPECT_THAT(steps_of(plan)[8].actions[0],
              HasSubstr("kubectl rollout restart deployment/waypoint -n shop"));
}

TEST(UpgradePlan, ZtunnelDrainIsRecordedForAmbientMeshesAndAUsageErrorElsewhere) {
  auto drain = request("1.31");
  drain.ztunnel_drain = true;
  auto refused = make_plan(plan_cluster("1-30-8"), tagged_layout(), plan_catalogue(), {2026, 9, 1},
                           drain, kNoFiles);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUsage);
  EXPECT_THAT(refused.error().message, HasSubstr("--ztunnel-drain: this mesh runs no ztunnel"));
  auto layout = tagged_layout();
  layout.ztunnel_pods = 2;
  auto planned =
      make_plan(plan_cluster("1-30-8"), layout, plan_catalogue(), {2026, 9, 1}, drain, kNoFiles);
  ASSERT_TRUE(planned.ok());
  EXPECT_TRUE(planned->plan->ambient.drain_nodes);
  auto read = plan_from_json(json::parse(to_json(*planned->plan).dump()));
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->ambient.drain_nodes) << "a resume keeps it";
}

TEST(UpgradePlan, JsonRoundTrip) {
  auto planned = make_plan(plan_cluster("1-30-8"), tagged_layout(), plan_catalogue(), {2026, 9, 1},
                           request("1.31"), kNoFiles);
  ASSERT_TRUE(planned.ok());
  const auto document = to_json(*planned->plan);
  EXPECT_EQ(document["steps"][0]["number"], 1);
  auto back = plan_from_json(json::parse(document.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_json(*back), document);

  auto broken = json::parse(document.dump());
  broken["target"]["version"] = "one";
  EXPECT_THAT(plan_from_json(broken).error().message, HasSubstr("target.version"));
  broken = json::parse(document.dump());
  broken["remove_old"] = "yes";
  EXPECT_THAT(plan_from_json(broken).error().message, HasSubstr("wrong type"));
  EXPECT_FALSE(plan_from_json(json::array()).ok());
}

}  // namespace
}  // namespace getmesh::upgrade
