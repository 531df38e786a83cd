// getmesh upgrade against the test API server (with its workload controller) and the test istioctl.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/terminal_run.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <future>
#include <thread>

namespace getmesh::testing {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kOld = "1.30.8";

// The catalogue: 1.30.8 runs; 1.30.9 is its latest patch; 1.31.4 and 1.32.2 are newer minors.
std::string catalogue(const std::map<std::string, std::string>& end_of_life = {}) {
  auto dates = end_of_life;
  for (const char* minor : {"1.30", "1.31", "1.32", "1.33"}) dates.emplace(minor, "2030-01-01");
  return make_manifest({"1.33.0-istio-v0", "1.32.2-istio-v0", "1.31.4-istio-v0", "1.31.3-istio-v0",
                        "1.30.9-istio-v0", "1.30.8-istio-v0", "1.30.5-istio-v0"},
                       dates);
}

// A mesh installed without revisions: istiod "default", namespaces with istio-injection=enabled.
json label_based_mesh() {
  json objects = json::array({namespace_object("istio-system"),
                              labelled_namespace("shop", {{"istio-injection", "enabled"}}),
                              labelled_namespace("pay", {{"istio-injection", "enabled"}}),
                              namespace_object("plain")});
  append(objects, istiod_revision("default", kOld));
  append(objects, injected_workload("shop", "web", "default", kOld, 2));
  append(objects, injected_workload("shop", "cart", "default", kOld));
  append(objects, injected_workload("pay", "api", "default", kOld));
  objects.push_back(installed_state(
      "installed-state",
      {{"profile", "default"},
       {"hub", "docker.io/istio"},
       {"tag", kOld},
       {"values", {{"global", {{"tag", kOld}, {"proxy", {{"resources", {{"cpu", "200m"}}}}}}}}}}));
  return objects;
}

// A mesh on revision 1-30-8 with tags: shop uses prod-stable, pay istio-injection through the
// default tag, legacy names the revision directly.
json tag_based_mesh() {
  json objects = json::array({namespace_object("istio-system"),
                              labelled_namespace("shop", {{"istio.io/rev", "prod-stable"}}),
                              labelled_namespace("pay", {{"istio-injection", "enabled"}}),
                              labelled_namespace("legacy", {{"istio.io/rev", "1-30-8"}})});
  append(objects, istiod_revision("1-30-8", kOld));
  objects.push_back(tag_webhook("default", "1-30-8"));
  objects.push_back(tag_webhook("prod-stable", "1-30-8"));
  append(objects, injected_workload("shop", "web", "1-30-8", kOld));
  append(objects, injected_workload("pay", "api", "1-30-8", kOld));
  append(objects, injected_workload("legacy", "old", "1-30-8", kOld));
  objects.push_back(installed_state(
      "installed-state-1-30-8", {{"profile", "minimal"}, {"revision", "1-30-8"}, {"tag", kOld}}));
  return objects;
}

class Upgrade : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* version : {"1.30.9", "1.31.4", "1.32.2", "1.30.8"}) {
      fake.install(std::string(version) + "-istio-v0", true, test_istioctl(version));
    }
    manifest_ = fake.dir().write("manifest.json", catalogue());
    log_ = fake.root() / "istioctl.log";
  }

  void serve(json objects, const std::string& kube_version = "v1.31.2") {
    KubeApiServerOptions options;
    options.objects = std::move(objects);
    options.kube_version = kube_version;
    options.controller = true;
    server_ = std::make_unique<KubeApiServer>(options);
    kubeconfig_ =
        fake.dir()
            .write("kubeconfig",
                   make_kubeconfig({{"prod", server_->url(), token_user("test-token"), ""}},
                                   TestCertificates::get().ca_cert))
            .string();
    Environment environment;
    auto config = kube::rest_config_for(kubeconfig_, "", environment);
    client_ = std::make_unique<kube::Client>(
        *kube::Client::connect(*config, net::Client(net::Settings{}), environment));
  }

  RunResult getmesh(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"-c", kubeconfig_});
    env["GETMESH_MANIFEST"] = manifest_.string();
    for (auto& [name, value] : test_istioctl_environment(*server_, log_)) env.emplace(name, value);
    return run_getmesh(args, fake.options(env));
  }

  // The istioctl calls so far ("<version> <args>"); clears the log.
  std::vector<std::string> calls() { return take_lines(log_); }

  json get(const std::string& path) { return *client_->get(path); }
  std::optional<json> find(const std::string& path) { return *client_->get_if_exists(path); }

  json labels_of(const std::string& name) {
    return get(kube::resource_path("", "namespaces", {}, name))["metadata"].value("labels",
                                                                                  json::object());
  }

  // "<namespace>/<revision>/<proxy image tag>" of every pod with a proxy, sorted.
  std::vector<std::string> proxies() {
    std::vector<std::string> found;
    const auto pods = client_->list(kube::resource_path("", "pods"));
    for (const auto& pod : *pods) {
      for (const auto& container : pod["spec"]["containers"]) {
        if (container["name"] != "istio-proxy") continue;
        const auto image = container["image"].get<std::string>();
        found.push_back(pod["metadata"]["namespace"].get<std::string>() + "/" +
                        pod["metadata"]["labels"].value("istio.io/rev", "?") + "/" +
                        image.substr(image.rfind(':') + 1));
      }
    }
    std::sort(found.begin(), found.end());
    return found;
  }

  std::vector<std::string> istiod_revisions() {
    std::vector<std::string> revisions;
    const auto deployments =
        client_->list(kube::resource_path("apps/v1", "deployments", "istio-system"));
    for (const auto& deployment : *deployments) {
      revisions.push_back(deployment["metadata"]["labels"].value("istio.io/rev", "?"));
    }
    std::sort(revisions.begin(), revisions.end());
    return revisions;
  }

  json record() {
    const auto map = get(kube::resource_path("", "configmaps", "istio-system", "getmesh-upgrade"));
    return json::parse(map["data"]["upgrade.json"].get<std::string>());
  }

  // Requests that changed something in the cluster.
  std::vector<std::string> writes() {
    std::vector<std::string> found;
    for (const auto& request : server_->requests()) {
      if (request["method"] != "GET")
        found.push_back(request["method"].get<std::string>() + " " +
                        request["path"].get<std::string>());
    }
    return found;
  }

  FakeHome fake;
  std::filesystem::path manifest_;
  std::filesystem::path log_;
  std::unique_ptr<KubeApiServer> server_;
  std::unique_ptr<kube::Client> client_;
  std::string kubeconfig_;
};

// Whether process `pid` has ended (a zombie nobody reaped yet counts as ended).
bool process_gone(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!stat || !std::getline(stat, text)) return true;
  const auto state = text.find(") ");
  return state == std::string::npos || text[state + 2] == 'Z' || text[state + 2] == 'X';
}

TEST_F(Upgrade, PlanOfALabelBasedMeshChangesNothing) {
  serve(label_based_mesh());
  auto result = getmesh({"upgrade", "--dry-run", "-o", "json", "--batch", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto plan = json::parse(result.out);
  EXPECT_EQ(plan["source"], json({{"revision", "default"}, {"version", "1.30.8-istio-v0"}}));
  EXPECT_EQ(plan["target"], json({{"revision", "1-30-9"}, {"version", "1.30.9-istio-v0"}}));
  EXPECT_EQ(plan["reason"], "recommended by check-upgrade");
  EXPECT_EQ(plan["tags"], json::array());
  ASSERT_EQ(plan["namespaces"].size(), 2u);
  EXPECT_EQ(plan["namespaces"][0]["name"], "pay");
  EXPECT_EQ(plan["namespaces"][0]["label"], "istio-injection=enabled");
  EXPECT_EQ(plan["namespaces"][0]["moves_with"], "relabel");
  EXPECT_EQ(plan["namespaces"][1]["workloads"], json({"Deployment/cart", "Deployment/web"}));
  EXPECT_EQ(plan["batches"], json::array({json::array({"pay", "shop"})}));
  EXPECT_EQ(plan["install"]["installed_state"], "installed-state");
  EXPECT_EQ(plan["install"]["dropped"], json({"spec.tag", "spec.values.global.tag"}));
  EXPECT_FALSE(plan["install"]["spec"].contains("tag"));
  EXPECT_EQ(plan["install"]["spec"]["values"]["global"]["proxy"]["resources"]["cpu"], "200m");
  std::vector<std::string> ids;
  for (const auto& step : plan["steps"]) ids.push_back(step["id"]);
  EXPECT_THAT(ids, ElementsAre("fetch", "install", "verify-control-plane", "move", "restart",
                               "verify-proxies", "remove-old"));
  EXPECT_EQ(plan["steps"][1]["actions"].back(),
            "istioctl install -y --revision 1-30-9 -f istiooperator-1-30-9.json");
  EXPECT_EQ(plan["steps"][3]["actions"],
            json({"label namespace pay istio.io/rev=1-30-9 and remove istio-injection (was "
                  "istio-injection=enabled)",
                  "label namespace shop istio.io/rev=1-30-9 and remove istio-injection (was "
                  "istio-injection=enabled)"}));
  EXPECT_THAT(plan["steps"][5]["gate"].get<std::string>(),
              HasSubstr("every proxy reports revision 1-30-9 and 1.30.9-istio-v0 within 5m"));

  result = getmesh({"upgrade", "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("  from:        1.30.8-istio-v0 (revision default)\n"));
  EXPECT_THAT(result.out, HasSubstr("  7. remove control plane default (1.30.8-istio-v0)\n"
                                    "       only with --remove-old, or later with \"getmesh "
                                    "upgrade finish\"\n"));
  EXPECT_THAT(writes(), ::testing::IsEmpty());
  EXPECT_THAT(calls(), ::testing::IsEmpty());
}

TEST_F(Upgrade, PlanOfARevisionTagMeshMovesTagsAndRelabelsTheRest) {
  serve(tag_based_mesh());
  auto result = getmesh({"upgrade", "--dry-run", "-o", "json", "--to", "1.31"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto plan = json::parse(result.out);
  EXPECT_EQ(plan["target"], json({{"revision", "1-31-4"}, {"version", "1.31.4-istio-v0"}}));
  EXPECT_EQ(plan["tags"], json({{{"tag", "default"}, {"from", "1-30-8"}, {"to", "1-31-4"}},
                                {{"tag", "prod-stable"}, {"from", "1-30-8"}, {"to", "1-31-4"}}}));
  std::map<std::string, std::string> moves;
  for (const auto& move : plan["namespaces"]) {
    moves[move["name"]] =
        move["moves_with"].get<std::string>() + " " + move["tag"].get<std::string>();
  }
  EXPECT_EQ(moves,
            (std::map<std::string, std::string>{
                {"legacy", "relabel "}, {"pay", "tag default"}, {"shop", "tag prod-stable"}}));
  EXPECT_EQ(plan["install"]["profile"], "minimal");
  EXPECT_EQ(plan["steps"][3]["actions"][1],
            "istioctl tag set prod-stable --revision 1-31-4 --overwrite "
            "--istioNamespace istio-system  (tag prod-stable: 1-30-8 → 1-31-4, namespaces shop)");
  EXPECT_THAT(writes(), ::testing::IsEmpty());
}

TEST_F(Upgrade, AppliesALabelBasedMeshEndToEnd) {
  serve(label_based_mesh());
  auto result = getmesh({"upgrade", "--yes", "--remove-old", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("[1/7] fetch istioctl 1.30.9-istio-v0"));
  EXPECT_THAT(result.out, HasSubstr("      batch 1 of 2 (pay): restarted pay/Deployment/api; every "
                                    "proxy moved ("));
  EXPECT_THAT(result.out, HasSubstr("      batch 2 of 2 (shop): restarted shop/Deployment/cart, "
                                    "shop/Deployment/web; every proxy moved ("));
  EXPECT_THAT(result.out, HasSubstr("upgraded 1.30.8-istio-v0 (revision default) to "
                                    "1.30.9-istio-v0 (revision 1-30-9)"));
  EXPECT_THAT(
      calls(),
      ElementsAre("1.30.9 --help",
                  "1.30.9 precheck --revision 1-30-9 --istioNamespace istio-system --context "
                  "prod",
                  HasSubstr("1.30.9 install -y --revision 1-30-9 -f "),
                  "1.30.9 verify-install --revision 1-30-9 --istioNamespace istio-system -f " +
                      (fake.home() / "tmp" / "upgrade" / "istiooperator-1-30-9.json").string() +
                      " --context prod",
                  "1.30.9 uninstall --revision default -y --istioNamespace istio-system "
                  "--context prod"));
  const auto installed = json::parse(*read_file(log_.string() + ".install.json"));
  EXPECT_EQ(installed["kind"], "IstioOperator");
  EXPECT_FALSE(installed["spec"].contains("tag"));
  EXPECT_EQ(installed["spec"]["hub"], "docker.io/istio");
  EXPECT_EQ(labels_of("shop"), json({{"istio.io/rev", "1-30-9"}}));
  EXPECT_EQ(labels_of("pay"), json({{"istio.io/rev", "1-30-9"}}));
  EXPECT_THAT(proxies(), ElementsAre("pay/1-30-9/1.30.9", "shop/1-30-9/1.30.9",
                                     "shop/1-30-9/1.30.9", "shop/1-30-9/1.30.9"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-9"));
  EXPECT_EQ(record()["phase"], "finished");
  EXPECT_EQ(record()["holder"], nullptr);

  result = getmesh({"upgrade", "status", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["record"]["phase"], "finished");
}

TEST_F(Upgrade, RevisionTagsMoveAndFinishRemovesTheOldRevision) {
  serve(tag_based_mesh());
  auto result = getmesh({"upgrade", "--yes", "--to", "1.31.4", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("remove it with \"getmesh upgrade finish\""));
  EXPECT_THAT(calls(), AllOf(Contains("1.31.4 tag set default --revision 1-31-4 --overwrite "
                                      "--istioNamespace istio-system --context prod"),
                             Contains("1.31.4 tag set prod-stable --revision 1-31-4 --overwrite "
                                      "--istioNamespace istio-system --context prod")));
  EXPECT_EQ(get(kube::resource_path(
                "admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", {},
                "istio-revision-tag-prod-stable"))["metadata"]["labels"]["istio.io/rev"],
            "1-31-4");
  EXPECT_EQ(labels_of("shop"), json({{"istio.io/rev", "prod-stable"}})) << "tags move, labels stay";
  EXPECT_EQ(labels_of("legacy"), json({{"istio.io/rev", "1-31-4"}}));
  EXPECT_THAT(proxies(),
              ElementsAre("legacy/1-31-4/1.31.4", "pay/1-31-4/1.31.4", "shop/1-31-4/1.31.4"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-8", "1-31-4"));
  EXPECT_EQ(record()["phase"], "moved");

  result = getmesh({"upgrade", "status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Upgrade of context prod: moved"));
  EXPECT_THAT(result.out, HasSubstr("  6. [done] wait for the proxies of each batch"));

  result = getmesh({"upgrade", "finish", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-31-4"));
  EXPECT_EQ(record()["phase"], "finished");
}

TEST_F(Upgrade, ResumesAfterTheProcessIsKilledBetweenSteps) {
  serve(label_based_mesh());
  auto result = getmesh({"upgrade", "--yes", "--timeout", "5s"},
                        {{"FAKE_KILL_PARENT_AFTER", "verify-install"}});
  ASSERT_EQ(result.exit_code, 128 + SIGKILL) << result.err << result.out;
  EXPECT_EQ(record()["phase"], "in-progress");
  EXPECT_EQ(record()["done"], json({"fetch", "install"}));
  EXPECT_NE(record()["holder"], nullptr) << "the killed run never released its claim";
  calls();

  result = getmesh({"upgrade", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("Continuing the upgrade of context prod to 1.30.9-istio-v0"));
  EXPECT_THAT(result.out, HasSubstr("[2/7] install control plane revision 1-30-9"));
  EXPECT_THAT(result.out, HasSubstr("      done earlier"));
  const auto second = calls();
  EXPECT_THAT(second, Not(Contains(HasSubstr(" install -y"))));
  EXPECT_THAT(second, Contains(HasSubstr("1.30.9 verify-install --revision 1-30-9")));
  EXPECT_THAT(proxies(), Contains("pay/1-30-9/1.30.9"));
  EXPECT_EQ(record()["phase"], "moved");
}

TEST_F(Upgrade, ASecondRunIsRefusedWhileTheFirstIsWorking) {
  serve(label_based_mesh());
  const auto gate = fake.root() / "go-on";
  auto first = std::async(std::launch::async, [&] {
    return getmesh({"upgrade", "--yes", "--timeout", "5s"},
                   {{"FAKE_BLOCK_ON", "install"},
                    {"FAKE_BLOCK_FILE", gate.string()},
                    {"GETMESH_UPGRADE_RENEW_SECONDS", "1"}});
  });
  for (int i = 0; i < 500 && !std::filesystem::exists(log_.string()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (int i = 0; i < 500; ++i) {  // wait until the first run is inside istioctl install
    auto text = read_file(log_);
    if (text && text->find(" install -y") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto second = getmesh({"upgrade", "--yes", "--timeout", "5s"});
  EXPECT_EQ(second.exit_code, 1) << second.out;
  EXPECT_THAT(second.err, HasSubstr("error: another getmesh upgrade run (pid "));
  EXPECT_THAT(second.err, HasSubstr("is working on the upgrade to 1.30.9-istio-v0"));
  // The claim names the istioctl it waits for: where istioctl could outlive a killed run, the
  // claim holds while it runs.
  long child = 0;
  for (int i = 0; i < 250 && child == 0; ++i) {
    child = record()["holder"].value("child", 0L);
    if (child == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GT(child, 0);
  EXPECT_FALSE(process_gone(child));
  // While istioctl install runs, the first run keeps renewing its claim.
  const auto claimed_at = record()["holder"]["renewed_at"].get<std::int64_t>();
  bool renewed = false;
  for (int i = 0; i < 250 && !renewed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    renewed = record()["holder"]["renewed_at"].get<std::int64_t>() > claimed_at;
  }
  EXPECT_TRUE(renewed) << "the claim was not renewed while istioctl ran";
  std::ofstream(gate) << "go";
  const auto result = first.get();
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(record()["phase"], "moved");
}

TEST_F(Upgrade, IstioctlDiesWithAKilledRunAndTheResumeDoesNotOverlap) {
  serve(label_based_mesh());
  const auto pids = fake.root() / "istioctl.pids";
  const auto gate = fake.root() / "never";
  // getmesh is killed (-9) while istioctl is in its install, which would go on for ever.
  auto result =
      getmesh({"upgrade", "--yes", "--timeout", "5s"}, {{"FAKE_KILL_PARENT_ON", "install"},
                                                        {"FAKE_BLOCK_ON", "install"},
                                                        {"FAKE_BLOCK_FILE", gate.string()},
                                                        {"FAKE_ISTIOCTL_PIDS", pids.string()}});
  ASSERT_EQ(result.exit_code, 128 + SIGKILL) << result.err << result.out;
  long install_pid = 0;
  for (const auto& line : take_lines(pids)) {
    if (line.ends_with(" install")) install_pid = std::stol(line);
  }
  ASSERT_GT(install_pid, 0);
  bool gone = false;
  for (int i = 0; i < 250 && !gone; ++i) {
    gone = process_gone(install_pid);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "the istioctl install of the killed run still runs";
  EXPECT_EQ(record()["done"], json({"fetch"}));
  EXPECT_EQ(record()["installed_revisions"], json({"1-30-9"})) << "recorded before istioctl ran";
  calls();

  result = getmesh({"upgrade", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(calls(), Contains(HasSubstr("1.30.9 install -y --revision 1-30-9")));
  EXPECT_EQ(record()["phase"], "moved");
  std::ofstream(gate) << "go";  // an istioctl left behind (the failure above) ends now
}

TEST_F(Upgrade, RollbackRemovesOnlyTheRevisionItInstalled) {
  auto objects = label_based_mesh();
  append(objects, istiod_revision("1-30-9", "1.30.9"));  // installed by hand before the upgrade
  serve(objects);
  auto result = getmesh({"upgrade", "--yes", "--from", "default", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("already installed before this upgrade (a rollback keeps it)"));
  EXPECT_EQ(record()["installed_revisions"], json::array());
  EXPECT_THAT(proxies(), Contains("pay/1-30-9/1.30.9"));
  calls();

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("kept: revision 1-30-9 was not installed by this upgrade"));
  EXPECT_THAT(result.out, HasSubstr("1-30-9 is kept (it ran before the upgrade"));
  EXPECT_THAT(calls(), Not(Contains(HasSubstr("uninstall"))));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-9", "default"));
  EXPECT_THAT(proxies(), ElementsAre("pay/default/1.30.8", "shop/default/1.30.8",
                                     "shop/default/1.30.8", "shop/default/1.30.8"));
  EXPECT_EQ(record()["phase"], "rolled-back");
}

TEST_F(Upgrade, WorkloadsOnAThirdRevisionAreListedAndLeftAlone) {
  auto objects = label_based_mesh();
  append(objects, istiod_revision("canary", kOld));
  append(objects, injected_workload("shop", "batch", "canary", kOld));
  serve(objects);
  auto result = getmesh({"upgrade", "--dry-run", "-o", "json", "--from", "default"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto plan = json::parse(result.out);
  ASSERT_EQ(plan["namespaces"][1]["name"], "shop");
  EXPECT_EQ(plan["namespaces"][1]["workloads"], json({"Deployment/cart", "Deployment/web"}));
  EXPECT_EQ(plan["namespaces"][1]["left_alone"], json({"Deployment/batch (revision canary)"}));
  result = getmesh({"upgrade", "--dry-run", "-o", "yaml", "--from", "default"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("left_alone:\n      - \"Deployment/batch (revision canary)\""));
  result = getmesh({"upgrade", "--dry-run", "--from", "default"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("       left alone, their proxies are not on default: "
                                    "shop/Deployment/batch (revision canary)\n"));

  const auto restarted = [&] {
    return get(kube::resource_path("apps/v1", "deployments", "shop", "batch"))["spec"]["template"]
        .value("metadata", json::object())
        .value("annotations", json::object())
        .contains("kubectl.kubernetes.io/restartedAt");
  };
  result = getmesh({"upgrade", "--yes", "--from", "default", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("restarted shop/Deployment/cart, shop/Deployment/web; every "
                                    "proxy moved"));
  EXPECT_FALSE(restarted());
  EXPECT_THAT(proxies(), Contains("shop/canary/1.30.8"));

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_FALSE(restarted());
  EXPECT_THAT(proxies(), Contains("shop/canary/1.30.8"));
  EXPECT_THAT(proxies(), Not(Contains(HasSubstr("1-30-9"))));
}

TEST_F(Upgrade, TakeOverEndsAnotherRunsClaimOnceConfirmed) {
  serve(with_stuck_deployment(label_based_mesh(), "api"));
  auto result = getmesh({"upgrade", "--yes", "--timeout", "1s"});
  ASSERT_EQ(result.exit_code, 3) << result.err << result.out;
  // A run on another machine holds the upgrade and renewed its claim just now.
  const auto path = kube::resource_path("", "configmaps", "istio-system", "getmesh-upgrade");
  auto map = get(path);
  auto document = json::parse(map["data"]["upgrade.json"].get<std::string>());
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  document["holder"] = {{"id", "other"}, {"host", "build-7"}, {"pid", 4242}, {"renewed_at", now}};
  map["data"]["upgrade.json"] = document.dump();
  ASSERT_TRUE(client_->replace(path, map).ok());

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "5s"});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_THAT(result.err, HasSubstr("another getmesh upgrade run (pid 4242 on build-7"));
  EXPECT_THAT(result.err, HasSubstr("end its claim with --take-over"));
  result = getmesh({"upgrade", "rollback", "--take-over", "--timeout", "5s"});
  EXPECT_EQ(result.exit_code, 2) << "no terminal to ask and no --yes";
  EXPECT_THAT(result.err, HasSubstr("no terminal is attached to confirm"));
  EXPECT_EQ(record()["holder"]["host"], "build-7");

  auto env = fake.options({{"GETMESH_MANIFEST", manifest_.string()}}).env;
  for (auto& [name, value] : test_istioctl_environment(*server_, log_)) env.emplace(name, value);
  const std::vector<std::string> args{"-c",          kubeconfig_, "upgrade", "rollback",
                                      "--take-over", "--timeout", "5s"};
  auto run = run_getmesh_on_terminal(args, TerminalStream::kStderr, env, "y\nn");
  EXPECT_EQ(run.exit_code, 1) << run.terminal;
  EXPECT_THAT(run.terminal, HasSubstr("End the claim of the getmesh run with pid 4242 on "
                                      "\"build-7\""));
  EXPECT_THAT(run.terminal, HasSubstr("cancelled; nothing was changed"));
  EXPECT_EQ(record()["holder"]["host"], "build-7");

  result = getmesh({"upgrade", "rollback", "--take-over", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(record()["phase"], "rolled-back");
  EXPECT_EQ(record()["holder"], nullptr);
}

TEST_F(Upgrade, TargetRulesRefuseWithOneClearMessage) {
  serve(label_based_mesh());
  const auto refused = [&](std::vector<std::string> args, int code, const std::string& message) {
    args.insert(args.begin(), {"upgrade", "--dry-run"});
    const auto result = getmesh(args);
    EXPECT_EQ(result.exit_code, code) << join(args, " ") << "\n" << result.out;
    EXPECT_THAT(result.err, HasSubstr(message)) << join(args, " ");
    EXPECT_EQ(result.out, "") << join(args, " ");
  };
  refused({"--to", "1.99"}, 1, "error: the catalogue has no istio build of Istio 1.99");
  refused({"--to", "1.30.5"}, 1, "getmesh upgrade does not downgrade");
  refused({"--to", "1.32"}, 1,
          "1.32.2-istio-v0 is 2 minors ahead of the oldest control plane (1.30.8); Istio supports "
          "canary upgrades of one minor (two with --allow-skip-minor)");
  refused({"--to", "1.33", "--allow-skip-minor"}, 1, "is 3 minors ahead");
  refused({"--to", "one.two"}, 2, "--to \"one.two\" is not a version");
  refused({"--flavor", "vanilla"}, 2, "unknown flavor \"vanilla\"");

  auto skip = getmesh({"upgrade", "--dry-run", "--to", "1.32", "--allow-skip-minor"});
  EXPECT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_THAT(skip.out, HasSubstr("skipping a minor (1.30 to 1.32)"));

  manifest_ = fake.dir().write("eol.json", catalogue({{"1.31", "2020-01-01"}}));
  refused({"--to", "1.31"}, 1, "1.31.4-istio-v0 reached its end of life on 2020-01-01");

  manifest_ = fake.dir().write("ok.json", catalogue());
  serve(label_based_mesh(), "v1.29.3");
  refused({}, 1, "Kubernetes 1.29 is not among the versions 1.30.9-istio-v0 supports (1.30, 1.31)");

  auto switched = getmesh({"upgrade", "--dry-run", "--to", "1.30.9", "--flavor", "tetrate"});
  EXPECT_EQ(switched.exit_code, 1);
  EXPECT_THAT(switched.err, HasSubstr("the catalogue has no tetrate build of Istio 1.30.9"));
}

TEST_F(Upgrade, AGateTimeoutStopsWithExit3AndKeepsTheState) {
  serve(with_stuck_deployment(label_based_mesh(), "api"));
  auto result = getmesh({"upgrade", "--yes", "--timeout", "1s"});
  EXPECT_EQ(result.exit_code, 3) << result.err << result.out;
  EXPECT_THAT(result.err,
              HasSubstr("error: stopped at a gate: 1 proxy in pay did not move to "
                        "revision 1-30-9 (1.30.9-istio-v0) within 1s: pay/api-6b7c8d9f5-0 "
                        "(revision default, 1.30.8-istio-v0)"));
  EXPECT_THAT(result.err, HasSubstr("hint: nothing is broken and the state is kept"));
  EXPECT_EQ(record()["phase"], "stopped");
  EXPECT_EQ(record()["batches_done"], 0);
  EXPECT_EQ(record()["holder"], nullptr);

  result = getmesh({"upgrade", "status"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("Upgrade of context prod: stopped"));
  EXPECT_THAT(result.out, HasSubstr("message:   1 proxy in pay did not move"));

  result = getmesh({"upgrade", "finish", "--yes"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("the data plane has not moved to 1-30-9 yet (phase stopped)"));
  EXPECT_EQ(record()["holder"], nullptr);
  EXPECT_EQ(record()["phase"], "stopped");
}

TEST_F(Upgrade, AControlPlaneThatNeverGetsReadyStopsBeforeAnythingMoves) {
  serve(label_based_mesh());
  auto result = getmesh({"upgrade", "--yes", "--timeout", "1s"}, {{"FAKE_STUCK_ISTIOD", "1"}});
  EXPECT_EQ(result.exit_code, 3) << result.err << result.out;
  EXPECT_THAT(result.err,
              HasSubstr("control plane 1-30-9 was not ready within 1s (istiod 1-30-9: 0 "
                        "of 1 replicas ready); nothing has moved"));
  EXPECT_EQ(labels_of("shop"), json({{"istio-injection", "enabled"}}));
}

TEST_F(Upgrade, RollsBackFromTheMiddle) {
  serve(with_stuck_deployment(tag_based_mesh(), "web"));
  // Batches: legacy, pay, shop; shop's workload never moves, so the run stops at the third batch.
  auto result = getmesh({"upgrade", "--yes", "--to", "1.31", "--timeout", "1s"});
  ASSERT_EQ(result.exit_code, 3) << result.err << result.out;
  EXPECT_EQ(record()["batches_done"], 2);
  EXPECT_THAT(proxies(),
              ElementsAre("legacy/1-31-4/1.31.4", "pay/1-31-4/1.31.4", "shop/1-30-8/1.30.8"));
  calls();

  // A rollback killed after its first tag moved back is continued, never overtaken.
  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "5s"},
                   {{"FAKE_KILL_PARENT_AFTER", "tag"}});
  ASSERT_EQ(result.exit_code, 128 + SIGKILL) << result.err << result.out;
  EXPECT_EQ(record()["phase"], "rolling-back");
  EXPECT_THAT(calls(), Contains(HasSubstr("tag set prod-stable --revision 1-30-8 --overwrite")));
  for (const char* command : {"", "finish"}) {
    std::vector<std::string> args{"upgrade", "--yes"};
    if (*command != '\0') args.insert(args.begin() + 1, command);
    result = getmesh(args);
    EXPECT_EQ(result.exit_code, 1) << command;
    EXPECT_THAT(result.err, HasSubstr("a rollback of the upgrade to 1.31.4-istio-v0 is under way"));
  }
  EXPECT_EQ(record()["holder"], nullptr) << "a refused run leaves no claim behind";
  calls();

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("rolled back: the data plane is on 1-30-8 (1.30.8-istio-v0)"));
  // The tag moved back before the kill is read, not set again.
  EXPECT_THAT(calls(), AllOf(Not(Contains(HasSubstr("tag set prod-stable"))),
                             Contains(HasSubstr("tag set default --revision 1-30-8 --overwrite")),
                             Contains(HasSubstr("uninstall --revision 1-31-4 -y"))));
  EXPECT_EQ(labels_of("legacy"), json({{"istio.io/rev", "1-30-8"}}));
  EXPECT_THAT(proxies(),
              ElementsAre("legacy/1-30-8/1.30.8", "pay/1-30-8/1.30.8", "shop/1-30-8/1.30.8"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-8"));
  EXPECT_EQ(record()["phase"], "rolled-back");
  // Status shows what the rollback undid as undone, not as done.
  result = getmesh({"upgrade", "status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, Not(HasSubstr("[done]")));
  EXPECT_THAT(result.out, HasSubstr("1. [undone] fetch istioctl 1.31.4-istio-v0"));
  EXPECT_THAT(result.out,
              HasSubstr("Rolled back: the data plane is on 1.30.8-istio-v0 (revision 1-30-8) "
                        "again and revision 1-31-4 is removed."));

  result = getmesh({"upgrade", "rollback", "--yes"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no upgrade in progress to roll back"));
}

TEST_F(Upgrade, FinishIsRefusedWhileAProxyStillUsesTheOldRevision) {
  auto objects = label_based_mesh();
  objects.push_back(namespace_object("batch"));
  append(objects, injected_workload("batch", "nightly", "default", kOld));  // not labelled
  serve(objects);
  auto result = getmesh({"upgrade", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("warning: 1 proxy of revision default runs outside the "
                                    "namespaces that move (batch/nightly-6b7c8d9f5-0)"));
  result = getmesh({"upgrade", "finish", "--yes"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("control plane default still serves 1 proxy "
                                    "(batch/nightly-6b7c8d9f5-0)"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-30-9", "default"));
  EXPECT_EQ(record()["phase"], "stopped");
}

TEST_F(Upgrade, AFailedStepSaysWhichAndARunAgainResumesIt) {
  serve(label_based_mesh());
  auto result = getmesh({"upgrade", "--yes", "--timeout", "5s"}, {{"FAKE_PRECHECK_EXIT", "4"}});
  EXPECT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("error: step 1 (fetch) failed: istioctl precheck --revision "
                                    "1-30-9 --istioNamespace istio-system failed "
                                    "(exit code 4)"));
  EXPECT_THAT(result.err, HasSubstr("run \"getmesh upgrade\" again to resume from this step, or "
                                    "\"getmesh upgrade rollback\" to undo what was done"));
  EXPECT_EQ(record()["phase"], "failed");
  EXPECT_EQ(record()["done"], json::array());
  EXPECT_EQ(record()["holder"], nullptr);
  EXPECT_THAT(istiod_revisions(), ElementsAre("default")) << "nothing was installed";
  calls();

  // verify-install finding problems is a gate: exit 3, nothing moved.
  result = getmesh({"upgrade", "--yes", "--timeout", "5s"}, {{"FAKE_VERIFY_EXIT", "5"}});
  EXPECT_EQ(result.exit_code, 3) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("istioctl verify-install found problems with revision 1-30-9 "
                                    "(exit code 5)"));
  EXPECT_EQ(record()["phase"], "stopped");
  EXPECT_EQ(record()["done"], json({"fetch", "install"}));
  EXPECT_EQ(labels_of("pay"), json({{"istio-injection", "enabled"}}));
  EXPECT_THAT(calls(), Contains(HasSubstr("1.30.9 install -y --revision 1-30-9")));

  result = getmesh({"upgrade", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(calls(), AllOf(Not(Contains(HasSubstr(" install -y"))),
                             Contains(HasSubstr("1.30.9 verify-install --revision 1-30-9"))));
  EXPECT_EQ(record()["phase"], "moved");
}

TEST_F(Upgrade, AnotherTargetIsRefusedWhileAnUpgradeIsInProgress) {
  serve(with_stuck_deployment(label_based_mesh(), "api"));
  auto result = getmesh({"upgrade", "--yes", "--timeout", "1s"});
  ASSERT_EQ(result.exit_code, 3) << result.err << result.out;
  result = getmesh({"upgrade", "--dry-run", "--to", "1.31"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: an upgrade to 1.30.9-istio-v0 is in progress (phase "
                                    "stopped, ConfigMap istio-system/getmesh-upgrade)"));
  // Without --to, the dry run shows the recorded plan and how far it got.
  result = getmesh({"upgrade", "--dry-run", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto plan = json::parse(result.out);
  EXPECT_EQ(plan["target"]["revision"], "1-30-9");
  EXPECT_EQ(plan["in_progress"]["phase"], "stopped");
  EXPECT_EQ(plan["in_progress"]["done"],
            json({"fetch", "install", "verify-control-plane", "move"}));
}

TEST_F(Upgrade, WithoutAnInstalledStateTheConfigurationMustBeGiven) {
  auto objects = label_based_mesh();
  objects.erase(objects.end() - 1);  // the installed-state IstioOperator
  serve(objects);
  // The dry run shows the plan and exits as the real run would: 2, the configuration is missing.
  auto result = getmesh({"upgrade", "--dry-run"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.out, HasSubstr("configuration MISSING: there is no installed-state "
                                    "IstioOperator in istio-system"));
  EXPECT_THAT(result.err, HasSubstr("error: there is no installed-state IstioOperator in "
                                    "istio-system"));
  result = getmesh({"upgrade", "--dry-run", "-o", "json"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  const auto document = json::parse(result.out);
  ASSERT_EQ(document["problems"].size(), 1u) << result.out;
  EXPECT_THAT(document["problems"][0]["message"].get<std::string>(),
              HasSubstr("there is no installed-state IstioOperator"));
  EXPECT_THAT(document["problems"][0]["hint"].get<std::string>(), HasSubstr("-f FILE"));
  EXPECT_EQ(document["problems"][0]["exit_code"], 2);
  result = getmesh({"upgrade", "--yes"});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.err, HasSubstr("give the configuration of the running control plane with -f "
                                    "FILE"));
  EXPECT_THAT(writes(), ::testing::IsEmpty());

  // A relative -f is recorded as an absolute path: a resume may run from anywhere.
  fake.dir().write("operator.yaml",
                   "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
                   "spec:\n  profile: demo\n");
  auto options = fake.options({{"GETMESH_MANIFEST", manifest_.string()}});
  for (auto& [name, value] : test_istioctl_environment(*server_, log_))
    options.env.emplace(name, value);
  options.cwd = fake.root();
  result = run_getmesh(
      {"-c", kubeconfig_, "upgrade", "--yes", "--timeout", "5s", "-f", "operator.yaml"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  const auto operator_file = (fake.root() / "operator.yaml").string();
  EXPECT_THAT(calls(), Contains("1.30.9 install -y --revision 1-30-9 -f " + operator_file +
                                " --context prod"));
  EXPECT_EQ(record()["plan"]["install"]["files"], json({operator_file}));
}

TEST_F(Upgrade, OnATerminalThePlanIsShownAndAskedOnce) {
  serve(label_based_mesh());
  auto env = fake.options({{"GETMESH_MANIFEST", manifest_.string()}}).env;
  for (auto& [name, value] : test_istioctl_environment(*server_, log_)) env.emplace(name, value);
  const std::vector<std::string> args{"-c", kubeconfig_, "upgrade", "--timeout", "5s"};

  auto run = run_getmesh_on_terminal(args, TerminalStream::kStderr, env, "n");
  EXPECT_EQ(run.exit_code, 1) << run.terminal;
  EXPECT_THAT(run.pipe, HasSubstr("  7. remove control plane default (1.30.8-istio-v0)"));
  EXPECT_THAT(run.terminal, HasSubstr("Apply this upgrade to context prod? [y/N]"));
  EXPECT_THAT(run.terminal, HasSubstr("cancelled; nothing was changed"));
  EXPECT_THAT(writes(), ::testing::IsEmpty());

  run = run_getmesh_on_terminal(args, TerminalStream::kStderr, env, "y");
  EXPECT_EQ(run.exit_code, 0) << run.terminal << run.pipe;
  EXPECT_THAT(run.pipe, HasSubstr("[6/7] wait for the proxies of each batch"));
  EXPECT_EQ(record()["phase"], "moved");
}

// The label-based mesh with its istiod installed by Helm: Helm's release annotations on it.
json helm_installed_mesh() {
  auto objects = label_based_mesh();
  for (auto& object : objects) {
    if (object["kind"] == "Deployment" && object["metadata"]["namespace"] == "istio-system") {
      object["metadata"]["labels"]["app.kubernetes.io/managed-by"] = "Helm";
      object["metadata"]["annotations"] = {{"meta.helm.sh/release-name", "istiod"},
                                           {"meta.helm.sh/release-namespace", "istio-system"}};
    }
  }
  return objects;
}

// Helm meshes are upgraded with helm (upgrade_helm_test.cpp); without one, --force upgrades it
// the istioctl way, with a warning that Helm owns it.
TEST_F(Upgrade, AHelmMeshWithoutHelmIsRefusedUnlessForcedTheIstioctlWay) {
  serve(helm_installed_mesh());
  auto result = getmesh({"upgrade", "--yes", "--timeout", "5s"}, {{"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_THAT(result.err, HasSubstr("error: this control plane is installed with Helm, and no "
                                    "helm is on PATH"));
  EXPECT_THAT(result.err, HasSubstr("--helm PATH"));
  EXPECT_THAT(calls(), ::testing::IsEmpty()) << "istioctl never ran";
  EXPECT_EQ(labels_of("shop"), json({{"istio-injection", "enabled"}})) << "nothing moved";
  // The dry run says so too, with the real run's exit code; --force clears it.
  result = getmesh({"upgrade", "--dry-run", "-o", "json"}, {{"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("no helm is on PATH"));
  result = getmesh({"upgrade", "--dry-run", "--force", "-o", "json"}, {{"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["problems"], json::array());

  result = getmesh({"upgrade", "--yes", "--force", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.err, HasSubstr("the Istio control plane is owned by Helm (release istiod in "
                                    "istio-system"));
  EXPECT_THAT(result.err, HasSubstr("upgrading anyway because of --force"));
  EXPECT_EQ(labels_of("shop"), json({{"istio.io/rev", "1-30-9"}}));
}

TEST_F(Upgrade, ScriptsMustSayYes) {
  serve(label_based_mesh());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"upgrade"}, std::vector<std::string>{"upgrade", "finish"},
        std::vector<std::string>{"upgrade", "-o", "json"}}) {
    const auto result = getmesh(args);
    EXPECT_EQ(result.exit_code, args.size() == 2 ? 1 : 2) << join(args, " ") << result.err;
  }
  const auto result = getmesh({"upgrade"});
  EXPECT_THAT(result.err, HasSubstr("pass --yes to go ahead"));
  EXPECT_THAT(writes(), ::testing::IsEmpty());
}

TEST_F(Upgrade, AmbientStepsOfAnIstioctlMeshArePlannedButNotApplied) {
  auto objects = label_based_mesh();
  objects.push_back(pod_object("istio-system", "ztunnel-abcde", {{"app", "ztunnel"}}, "istio-proxy",
                               "docker.io/istio/ztunnel:1.30.8"));
  serve(objects);
  auto result = getmesh({"upgrade", "--dry-run"});
  EXPECT_EQ(result.exit_code, 1) << "the real run refuses it: " << result.err;
  EXPECT_THAT(result.err, HasSubstr("Istio documents ambient upgrades with Helm only, so getmesh "
                                    "plans them but does not apply them"));
  EXPECT_THAT(result.out, HasSubstr("4. [manual] upgrade the istio-cni node agent in place"));
  EXPECT_THAT(result.out,
              HasSubstr("helm upgrade ztunnel istio/ztunnel -n istio-system --version 1.30.9"));
  EXPECT_THAT(result.out, HasSubstr("9. [manual] move the waypoints to 1-30-9"));
  result = getmesh({"upgrade", "--yes"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("this mesh runs in ambient mode (1 ztunnel pod) and istioctl "
                                    "installed it"));
  EXPECT_THAT(writes(), ::testing::IsEmpty());
}

// The relabelling as the real kubectl sees it, and kubectl's own label and restart patches
// understood by the test server the way getmesh's are.
TEST_F(Upgrade, KubectlSeesTheRelabelledNamespaces) {
  if (!program_on_path("kubectl")) GTEST_SKIP() << "kubectl is not installed";
  serve(label_based_mesh());
  auto result = getmesh({"upgrade", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  RunOptions options;
  options.env["HOME"] = fake.root().string();
  options.timeout = std::chrono::seconds(30);
  const auto kubectl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {*program_on_path("kubectl"), "--kubeconfig", kubeconfig_});
    return run_program(args, options);
  };
  auto listed = kubectl({"get", "namespaces", "-L", "istio.io/rev,istio-injection", "-o",
                         "custom-columns=NAME:.metadata.name,REV:.metadata.labels.istio\\.io/rev,"
                         "INJECTION:.metadata.labels.istio-injection"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("shop           1-30-9   <none>"));
  EXPECT_THAT(listed.out, HasSubstr("pay            1-30-9   <none>"));

  auto labelled = kubectl({"label", "namespace", "shop", "istio.io/rev=1-30-8", "--overwrite"});
  ASSERT_EQ(labelled.exit_code, 0) << labelled.err;
  EXPECT_EQ(labels_of("shop"), json({{"istio.io/rev", "1-30-8"}}));
  auto restarted = kubectl({"rollout", "restart", "deployment/web", "-n", "shop"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  EXPECT_TRUE(get(kube::resource_path("apps/v1", "deployments", "shop",
                                      "web"))["spec"]["template"]["metadata"]["annotations"]
                  .contains("kubectl.kubernetes.io/restartedAt"));
}

}  // namespace
}  // namespace getmesh::testing
