// getmesh upgrade of ambient meshes installed with Helm (Istio's ambient Helm upgrade): istio-cni
// and ztunnel upgraded in place after the new control plane, ztunnel node by node with
// --ztunnel-drain, the waypoints moved by their tag; against the test API server (its workload and
// DaemonSet controller, Nodes, the Eviction API), the test helm and a chart repository.
#include "support/helm_mesh.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/fs.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <csignal>
#include <functional>
#include <future>
#include <thread>
#include <tuple>

namespace getmesh::testing {
namespace ambient_upgrade {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

json node(const std::string& name, bool cordoned) {
  json object{{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", name}}}};
  object["spec"] = cordoned ? json{{"unschedulable", true}} : json::object();
  return object;
}

json deployment(const std::string& name, int replicas, const json& labels, const json& container) {
  json template_labels = labels;
  template_labels["app"] = name;
  json object{{"apiVersion", "apps/v1"}, {"kind", "Deployment"}};
  object["metadata"] = {{"name", name}, {"namespace", "shop"}, {"labels", labels}};
  object["spec"] = {{"replicas", replicas},
                    {"selector", {{"matchLabels", {{"app", name}}}}},
                    {"template",
                     {{"metadata", {{"labels", template_labels}}},
                      {"spec", {{"containers", json::array({container})}}}}}};
  return object;
}

class AmbientUpgrade : public HelmMeshTest {
 protected:
  // Namespace shop in ambient mode on the tag prod-stable (revision 1-30-8), nodes node-a and
  // node-b (cordoned by its operator when `node_b_cordoned`), and the mesh installed with Helm:
  // istio-base, istiod-1-30-8, istio-cni, ztunnel (bound to 1-30-8) and the gateway istio-ingress
  // on the tag; then the app web (2 pods) and the waypoint of shop.
  void serve(bool node_b_cordoned = false, const std::string& ztunnel_version = kFrom) {
    json objects = json::array({namespace_object("istio-system"), namespace_object("istio-ingress"),
                                labelled_namespace("shop", {{"istio.io/dataplane-mode", "ambient"},
                                                            {"istio.io/rev", "prod-stable"}}),
                                tag_webhook("prod-stable", "1-30-8"), node("node-a", false),
                                node("node-b", node_b_cordoned)});
    start_cluster(std::move(objects));
    install("istio-base", "base", kFrom, "istio-system", json::object());
    install("istiod-1-30-8", "istiod", kFrom, "istio-system",
            {{"revision", "1-30-8"}, {"profile", "ambient"}, {"global", {{"tag", kFrom}}}});
    install("istio-cni", "cni", kFrom, "istio-system", {{"profile", "ambient"}});
    install("ztunnel", "ztunnel", ztunnel_version, "istio-system", {{"revision", "1-30-8"}});
    install("istio-ingress", "gateway", kFrom, "istio-ingress", {{"revision", "prod-stable"}});
    const auto deployments = kube::resource_path("apps/v1", "deployments", "shop");
    ASSERT_TRUE(client_
                    ->create(deployments, deployment("web", 2, json::object(),
                                                     {{"name", "app"},
                                                      {"image", "docker.io/library/nginx:1.27"}}))
                    .ok());
    ASSERT_TRUE(client_
                    ->create(deployments,
                             deployment("waypoint", 1,
                                        {{"gateway.istio.io/managed", "istio.io-mesh-controller"},
                                         {"sidecar.istio.io/inject", "false"}},
                                        {{"name", "istio-proxy"}, {"image", "auto"}}))
                    .ok());
    wait_for_proxies(4);  // ztunnel on both nodes, the gateway, the waypoint
    ASSERT_EQ(proxies().size(), 4U) << ::testing::PrintToString(proxies());
    helm_calls();
    forget_requests();
  }

  // The images of a DaemonSet's pods, sorted.
  std::vector<std::string> daemon_set_images(const std::string& selector) {
    kube::ListOptions options;
    options.label_selector = selector;
    std::vector<std::string> images;
    const auto pods = client_->list(kube::resource_path("", "pods", "istio-system"), options);
    for (const auto& pod : *pods) {
      images.push_back(pod["spec"]["containers"][0]["image"]);
    }
    std::sort(images.begin(), images.end());
    return images;
  }

  bool cordoned(const std::string& name) {
    return get(kube::resource_path("", "nodes", {}, name))["spec"].value("unschedulable", false);
  }

  // "<node>: <pods>" of the app's pods.
  std::vector<std::string> web_nodes() {
    std::vector<std::string> nodes;
    kube::ListOptions options;
    options.label_selector = "app=web";
    const auto pods = client_->list(kube::resource_path("", "pods", "shop"), options);
    for (const auto& pod : *pods) {
      nodes.push_back(pod["spec"].value("nodeName", "?"));
    }
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  }

  // getmesh's node, eviction and ztunnel pod writes, in order, names shortened to their kind.
  std::vector<std::string> drain_writes() {
    std::vector<std::string> found;
    for (const auto& write : getmesh_writes()) {
      if (write.find("/nodes/") != std::string::npos) found.push_back(write);
      if (write.ends_with("/eviction"))
        found.push_back("evict " + write.substr(write.find("/pods/") + 6, 3));
      if (write.starts_with("DELETE") && write.find("/pods/ztunnel-") != std::string::npos)
        found.push_back("delete ztunnel");
    }
    return found;
  }

  // A PodDisruptionBudget that lets no pod of web go (its evictions are refused with 429).
  void block_evictions() {
    ASSERT_TRUE(
        client_
            ->create(kube::resource_path("policy/v1", "poddisruptionbudgets", "shop"),
                     {{"apiVersion", "policy/v1"},
                      {"kind", "PodDisruptionBudget"},
                      {"metadata", {{"name", "web"}, {"namespace", "shop"}}},
                      {"spec",
                       {{"maxUnavailable", 0}, {"selector", {{"matchLabels", {{"app", "web"}}}}}}}})
            .ok());
  }

  // An admission webhook that denies every change of node-a (its uncordon too).
  void guard_node_a() {
    ASSERT_TRUE(
        client_
            ->patch(kube::resource_path("", "nodes", {}, "node-a"),
                    {{"metadata", {{"annotations", {{"test.getmesh.io/deny-writes", "guard"}}}}}},
                    kube::PatchType::kMerge)
            .ok());
  }

  void allow_evictions() {
    ASSERT_TRUE(
        client_->remove(kube::resource_path("policy/v1", "poddisruptionbudgets", "shop", "web"))
            .ok());
  }

  // Runs getmesh in the background until node-a is cordoned, then calls `meanwhile` and sends
  // getmesh `signal` (none when 0).
  RunResult signalled_while_draining(
      std::vector<std::string> args, int signal, const std::function<void()>& meanwhile = [] {}) {
    auto run = std::async(std::launch::async, [this, args] { return getmesh(args); });
    bool waiting = false;
    for (int i = 0; i < 500 && !waiting; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      waiting = cordoned("node-a");
    }
    EXPECT_TRUE(waiting) << "node-a was never cordoned";
    meanwhile();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // into its eviction retries
    if (signal != 0) ::kill(static_cast<pid_t>(record()["holder"]["pid"].get<long>()), signal);
    return run.get();
  }
};

TEST_F(AmbientUpgrade, PlanSpellsOutTheAmbientHelmSteps) {
  serve();
  auto result = getmesh({"upgrade", "--to", "1.31", "--dry-run", "-o", "json", "--ztunnel-drain"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto plan = json::parse(result.out);
  std::vector<std::string> ids;
  for (const auto& step : plan["steps"]) {
    ids.push_back(step["id"]);
    EXPECT_FALSE(step["manual"].get<bool>()) << step["id"];
  }
  EXPECT_THAT(ids, ElementsAre("fetch", "install", "verify-control-plane", "ambient-cni",
                               "ambient-ztunnel", "move", "restart", "verify-proxies", "gateways",
                               "ambient-waypoints", "remove-old"));
  const std::string bound = " --kubeconfig " + kubeconfig_ + " --kube-context prod";
  EXPECT_EQ(plan["steps"][3]["actions"][0],
            "helm upgrade istio-cni cni-1.31.4.tgz -n istio-system -f "
            "helm-values-istio-cni.json" +
                bound + "  (the release's values)");
  EXPECT_EQ(
      plan["steps"][4]["actions"][0],
      "helm upgrade ztunnel ztunnel-1.31.4.tgz -n istio-system -f helm-values-ztunnel.json "
      "--set updateStrategy.type=OnDelete --set updateStrategy.rollingUpdate=null" +
          bound +
          "  (the release's values, revision=1-31-4; the new pods wait for their node's turn)");
  EXPECT_EQ(plan["helm"]["ztunnel"]["values"], json({{"revision", "1-31-4"}}));
  EXPECT_EQ(plan["ambient"]["waypoints"], json({"shop/waypoint"}));
  EXPECT_TRUE(plan["ambient"]["drain_nodes"].get<bool>());
  EXPECT_EQ(plan["problems"], json::array());
  EXPECT_THAT(getmesh_writes(), IsEmpty());
}

TEST_F(AmbientUpgrade, UpgradesCniZtunnelAndTheWaypointInIstiosOrderThenFinishes) {
  serve();
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  const auto calls = helm_calls();
  const auto at = [&](const std::string& call) {
    return std::find(calls.begin(), calls.end(), call) - calls.begin();
  };
  const auto istiod =
      at("helm upgrade istiod-1-31-4 istiod-1.31.4.tgz -n istio-system --install -f "
         "helm-values-istiod-1-31-4.json");
  const auto cni =
      at("helm upgrade istio-cni cni-1.31.4.tgz -n istio-system -f helm-values-istio-cni.json");
  const auto ztunnel =
      at("helm upgrade ztunnel ztunnel-1.31.4.tgz -n istio-system -f helm-values-ztunnel.json");
  const auto tag =
      at("helm template istiod-1-30-8 istiod-1.31.4.tgz -s templates/revision-tags-mwc.yaml "
         "-n istio-system --set revisionTags={prod-stable} --set revision=1-31-4");
  ASSERT_LT(tag, static_cast<long>(calls.size())) << ::testing::PrintToString(calls);
  EXPECT_THAT(calls, Not(Contains(HasSubstr("UNBOUND"))))
      << "every helm command names the cluster getmesh resolved";
  EXPECT_LT(istiod, cni);
  EXPECT_LT(cni, ztunnel);
  EXPECT_LT(ztunnel, tag);
  EXPECT_THAT(
      daemon_set_images("k8s-app=istio-cni-node"),
      ElementsAre("docker.io/istio/install-cni:1.31.4", "docker.io/istio/install-cni:1.31.4"));
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-31-4/1.31.4", "istio-system/1-31-4/1.31.4",
                                     "istio-system/1-31-4/1.31.4", "shop/1-31-4/1.31.4"))
      << "ztunnel on both nodes bound to the new revision, the gateway and the waypoint moved";
  EXPECT_EQ(tag_revision("prod-stable"), "1-31-4");
  EXPECT_EQ(record()["phase"], "moved");

  result = getmesh({"upgrade", "finish", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(helm_calls(), Contains("helm uninstall istiod-1-30-8 -n istio-system"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-31-4"));
  EXPECT_EQ(record()["phase"], "finished");
}

TEST_F(AmbientUpgrade, ZtunnelDrainReplacesNodeByNodeAndLeavesAnOperatorsCordonAlone) {
  serve(true);
  auto result =
      getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s", "--ztunnel-drain"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out,
              HasSubstr("node node-a: drained (6 pods evicted), ztunnel replaced, uncordoned"));
  EXPECT_THAT(result.out, HasSubstr("node node-b: drained (0 pods evicted), ztunnel replaced, left "
                                    "cordoned as it was"));
  EXPECT_THAT(drain_writes(),
              ElementsAre("PATCH /api/v1/nodes/node-a", "evict ist", "evict ist", "evict ist",
                          "evict way", "evict web", "evict web", "delete ztunnel",
                          "PATCH /api/v1/nodes/node-a", "delete ztunnel"))
      << "node-b, cordoned before, is neither cordoned nor uncordoned";
  const auto calls = helm_calls();
  EXPECT_THAT(calls, Contains("helm upgrade ztunnel ztunnel-1.31.4.tgz -n istio-system -f "
                              "helm-values-ztunnel.json --set updateStrategy.type=OnDelete --set "
                              "updateStrategy.rollingUpdate=null"));
  EXPECT_THAT(calls, Contains("helm upgrade ztunnel ztunnel-1.31.4.tgz -n istio-system -f "
                              "helm-values-ztunnel.json"));
  EXPECT_FALSE(cordoned("node-a"));
  EXPECT_TRUE(cordoned("node-b")) << "cordoned before the upgrade, so left so";
  EXPECT_THAT(web_nodes(), ElementsAre("node-a", "node-a"))
      << "evicted from node-a while it was cordoned, the pods came back there (node-b is cordoned)";
  const auto ztunnel = get(kube::resource_path("apps/v1", "daemonsets", "istio-system", "ztunnel"));
  EXPECT_EQ(ztunnel["spec"]["updateStrategy"]["type"], "RollingUpdate")
      << "the release's own strategy is back";
  EXPECT_EQ(ztunnel["metadata"]["generation"], 3) << "installed, upgraded, strategy put back";
  EXPECT_EQ(ztunnel["metadata"]["annotations"]["deprecated.daemonset.template.generation"], "2")
      << "the strategy is no part of the template";
  kube::ListOptions options;
  options.label_selector = "app=ztunnel";
  const auto pods = client_->list(kube::resource_path("", "pods", "istio-system"), options);
  ASSERT_TRUE(pods.ok());
  ASSERT_EQ(pods->size(), 2U);
  for (const auto& pod : *pods)
    EXPECT_EQ(pod["metadata"]["labels"]["pod-template-generation"], "2");
  EXPECT_THAT(proxies(), Contains("istio-system/1-31-4/1.31.4"));
  EXPECT_THAT(proxies(), Not(Contains(HasSubstr("1.30.8"))));
  EXPECT_EQ(record()["cordoned_nodes"], json::array());
}

TEST_F(AmbientUpgrade, ARefusedDrainStopsWithTheNodeUncordonedThenResumesAndRollsBack) {
  serve();
  block_evictions();
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "2s", "--ztunnel-drain"});
  ASSERT_EQ(result.exit_code, 3) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("stopped at a gate: node node-a was not drained within 2s"));
  EXPECT_THAT(result.err,
              HasSubstr("Cannot evict pod as it would violate the pod's disruption budget"));
  EXPECT_FALSE(cordoned("node-a")) << "restored when the step stopped";
  EXPECT_EQ(record()["cordoned_nodes"], json::array());
  EXPECT_EQ(record()["phase"], "stopped");

  allow_evictions();
  result = getmesh({"upgrade", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("node node-a: drained (2 pods evicted)"));
  EXPECT_FALSE(cordoned("node-a"));
  EXPECT_THAT(proxies(), Contains("istio-system/1-31-4/1.31.4"));
  helm_calls();

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  const auto calls = helm_calls();
  EXPECT_THAT(calls, Contains("helm rollback ztunnel 1 -n istio-system"));
  EXPECT_THAT(calls, Contains("helm rollback istio-cni 1 -n istio-system"));
  EXPECT_THAT(calls, Contains("helm uninstall istiod-1-31-4 -n istio-system"));
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-30-8/1.30.8", "istio-system/1-30-8/1.30.8",
                                     "istio-system/1-30-8/1.30.8", "shop/1-30-8/1.30.8"));
  EXPECT_THAT(
      daemon_set_images("k8s-app=istio-cni-node"),
      ElementsAre("docker.io/istio/install-cni:1.30.8", "docker.io/istio/install-cni:1.30.8"));
  EXPECT_EQ(tag_revision("prod-stable"), "1-30-8");
  EXPECT_EQ(record()["phase"], "rolled-back");
}

TEST_F(AmbientUpgrade, AFailedZtunnelUpgradeIsResumedFromItsStep) {
  serve();
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"},
                        {{"FAKE_HELM_FAIL_ON", "upgrade ztunnel"}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("step 5 (ambient-ztunnel) failed: helm upgrade ztunnel"));
  EXPECT_EQ(record()["phase"], "failed");
  EXPECT_THAT(record()["done"], Contains("ambient-cni"));

  result = getmesh({"upgrade", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out,
              HasSubstr("[4/11] upgrade the istio-cni node agent in place (Helm release "
                        "istio-cni)\n      done earlier"));
  EXPECT_THAT(proxies(), Contains("istio-system/1-31-4/1.31.4"));
}

TEST_F(AmbientUpgrade, AKilledDrainLeavesItsCordonInTheRecordForTheRollback) {
  serve();
  block_evictions();
  auto result = signalled_while_draining(
      {"upgrade", "--to", "1.31", "--yes", "--timeout", "60s", "--ztunnel-drain"}, SIGKILL);
  ASSERT_EQ(result.exit_code, 128 + SIGKILL) << result.err << result.out;
  EXPECT_TRUE(cordoned("node-a"));
  EXPECT_EQ(record()["cordoned_nodes"], json({"node-a"}));

  result = getmesh({"upgrade", "status"});
  EXPECT_THAT(result.out, HasSubstr("cordoned:  node-a (by this upgrade's --ztunnel-drain"));
  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("[1/9] uncordon the nodes this upgrade cordoned\n      node "
                                    "node-a uncordoned"));
  EXPECT_FALSE(cordoned("node-a"));
  EXPECT_EQ(record()["phase"], "rolled-back");
}

TEST_F(AmbientUpgrade, CtrlCDuringTheDrainUncordonsTheNodeBeforeExiting) {
  serve();
  block_evictions();
  auto result = signalled_while_draining(
      {"upgrade", "--to", "1.31", "--yes", "--timeout", "60s", "--ztunnel-drain"}, SIGINT);
  ASSERT_EQ(result.exit_code, 130) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("interrupted by Ctrl-C; the nodes this upgrade cordoned are "
                                    "uncordoned again"));
  EXPECT_FALSE(cordoned("node-a"));
  EXPECT_EQ(record()["cordoned_nodes"], json::array());
  EXPECT_EQ(record()["phase"], "failed");

  allow_evictions();
  result = getmesh({"upgrade", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_FALSE(cordoned("node-a"));
}

TEST_F(AmbientUpgrade, ASignalWhoseUncordonFailsSaysTheNodeStaysCordonedAndExits143) {
  serve();
  block_evictions();
  auto result = signalled_while_draining(
      {"upgrade", "--to", "1.31", "--yes", "--timeout", "60s", "--ztunnel-drain"}, SIGTERM,
      [this] { guard_node_a(); });
  ASSERT_EQ(result.exit_code, 128 + SIGTERM) << result.err << result.out;
  EXPECT_THAT(result.err,
              HasSubstr("error: step 5 (ambient-ztunnel) failed: interrupted (SIGTERM); the nodes "
                        "this upgrade cordoned (node-a) are still cordoned: uncordoning failed: "
                        "cannot patch nodes \"node-a\""));
  EXPECT_THAT(result.err, HasSubstr("admission webhook \"guard\" denied the request"));
  EXPECT_THAT(result.err, HasSubstr("hint: the next \"getmesh upgrade\" or \"getmesh upgrade "
                                    "rollback\" uncordons them (or \"kubectl uncordon <node>\")"));
  EXPECT_THAT(result.err, Not(HasSubstr("uncordoned again")));
  EXPECT_TRUE(cordoned("node-a"));
  EXPECT_EQ(record()["cordoned_nodes"], json({"node-a"}));
  EXPECT_EQ(record()["phase"], "failed");
}

TEST_F(AmbientUpgrade, AGateStopWhoseUncordonFailsNamesBothAndKeepsTheNodeInTheRecord) {
  serve();
  block_evictions();
  auto result = signalled_while_draining(
      {"upgrade", "--to", "1.31", "--yes", "--timeout", "2s", "--ztunnel-drain"}, 0,
      [this] { guard_node_a(); });
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("stopped at a gate: node node-a was not drained within 2s"));
  EXPECT_THAT(result.err, HasSubstr("; the nodes this upgrade cordoned (node-a) are still "
                                    "cordoned: uncordoning failed: cannot patch nodes \"node-a\""));
  EXPECT_TRUE(cordoned("node-a"));
  EXPECT_EQ(record()["cordoned_nodes"], json({"node-a"}));
}

TEST_F(AmbientUpgrade, ZtunnelDrainRefusesADaemonSetSelectingWithMatchExpressionsBeforeAnyChange) {
  serve();
  const auto path = kube::resource_path("apps/v1", "daemonsets", "istio-system", "ztunnel");
  ASSERT_TRUE(
      client_
          ->patch(path,
                  {{"spec",
                    {{"selector",
                      {{"matchExpressions",
                        {{{"key", "app"}, {"operator", "In"}, {"values", {"ztunnel"}}}}}}}}}},
                  kube::PatchType::kMerge)
          .ok());
  forget_requests();
  auto result =
      getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s", "--ztunnel-drain"});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err,
              HasSubstr("DaemonSet istio-system/ztunnel selects its pods with matchExpressions, "
                        "so --ztunnel-drain cannot tell its pods from the others on a node"));
  EXPECT_THAT(result.err, HasSubstr("hint: upgrade without --ztunnel-drain"));
  EXPECT_THAT(helm_calls(), Not(Contains(HasSubstr("helm upgrade"))));
  EXPECT_FALSE(cordoned("node-a"));
  EXPECT_THAT(drain_writes(), IsEmpty());
}

TEST_F(AmbientUpgrade, RefusesAZtunnelMoreThanOneMinorBehindTheNewControlPlane) {
  ASSERT_TRUE(write_file_atomic(fake.root() / "charts" / "ztunnel-1.29.5.tgz",
                                chart_archive("ztunnel", "1.29.5"))
                  .ok());
  serve(false, "1.29.5");
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes"});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(
      result.err,
      HasSubstr("error: refusing the upgrade to 1.31.4: ztunnel (Helm release ztunnel) runs "
                "1.29.5, and the new control plane would be more than one minor ahead of it"));
  EXPECT_THAT(result.err, HasSubstr("upgrade to 1.30 first (--to), then to 1.31"));
  EXPECT_THAT(getmesh_writes(), IsEmpty());
}

// A pod no controller manages would be lost for good by an eviction: the drain refuses it, as
// kubectl drain does without --force, and leaves the node as it found it.
TEST_F(AmbientUpgrade, ADrainRefusesAPodNoControllerManages) {
  serve();
  ASSERT_TRUE(
      client_
          ->create(kube::resource_path("", "pods", "shop"),
                   {{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata", {{"name", "debug"}, {"namespace", "shop"}}},
                    {"spec",
                     {{"nodeName", "node-a"},
                      {"containers", json::array({{{"name", "sh"}, {"image", "busybox"}}})}}}})
          .ok());
  auto result =
      getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s", "--ztunnel-drain"});
  EXPECT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("cannot drain node node-a: shop/debug is managed by no "
                                    "controller"));
  EXPECT_FALSE(cordoned("node-a"));
  EXPECT_EQ(record()["cordoned_nodes"], json::array());

  ASSERT_TRUE(client_->remove(kube::resource_path("", "pods", "shop", "debug")).ok());
  result = getmesh({"upgrade", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(proxies(), Contains("istio-system/1-31-4/1.31.4"));
}

// A ztunnel chart that does not take the OnDelete update strategy cannot be replaced node by
// node: --ztunnel-drain is refused before any change.
TEST_F(AmbientUpgrade, ADrainIsRefusedBeforeAnyChangeWhenTheChartCannotRenderOnDelete) {
  serve();
  const auto result =
      getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s", "--ztunnel-drain"},
              {{"FAKE_HELM_REJECT_VALUE", "updateStrategy"}});
  EXPECT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("helm template ztunnel"));
  EXPECT_THAT(result.err, HasSubstr("nothing was changed"));
  EXPECT_THAT(helm_calls(), Not(Contains(HasSubstr("helm upgrade"))));
  EXPECT_THAT(proxies(), Contains("istio-system/1-30-8/1.30.8"));
  EXPECT_FALSE(cordoned("node-a"));
}

// A helm command of the upgrade failing: the run stops with exit 1 and the step in the record;
// running it again finishes the upgrade, or a rollback restores the mesh as it was.
class AmbientUpgradeFailure : public AmbientUpgrade,
                              public ::testing::WithParamInterface<std::tuple<std::string, bool>> {
};

TEST_P(AmbientUpgradeFailure, StopsThenResumesOrRollsBack) {
  const auto& [failing, roll_back] = GetParam();
  serve();
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"},
                        {{"FAKE_HELM_FAIL_ON", failing}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("failed: helm " + failing));
  EXPECT_EQ(record()["phase"], "failed");

  if (!roll_back) {
    result = getmesh({"upgrade", "--yes", "--timeout", "10s"});
    ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
    EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-31-4/1.31.4", "istio-system/1-31-4/1.31.4",
                                       "istio-system/1-31-4/1.31.4", "shop/1-31-4/1.31.4"));
    EXPECT_EQ(tag_revision("prod-stable"), "1-31-4");
    EXPECT_EQ(record()["phase"], "moved");
    return;
  }
  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-30-8/1.30.8", "istio-system/1-30-8/1.30.8",
                                     "istio-system/1-30-8/1.30.8", "shop/1-30-8/1.30.8"));
  EXPECT_THAT(
      daemon_set_images("k8s-app=istio-cni-node"),
      ElementsAre("docker.io/istio/install-cni:1.30.8", "docker.io/istio/install-cni:1.30.8"));
  EXPECT_EQ(tag_revision("prod-stable"), "1-30-8");
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-8"));
  EXPECT_EQ(record()["phase"], "rolled-back");
}

// Each helm command that changes the cluster, in the upgrade's order.
INSTANTIATE_TEST_SUITE_P(
    EachHelmStep, AmbientUpgradeFailure,
    ::testing::Combine(::testing::Values("upgrade istio-base", "upgrade istiod-1-31-4",
                                         "upgrade istio-cni", "upgrade ztunnel",
                                         "upgrade istio-ingress"),
                       ::testing::Bool()),
    [](const auto& tested) {
      auto name = std::get<0>(tested.param) + (std::get<1>(tested.param) ? "_rollback" : "_resume");
      for (auto& c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
      }
      return name;
    });

}  // namespace ambient_upgrade
}  // namespace getmesh::testing
