// getmesh upgrade of Helm-installed sidecar meshes, against the test API server (with its workload
// controller), the test helm (tests/servers/fake_helm.py), the test istioctl and a chart
// repository served by nginx (tests/support/helm_mesh).
#include "support/helm_mesh.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::testing {
// Named, not anonymous: a unity build compiles it with upgrade_test.cpp, which has its own kOld.
namespace helm_upgrade {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kOld = "1.30.8";

class HelmUpgrade : public HelmMeshTest {
 protected:
  // The cluster's namespaces and workloads, then the mesh installed with the test helm:
  // istio-base, istiod (with `istiod_values`) and the gateway istio-ingress (`gateway_values`).
  void serve(json objects, const json& istiod_values, const std::string& istiod_release,
             const json& gateway_values) {
    start_cluster(std::move(objects));
    install("istio-base", "base", kOld, "istio-system", json::object());
    install(istiod_release, "istiod", kOld, "istio-system", istiod_values);
    install("istio-ingress", "gateway", kOld, "istio-ingress", gateway_values);
    wait_for_proxies(2);
    helm_calls();
  }
};

// A mesh installed without revisions: release istiod serves "default", namespaces use
// istio-injection=enabled, the gateway names the default revision.
json label_mesh() {
  json objects = json::array({namespace_object("istio-system"), namespace_object("istio-ingress"),
                              labelled_namespace("shop", {{"istio-injection", "enabled"}})});
  append(objects, injected_workload("shop", "web", "default", kOld));
  return objects;
}

// A mesh on revision 1-30-8 (release istiod-1-30-8) whose namespace uses the tag prod-stable;
// the gateway follows the tag.
json tag_mesh() {
  json objects = json::array({namespace_object("istio-system"), namespace_object("istio-ingress"),
                              labelled_namespace("shop", {{"istio.io/rev", "prod-stable"}})});
  objects.push_back(tag_webhook("prod-stable", "1-30-8"));
  append(objects, injected_workload("shop", "web", "1-30-8", kOld));
  return objects;
}

const json kIstiodValues = {{"pilot", {{"resources", {{"requests", {{"cpu", "200m"}}}}}}},
                            {"global", {{"tag", kOld}}}};

TEST_F(HelmUpgrade, PlanSpellsOutEachHelmCommand) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--dry-run", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto plan = json::parse(result.out);
  EXPECT_EQ(plan["installer"], "helm");
  EXPECT_EQ(plan["helm"]["control_plane"]["name"], "istiod");
  EXPECT_EQ(plan["helm"]["new_release"], "istiod-1-31-4");
  EXPECT_EQ(plan["helm"]["new_values"],
            json({{"pilot", {{"resources", {{"requests", {{"cpu", "200m"}}}}}}},
                  {"global", json::object()},
                  {"revision", "1-31-4"}}));
  EXPECT_EQ(plan["helm"]["dropped"], json({"global.tag"}));
  std::vector<std::string> ids;
  for (const auto& step : plan["steps"]) ids.push_back(step["id"]);
  EXPECT_THAT(ids, ElementsAre("fetch", "install", "verify-control-plane", "move", "restart",
                               "verify-proxies", "gateways", "remove-old"));
  const std::string bound = " --kubeconfig " + kubeconfig_ + " --kube-context prod";
  EXPECT_EQ(plan["steps"][1]["actions"][0],
            "helm upgrade istio-base base-1.31.4.tgz -n istio-system -f "
            "helm-values-istio-base.json" +
                bound + "  (CRDs and the base chart first, with the release's values)");
  EXPECT_EQ(plan["steps"][1]["actions"][2],
            "helm upgrade istiod-1-31-4 istiod-1.31.4.tgz -n istio-system --install -f "
            "helm-values-istiod-1-31-4.json" +
                bound);
  EXPECT_EQ(plan["steps"][6]["actions"][0],
            "helm upgrade istio-ingress gateway-1.31.4.tgz -n istio-ingress -f "
            "helm-values-istio-ingress.json" +
                bound + "  (istio-ingress: revision default → 1-31-4)");
  EXPECT_EQ(plan["steps"][7]["actions"][1],
            "helm uninstall istiod -n istio-system" + bound + "  (the old release only)");
  EXPECT_THAT(getmesh_writes(), IsEmpty());
  EXPECT_THAT(helm_calls(), ElementsAre("helm version --template {{.Version}}",
                                        "helm list --all-namespaces -o json",
                                        "helm get values istio-ingress -n istio-ingress -o json",
                                        "helm get values istio-base -n istio-system -o json",
                                        "helm get values istiod -n istio-system -o json"));
}

TEST_F(HelmUpgrade, UpgradesASidecarMeshByLabelsThenFinishRemovesTheOldRelease) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("[7/8] upgrade the gateways in place\n"
                                    "      gateway istio-ingress/istio-ingress upgraded\n"));
  EXPECT_THAT(
      helm_calls(),
      ElementsAre("helm version --template {{.Version}}", "helm list --all-namespaces -o json",
                  "helm get values istio-ingress -n istio-ingress -o json",
                  "helm get values istio-base -n istio-system -o json",
                  "helm get values istiod -n istio-system -o json",
                  "helm template istiod-1-31-4 istiod-1.31.4.tgz -n istio-system -f "
                  "helm-values-istiod-1-31-4.json",
                  "helm upgrade istio-base base-1.31.4.tgz -n istio-system -f "
                  "helm-values-istio-base.json",
                  "helm upgrade istiod-1-31-4 istiod-1.31.4.tgz -n istio-system --install "
                  "-f helm-values-istiod-1-31-4.json",
                  "helm upgrade istio-ingress gateway-1.31.4.tgz -n istio-ingress -f "
                  "helm-values-istio-ingress.json"));
  EXPECT_EQ(labels_of("shop"), json({{"istio.io/rev", "1-31-4"}}));
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-31-4/1.31.4", "shop/1-31-4/1.31.4"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-31-4", "default"));
  EXPECT_THAT(releases(),
              ElementsAre("istio-base v2", "istio-ingress v2", "istiod v1", "istiod-1-31-4 v1"));
  EXPECT_EQ(record()["phase"], "moved");

  result = getmesh({"upgrade", "finish", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(helm_calls(), ElementsAre("helm version --template {{.Version}}",
                                        "helm uninstall istiod -n istio-system"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-31-4"));
  EXPECT_THAT(releases(), ElementsAre("istio-base v2", "istio-ingress v2", "istiod-1-31-4 v1"));
  EXPECT_EQ(record()["phase"], "finished");
}

TEST_F(HelmUpgrade, MovesRevisionTagsTheHelmWayAndRollsBackOnlyWhatItDid) {
  json values = kIstiodValues;
  values["revision"] = "1-30-8";
  serve(tag_mesh(), values, "istiod-1-30-8", {{"revision", "prod-stable"}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(helm_calls(), Contains("helm template istiod-1-30-8 istiod-1.31.4.tgz -s "
                                     "templates/revision-tags-mwc.yaml -n istio-system --set "
                                     "revisionTags={prod-stable} --set revision=1-31-4"));
  EXPECT_EQ(tag_revision("prod-stable"), "1-31-4");
  EXPECT_EQ(labels_of("shop"), json({{"istio.io/rev", "prod-stable"}})) << "tags move, labels stay";
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-31-4/1.31.4", "shop/1-31-4/1.31.4"));

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  const auto calls = helm_calls();
  EXPECT_THAT(calls, Contains("helm rollback istio-ingress 1 -n istio-ingress"));
  EXPECT_THAT(calls, Contains("helm uninstall istiod-1-31-4 -n istio-system"));
  EXPECT_THAT(calls, Not(Contains(HasSubstr("uninstall istiod-1-30-8"))));
  EXPECT_EQ(tag_revision("prod-stable"), "1-30-8");
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-30-8/1.30.8", "shop/1-30-8/1.30.8"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-8"));
  EXPECT_EQ(record()["phase"], "rolled-back");
}

TEST_F(HelmUpgrade, AFailedStepResumesAndRollsBack) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"},
                        {{"FAKE_HELM_FAIL_ON", "upgrade istiod-1-31-4"}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("step 2 (install) failed: helm upgrade istiod-1-31-4"));
  EXPECT_EQ(record()["phase"], "failed");
  EXPECT_THAT(istiod_revisions(), ElementsAre("default"));
  helm_calls();

  result = getmesh({"upgrade", "--yes", "--timeout", "10s"},
                   {{"FAKE_HELM_FAIL_ON", "upgrade istio-ingress"}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("step 7 (gateways) failed"));
  EXPECT_THAT(proxies(), Contains("shop/1-31-4/1.31.4"));

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  const auto calls = helm_calls();
  EXPECT_THAT(calls, Not(Contains(HasSubstr("helm rollback")))) << "the gateway was never upgraded";
  EXPECT_THAT(calls, Contains("helm uninstall istiod-1-31-4 -n istio-system"));
  EXPECT_EQ(labels_of("shop"), json({{"istio-injection", "enabled"}}));
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/default/1.30.8", "shop/default/1.30.8"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("default"));
  EXPECT_THAT(releases(), ElementsAre("istio-base v3", "istio-ingress v1", "istiod v1"))
      << "base was upgraded by both runs of step 2 and stays";
}

TEST_F(HelmUpgrade, RefusesATamperedChartBeforeAnyChange) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  ASSERT_TRUE(
      write_file_atomic(fake.root() / "charts" / "istiod-1.31.4.tgz", "tampered chart").ok());
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("step 1 (fetch) failed: the chart archive " +
                                    nginx_->url("istiod-1.31.4.tgz") + " has SHA-256 "));
  EXPECT_THAT(result.err,
              HasSubstr("but the repository index " + nginx_->url("index.yaml") + " says "));
  for (const auto& call : helm_calls()) EXPECT_THAT(call, Not(HasSubstr("helm upgrade")));
  EXPECT_THAT(istiod_revisions(), ElementsAre("default"));
}

TEST_F(HelmUpgrade, RefusesValuesThatDoNotRenderBeforeAnyChange) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  auto result =
      getmesh({"upgrade", "--to", "1.31", "--yes"}, {{"FAKE_HELM_REJECT_VALUE", "pilot"}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("the values of Helm release istiod do not render with istiod "
                                    "1.31.4"));
  EXPECT_THAT(result.err, HasSubstr("Additional property pilot is not allowed"));
  for (const auto& call : helm_calls()) EXPECT_THAT(call, Not(HasSubstr("helm upgrade")));
}

TEST_F(HelmUpgrade, RefusesAMissingOrOldHelm) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes"}, {{"PATH", "/usr/bin:/bin"}});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(
      result.err,
      HasSubstr("error: this control plane is installed with Helm, and no helm is on PATH"));
  EXPECT_THAT(result.err, HasSubstr("--helm PATH"));

  result = getmesh({"upgrade", "--to", "1.31", "--yes"}, {{"FAKE_HELM_VERSION", "v2.17.0"}});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr("is Helm 2.17.0; getmesh drives Helm 3.x only"));
  EXPECT_THAT(getmesh_writes(), IsEmpty());
}

}  // namespace helm_upgrade
}  // namespace getmesh::testing
