// getmesh upgrade of Helm-installed sidecar meshes, against the test API server (with its workload
// controller), the test helm (tests/servers/fake_helm.py), the test istioctl and a chart
// repository served by nginx (tests/support/helm_mesh).
#include "support/helm_mesh.hpp"
#include "support/mirror.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/platform.hpp>
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

  // The revision the default validating webhook of the base chart points at.
  std::string default_revision() {
    return get(kube::resource_path("admissionregistration.k8s.io/v1",
                                   "validatingwebhookconfigurations", {},
                                   "istiod-default-validator"))["metadata"]["labels"]
        .value("istio.io/rev", "");
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
  for (const char* version : {kOld, kTo}) {
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
