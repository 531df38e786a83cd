// getmesh upgrade of Helm-installed meshes, against the test API server (with its workload
// controller), the test helm (tests/servers/fake_helm.py), the test istioctl and a chart
// repository served by nginx.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/mirror.hpp"
#include "support/nginx.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/platform.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

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
constexpr const char* kNew = "1.31.4";

std::string chart_archive(const std::string& name, const std::string& version) {
  return make_tar_gz({ArchiveMember::file(
      name + "/Chart.yaml",
      "apiVersion: v2\nname: " + name + "\nversion: " + version + "\nappVersion: " + version + "\n",
      0644)});
}

// Istio's charts of both versions and their index.yaml (relative URLs, SHA-256 digests).
void write_chart_repository(const std::filesystem::path& directory) {
  std::string index = "apiVersion: v1\nentries:\n";
  for (const char* chart : {"base", "istiod", "gateway", "cni", "ztunnel"}) {
    index += std::string("  ") + chart + ":\n";
    for (const char* version : {kNew, kOld}) {
      const auto archive = chart_archive(chart, version);
      const auto file = std::string(chart) + "-" + version + ".tgz";
      ASSERT_TRUE(write_file_atomic(directory / file, archive).ok());
      index += std::string("  - apiVersion: v2\n    name: ") + chart + "\n    version: " + version +
               "\n    appVersion: " + version + "\n    digest: " + sha256_hex(archive) +
               "\n    urls:\n    - " + file + "\n";
    }
  }
  index += "generated: \"2026-11-01T00:00:00Z\"\n";
  ASSERT_TRUE(write_file_atomic(directory / "index.yaml", index).ok());
}

class HelmUpgrade : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* version : {kNew, kOld}) {
      fake.install(std::string(version) + "-istio-v0", true, test_istioctl(version));
    }
    manifest_ = fake.dir().write("manifest.json",
                                 make_manifest({"1.31.4-istio-v0", "1.30.8-istio-v0"},
                                               {{"1.30", "2030-01-01"}, {"1.31", "2030-01-01"}}));
    log_ = fake.root() / "istioctl.log";
    helm_log_ = fake.root() / "helm.log";
    const auto helm = fake.dir().write("bin/helm", "#!/bin/sh\nexec /usr/bin/env python3 " +
                                                       std::string(GETMESH_TEST_SERVERS_DIR) +
                                                       "/fake_helm.py \"$@\"\n");
    std::filesystem::permissions(helm, std::filesystem::perms(0755));
    std::filesystem::create_directories(fake.root() / "charts");
    write_chart_repository(fake.root() / "charts");
    nginx_ = std::make_unique<Nginx>(fake.root() / "charts");
  }

  // The cluster's namespaces and workloads, then the mesh installed with the test helm:
  // istio-base, istiod (with `istiod_values`) and the gateway istio-ingress (`gateway_values`).
  void serve(json objects, const json& istiod_values, const std::string& istiod_release,
             const json& gateway_values) {
    KubeApiServerOptions options;
    options.objects = std::move(objects);
    options.kube_version = "v1.31.2";
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
    const auto charts = fake.root() / "charts";
    helm({"upgrade", "--install", "istio-base", (charts / "base-1.30.8.tgz").string(), "-n",
          "istio-system"});
    const auto values = fake.dir().write("istiod-values.json", istiod_values.dump());
    helm({"upgrade", "--install", istiod_release, (charts / "istiod-1.30.8.tgz").string(), "-n",
          "istio-system", "-f", values.string()});
    const auto gateway = fake.dir().write("gateway-values.json", gateway_values.dump());
    helm({"upgrade", "--install", "istio-ingress", (charts / "gateway-1.30.8.tgz").string(), "-n",
          "istio-ingress", "-f", gateway.string()});
    wait_for_pods();
    helm_calls();
  }

  std::map<std::string, std::string> environment(std::map<std::string, std::string> env = {}) {
    env.emplace("GETMESH_MANIFEST", manifest_.string());
    env.emplace("PATH", (fake.root() / "bin").string() + ":/usr/bin:/bin");
    env["FAKE_HELM_LOG"] = helm_log_.string();
    for (auto& [name, value] : test_istioctl_environment(*server_, log_)) env.emplace(name, value);
    return env;
  }

  void helm(const std::vector<std::string>& args) {
    std::vector<std::string> argv{(fake.root() / "bin" / "helm").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.env = environment();
    const auto ran = run_program(argv, options);
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
  }

  // Until the controller made the pods of the Deployments helm created.
  void wait_for_pods() {
    for (int i = 0; i < 200 && proxies().size() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  RunResult getmesh(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"-c", kubeconfig_});
    args.insert(args.end(), {"--chart-repo", nginx_->url()});
    return run_getmesh(args, fake.options(environment(std::move(env))));
  }

  // The helm calls so far, without the --kubeconfig and --kube-context every one names
  // (checked here); clears the log.
  std::vector<std::string> helm_calls() {
    std::vector<std::string> calls;
    const std::string binding = " --kubeconfig " + kubeconfig_ + " --kube-context prod";
    for (auto line : take_lines(helm_log_)) {
      const auto at = line.find(binding);
      if (line.starts_with("helm version")) {
        calls.push_back(line);
        continue;
      }
      if (at == std::string::npos) {
        calls.push_back("UNBOUND " + line);
        continue;
      }
      line.erase(at, binding.size());
      const auto dir = (fake.home() / "tmp" / "upgrade").string() + "/";
      for (auto found = line.find(dir); found != std::string::npos; found = line.find(dir)) {
        line.erase(found, dir.size());
      }
      calls.push_back(line);
    }
    return calls;
  }

  json get(const std::string& path) { return *client_->get(path); }

  // The values of a release as `helm get values` prints them.
  json release_values(const std::string& release, const std::string& namespace_name) {
    RunOptions options;
    options.env = environment();
    const auto ran = run_program({(fake.root() / "bin" / "helm").string(), "get", "values", release,
                                  "-n", namespace_name, "-o", "json"},
                                 options);
    EXPECT_EQ(ran.exit_code, 0) << ran.err;
    return json::parse(ran.out, nullptr, false);
  }

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

  // "<name>@<chart version> v<release version>" of each deployed release, as helm lists them.
  std::vector<std::string> releases() {
    std::vector<std::string> found;
    kube::ListOptions options;
    options.label_selector = "owner=helm,status=deployed";
    const auto secrets = client_->list(kube::resource_path("", "secrets"), options);
    for (const auto& secret : *secrets) {
      found.push_back(secret["metadata"]["labels"]["name"].get<std::string>() + " v" +
                      secret["metadata"]["labels"]["version"].get<std::string>());
    }
    std::sort(found.begin(), found.end());
    return found;
  }

  std::string tag_revision(const std::string& tag) {
    return get(kube::resource_path("admissionregistration.k8s.io/v1",
                                   "mutatingwebhookconfigurations", {},
                                   "istio-revision-tag-" + tag))["metadata"]["labels"]
        .value("istio.io/rev", "");
  }

  // The revision the default validating webhook of the base chart points at.
  std::string default_revision() {
    return get(kube::resource_path("admissionregistration.k8s.io/v1",
                                   "validatingwebhookconfigurations", {},
                                   "istiod-default-validator"))["metadata"]["labels"]
        .value("istio.io/rev", "");
  }

  json record() {
    const auto map = get(kube::resource_path("", "configmaps", "istio-system", "getmesh-upgrade"));
    return json::parse(map["data"]["upgrade.json"].get<std::string>());
  }

  // Requests of getmesh's own (not the test helm's) that changed something; the test helm and
  // istioctl are told apart by their user agent.
  std::vector<std::string> getmesh_writes() {
    std::vector<std::string> found;
    for (const auto& request : server_->requests()) {
      if (request["method"] != "GET" && request.value("user_agent", "").starts_with("getmesh"))
        found.push_back(request["method"].get<std::string>() + " " +
                        request["path"].get<std::string>());
    }
    return found;
  }

  FakeHome fake;
  std::filesystem::path manifest_;
  std::filesystem::path log_;
  std::filesystem::path helm_log_;
  std::unique_ptr<Nginx> nginx_;
  std::unique_ptr<KubeApiServer> server_;
  std::unique_ptr<kube::Client> client_;
  std::string kubeconfig_;
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
            "helm upgrade istio-base base-1.31.4.tgz -n istio-system -f "
            "helm-values-istio-base.json --set defaultRevision=1-31-4" +
                bound + "  (revision 1-31-4 becomes the default, as Istio's Helm guide does)");
  EXPECT_EQ(plan["steps"][7]["actions"][2],
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

  EXPECT_EQ(default_revision(), "default");

  result = getmesh({"upgrade", "finish", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(helm_calls(), ElementsAre("helm version --template {{.Version}}",
                                        "helm upgrade istio-base base-1.31.4.tgz -n istio-system "
                                        "-f helm-values-istio-base.json --set "
                                        "defaultRevision=1-31-4",
                                        "helm uninstall istiod -n istio-system"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-31-4"));
  EXPECT_EQ(default_revision(), "1-31-4") << "the base chart's defaultRevision follows";
  EXPECT_THAT(releases(), ElementsAre("istio-base v3", "istio-ingress v2", "istiod-1-31-4 v1"));
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

TEST_F(HelmUpgrade, KeepsReleaseValuesOutOfTheRecordConfigMap) {
  json istiod_values = kIstiodValues;
  istiod_values["pilot"]["env"] = {{"EXTERNAL_CA_TOKEN", "istiod-s3cr3t"}};
  serve(label_mesh(), istiod_values, "istiod",
        {{"revision", "default"}, {"labels", {{"token", "gateway-s3cr3t"}}}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"},
                        {{"FAKE_HELM_FAIL_ON", "upgrade istio-ingress"}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  const auto path = kube::resource_path("", "configmaps", "istio-system", "getmesh-upgrade");
  auto map = get(path);
  for (const char* value : {"istiod-s3cr3t", "gateway-s3cr3t", "200m"}) {
    EXPECT_THAT(map.dump(), Not(HasSubstr(value)));
  }
  const auto reference = record()["helm_values"];
  ASSERT_TRUE(reference.is_object()) << record().dump();
  const auto secret = get(
      kube::resource_path("", "secrets", "istio-system", reference["secret"].get<std::string>()));
  EXPECT_EQ(secret["metadata"]["ownerReferences"], json::array({{{"apiVersion", "v1"},
                                                                 {"kind", "ConfigMap"},
                                                                 {"name", "getmesh-upgrade"},
                                                                 {"uid", map["metadata"]["uid"]}}}))
      << "deleting the record deletes the values";
  const auto stored = base64_decode(secret["data"]["values.json"].get<std::string>());
  ASSERT_TRUE(stored.has_value());
  EXPECT_THAT(*stored, HasSubstr("istiod-s3cr3t"));
  EXPECT_THAT(*stored, HasSubstr("gateway-s3cr3t"));

  // The resumed run reads the values back from the Secret and upgrades the gateway with them.
  result = getmesh({"upgrade", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(release_values("istio-ingress", "istio-ingress"),
            json({{"revision", "1-31-4"}, {"labels", {{"token", "gateway-s3cr3t"}}}}));
  EXPECT_EQ(release_values("istiod-1-31-4", "istio-system")["pilot"]["env"]["EXTERNAL_CA_TOKEN"],
            "istiod-s3cr3t");
  map = get(path);
  EXPECT_THAT(map.dump(), Not(HasSubstr("s3cr3t")));
  EXPECT_EQ(record()["phase"], "moved");
}

TEST_F(HelmUpgrade, AMeshWithoutRevisionsGetsItsDefaultRevisionBackOnRollback) {
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  auto result = getmesh({"upgrade", "--to", "1.31", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  helm_calls();
  result = getmesh({"upgrade", "finish", "--yes"}, {{"FAKE_HELM_FAIL_ON", "uninstall istiod"}});
  ASSERT_EQ(result.exit_code, 1) << result.err << result.out;
  EXPECT_EQ(default_revision(), "1-31-4");
  EXPECT_EQ(record()["default_revision_moved"], true);
  EXPECT_THAT(istiod_revisions(), ElementsAre("1-31-4", "default"));
  helm_calls();

  result = getmesh({"upgrade", "rollback", "--yes", "--timeout", "10s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("point the base chart's defaultRevision back at default"));
  const auto calls = helm_calls();
  EXPECT_THAT(calls, Contains("helm upgrade istio-base base-1.31.4.tgz -n istio-system -f "
                              "helm-values-istio-base.json"))
      << "the release's own values again";
  EXPECT_EQ(default_revision(), "default");
  EXPECT_EQ(record()["default_revision_moved"], false);
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/default/1.30.8", "shop/default/1.30.8"));
  EXPECT_THAT(istiod_revisions(), ElementsAre("default"));
  EXPECT_EQ(record()["phase"], "rolled-back");
}

TEST_F(HelmUpgrade, UpgradesFromAnAirGappedMirrorWithCharts) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  serve(label_mesh(), kIstiodValues, "istiod", {{"revision", "default"}});
  // The connected side: Istio's chart repository (nginx_) and upstream istioctl archives.
  const auto upstream_root = fake.root() / "upstream";
  std::filesystem::create_directories(upstream_root);
  for (const char* version : {kOld, kNew}) {
    const auto file =
        std::string("istioctl-") + version + "-" + Platform::host().archive_suffix() + ".tar.gz";
    const auto archive = make_tar_gz({ArchiveMember::file("istioctl", test_istioctl(version))});
    ASSERT_TRUE(write_file_atomic(upstream_root / file, archive).ok());
    ASSERT_TRUE(
        write_file_atomic(upstream_root / (file + ".sha256"), sha256_hex(archive) + "  " + file)
            .ok());
  }
  auto upstream = std::make_unique<Nginx>(upstream_root);
  auto source = json::parse(*read_file(manifest_));
  source["download_templates"] = {{"istio", upstream->url("istioctl-{version}-{platform}.tar.gz")}};
  const auto source_manifest = fake.dir().write("upstream-manifest.json", source.dump());
  const auto mirror = fake.root() / "mirror";
  auto result = run_getmesh(
      {"--manifest", source_manifest.string(), "mirror", "create", mirror.string(), "--version",
       "1.30.8,1.31.4", "--flavor", "istio", "--charts", "--chart-repo", nginx_->url()},
      fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;

  // The air gap: neither upstream nor Istio's repository answers; the 1.31.4 istioctl is not here.
  upstream.reset();
  nginx_.reset();
  std::filesystem::remove_all(fake.home() / "istio" / "1.31.4-istio-v0");
  Nginx served(mirror);
  result =
      run_getmesh({"-c", kubeconfig_, "upgrade", "--to", "1.31", "--yes", "--timeout", "10s"},
                  fake.options(environment({{"GETMESH_MIRROR", served.url()},
                                            {"GETMESH_MANIFEST", served.url("manifest.json")}})));
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(proxies(), ElementsAre("istio-ingress/1-31-4/1.31.4", "shop/1-31-4/1.31.4"));
  EXPECT_THAT(served.requests("/index.yaml"), Not(IsEmpty()));
  for (const char* chart : {"/base-1.31.4.tgz", "/istiod-1.31.4.tgz", "/gateway-1.31.4.tgz"}) {
    EXPECT_THAT(served.requests(chart), Not(IsEmpty())) << chart;
  }
  EXPECT_THAT(served.requests("-istio-v0-" + Platform::host().archive_suffix() + ".tar.gz"),
              Not(IsEmpty()))
      << "istioctl 1.31.4 came from the mirror too";
}

}  // namespace helm_upgrade
}  // namespace getmesh::testing
