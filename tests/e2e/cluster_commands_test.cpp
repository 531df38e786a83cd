// version and check-upgrade against the test Kubernetes API server, through the built binary.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/mesh_layouts.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <sys/stat.h>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

nlohmann::json mesh(const std::string& control, const std::string& proxy, int proxies = 2) {
  auto objects =
      nlohmann::json::array({namespace_object("istio-system"), namespace_object("apps")});
  if (!control.empty())
    objects.push_back(istiod_pod("istiod-1", "docker.io/istio/pilot:" + control));
  for (int i = 0; i < proxies; ++i) {
    objects.push_back(
        sidecar_pod("apps", "app-" + std::to_string(i), "docker.io/istio/proxyv2:" + proxy));
  }
  return objects;
}

KubeApiServerOptions serving(nlohmann::json objects) {
  KubeApiServerOptions options;
  options.objects = std::move(objects);
  options.kube_version = "v1.31.2";  // supported by the test manifest's distributions
  return options;
}

class ClusterCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_ = fake.dir().write(
        "manifest.json", make_manifest({"1.31.1-istio-v0", "1.31.0-istio-v0", "1.30.5-istio-v0"},
                                       {{"1.30", "2030-01-01"}, {"1.31", "2030-06-01"}}));
  }

  // A kubeconfig with one context per server URL: "ctx0", "ctx1", ...
  std::string kubeconfig(const std::vector<std::string>& servers,
                         const std::string& user_body = {}) {
    std::vector<KubeconfigContext> contexts;
    for (std::size_t i = 0; i < servers.size(); ++i) {
      contexts.push_back(
          {"ctx" + std::to_string(i), servers[i],
           user_body.empty() ? client_certificate_user(TestCertificates::get()) : user_body, ""});
    }
    return fake.dir()
        .write("kubeconfig", make_kubeconfig(contexts, TestCertificates::get().ca_cert))
        .string();
  }

  RunResult getmesh(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env["GETMESH_MANIFEST"] = manifest_.string();
    return run_getmesh(args, fake.options(env));
  }

  FakeHome fake;
  std::filesystem::path manifest_;
};

TEST_F(ClusterCommands, VersionShowsTheClusterMesh) {
  fake.install("1.31.1-istio-v0");
  fake.set_active("1.31.1-istio-v0");
  KubeApiServer server(serving(mesh("1.31.1", "1.31.1", 3)));
  const auto config = kubeconfig({server.url()});
  auto result = getmesh({"-c", config, "version"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, ::testing::StartsWith("getmesh version: "));
  EXPECT_THAT(result.out,
              HasSubstr("\nactive istioctl: 1.31.1-istio-v0\n"
                        "istioctl build: " +
                        (fake.home() / "istio/1.31.1-istio-v0/bin/istioctl").string() +
                        ": not an ELF or Mach-O executable\n"
                        "kubernetes version: v1.31.2 (context ctx0)\n"
                        "platform: generic Kubernetes\n"
                        "control plane owner: unknown (revision default)\n"
                        "control plane version: 1.31.1-istio-v0 (revision default, 1 pod)\n"
                        "data plane version: 1.31.1-istio-v0 (3 proxies)\n"));
  EXPECT_EQ(result.err, "");

  result = getmesh({"version", "-o", "json"}, {{"KUBECONFIG", config}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["cluster"]["context"], "ctx0");
  EXPECT_EQ(json["cluster"]["control_planes"][0]["version"], "1.31.1-istio-v0");
  EXPECT_EQ(json["cluster"]["data_plane"][0]["proxies"], 3);

  result = getmesh({"-c", config, "version", "--remote=false", "-o", "json"});
  EXPECT_TRUE(nlohmann::json::parse(result.out)["cluster"].is_null());
}

// One platform per kind of clue (the /version suffix, a node label, an API group, a node's
// provider ID, none); every platform and clue is covered by the unit tests.
TEST_F(ClusterCommands, PlatformsAreRecognisedFromWhatTheClusterShows) {
  const std::pair<std::string, std::string> platforms[] = {
      {"eks", "Amazon EKS (Kubernetes version v1.31.2-eks-7f9249a)"},
      {"aks", "Azure AKS (node label kubernetes.azure.com/cluster)"},
      {"openshift", "OpenShift (API group config.openshift.io)"},
      {"kind", "kind (node provider ID kind://…)"},
      {"generic", "generic Kubernetes"},
  };
  for (const auto& [platform, shown] : platforms) {
    auto objects = istioctl_mesh("1.31.1");
    for (const auto& node : platform_node(platform)) objects.push_back(node);
    if (platform == "openshift") {
      objects.push_back(
          crd_object("config.openshift.io", "v1", "clusterversions", "ClusterVersion", false));
    }
    auto options = serving(objects);
    options.kube_version = platform_git_version(platform);
    KubeApiServer server(options);
    const auto config = kubeconfig({server.url()});
    auto result = getmesh({"-c", config, "version"});
    ASSERT_EQ(result.exit_code, 0) << platform << result.err;
    EXPECT_THAT(result.out, HasSubstr("\nplatform: " + shown +
                                      "\ncontrol plane owner: istioctl (istioctl install)\n"))
        << platform;
    result = getmesh({"-c", config, "check-upgrade", "-o", "json"});
    const auto json = nlohmann::json::parse(result.out)["clusters"][0];
    EXPECT_EQ(json["platform"]["id"], platform) << platform;
    EXPECT_EQ(json["owner"]["id"], "istioctl") << platform;
    EXPECT_EQ(json["owner"]["manages_upgrades"], false) << platform;
  }
}

TEST_F(ClusterCommands, EksIsRecognisedFromTheAwsCredentialPluginWhenNodesAreForbidden) {
  const auto bin = fake.root() / "bin";
  std::filesystem::create_directories(bin);
  // Stands in for `aws eks get-token`: an ExecCredential with a token the server accepts.
  const auto aws = fake.dir().write("bin/aws", R"(#!/bin/sh
case " $* " in *" eks get-token "*) ;; *) echo "unexpected: $*" >&2; exit 2;; esac
echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"token":"test-token"}}'
)");
  ::chmod(aws.c_str(), 0755);
  auto options = serving(istioctl_mesh("1.31.1"));
  for (const auto& node : platform_node("eks")) options.objects.push_back(node);
  options.forbid = {"nodes"};
  KubeApiServer server(options);
  const auto config = kubeconfig(
      {server.url()},
      "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n"
      "      args: [--region, us-west-2, eks, get-token, --cluster-name, prod, --output, json]");
  const auto result = getmesh({"-c", config, "check-upgrade"},
                              {{"PATH", bin.string() + ":" + std::getenv("PATH")}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("Platform:       Amazon EKS (credential plugin aws eks get-token)\n"));
}

TEST_F(ClusterCommands, OwnersAreShownAndTheirWayIsTheAdvice) {
  struct Case {
    nlohmann::json objects;
    std::string istio_namespace;
    std::string owner;
    std::string advice;  // "" when the mesh is up to date
  };
  const Case cases[] = {
      {helm_mesh("1.31.0"), "istio-system",
       "Owner:          Helm (release istiod in istio-system, chart istiod-1.31.0)",
       "upgrade to 1.31.1-istio-v0, the latest patch of 1.31-istio; upgrade the Helm release: "
       "\"helm upgrade istiod istio/istiod --namespace istio-system --version 1.31.1\""},
      {aks_addon_mesh("asm-1-30", "1.30.5"), "aks-istio-system",
       "Owner:          AKS Istio add-on (revision asm-1-30 in aks-istio-system)", ""},
      {google_managed_mesh(), "istio-system",
       "Owner:          Google's managed Cloud Service Mesh (ControlPlaneRevision asm-managed, "
       "channel regular)",
       ""},
      {sail_mesh("1.31.0"), "istio-system",
       "Owner:          Sail operator (Istio resource default, version v1.31.0, update strategy "
       "InPlace)",
       "set the version of the Istio resource: \"kubectl patch istio default --type merge -p "
       "'{\"spec\":{\"version\":\"v1.31.1\"}}'\""},
      {maistra_mesh(), "istio-system",
       "Owner:          OpenShift Service Mesh 2 (ServiceMeshControlPlane basic in istio-system)",
       ""},
      {istioctl_mesh("1.31.1"), "istio-system", "Owner:          istioctl (istioctl install)", ""},
      {mesh("", "", 0), "istio-system", "Owner:          none", ""},
  };
  for (const auto& c : cases) {
    KubeApiServer server(serving(c.objects));
    const auto config = kubeconfig({server.url()});
    auto result = getmesh({"-c", config, "check-upgrade", "--istio-namespace", c.istio_namespace});
    EXPECT_THAT(result.out, HasSubstr(c.owner + "\n")) << c.owner << result.err;
    if (!c.advice.empty()) {
      EXPECT_THAT(result.out, HasSubstr(c.advice)) << c.owner;
    }
    if (c.owner.find("istioctl") == std::string::npos &&
        c.owner.find("none") == std::string::npos) {
      EXPECT_THAT(result.out, HasSubstr("INFO     the control plane is owned by")) << c.owner;
    }
  }

  // The fleet table shows both, and JSON names them.
  KubeApiServer helm(serving(helm_mesh("1.31.1")));
  auto eks_options = serving(istioctl_mesh("1.31.1"));
  eks_options.kube_version = platform_git_version("eks");
  KubeApiServer eks(eks_options);
  const auto config = kubeconfig({helm.url(), eks.url()});
  auto result = getmesh({"-c", config, "check-upgrade", "--all-contexts"});
  EXPECT_THAT(result.out, HasSubstr("CONTEXT   PLATFORM   OWNER      KUBERNETES"));
  EXPECT_THAT(result.out, HasSubstr("ctx0      generic    helm       v1.31.2 "));
  EXPECT_THAT(result.out, HasSubstr("ctx1      eks        istioctl   v1.31.2-eks-7f9249a "));
  result = getmesh({"-c", config, "check-upgrade", "--all-contexts", "-o", "json"});
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["clusters"][0]["owner"]["id"], "helm");
  EXPECT_EQ(json["clusters"][0]["owner"]["manages_upgrades"], true);
  EXPECT_EQ(json["clusters"][0]["owner"]["evidence"],
            "annotation meta.helm.sh/release-name=istiod on Deployment istio-system/istiod");
  EXPECT_EQ(json["clusters"][1]["platform"]["name"], "Amazon EKS");
}

TEST_F(ClusterCommands, FipsImagesArePerControlPlaneAndDataPlaneAndAMixedMeshIsAWarning) {
  auto objects =
      nlohmann::json::array({namespace_object("istio-system"), namespace_object("apps")});
  objects.push_back(
      istiod_pod("istiod-1", "containers.istio.tetratelabs.com/pilot:1.31.1-tetratefips-v0"));
  objects.push_back(sidecar_pod("apps", "fips-1",
                                "containers.istio.tetratelabs.com/proxyv2:1.31.1-tetratefips-v0"));
  objects.push_back(
      sidecar_pod("apps", "plain-1", "containers.istio.tetratelabs.com/proxyv2:1.31.1-tetrate-v0"));
  KubeApiServer server(serving(objects));
  const auto config = kubeconfig({server.url()});
  auto result = getmesh({"-c", config, "version"});
  EXPECT_THAT(
      result.out,
      HasSubstr("control plane version: 1.31.1-tetratefips-v0 (revision default, 1 pod, FIPS)\n"
                "data plane version: 1.31.1-tetrate-v0 (1 proxy), 1.31.1-tetratefips-v0 (1 proxy, "
                "FIPS)\n"));
  result = getmesh({"-c", config, "check-upgrade"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.out,
              HasSubstr("WARNING  control plane default runs FIPS images (1.31.1-tetratefips-v0) "
                        "but 1 proxy (1.31.1-tetrate-v0) injected for it does not"));
  result = getmesh({"-c", config, "check-upgrade", "-o", "json"});
  const auto json = nlohmann::json::parse(result.out)["clusters"][0];
  EXPECT_EQ(json["fips"]["control_plane"], "yes");
  EXPECT_EQ(json["fips"]["data_plane"], "partly");
  EXPECT_EQ(json["control_planes"][0]["fips"], true);
}

TEST_F(ClusterCommands, VersionWithAnUnreachableClusterReturnsWithinThreeSeconds) {
  KubeApiServerOptions hang;
  hang.fault = "hang";
  KubeApiServer never_answers(hang);
  for (const auto& server :
       {"https://127.0.0.1:" + std::to_string(closed_port()), never_answers.url()}) {
    const auto start = Clock::now();
    const auto result = getmesh({"-c", kubeconfig({server}), "version"});
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(3)) << server;
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("getmesh version:"));
    EXPECT_THAT(result.out, Not(HasSubstr("kubernetes version")));
    EXPECT_THAT(result.err, HasSubstr("warning: no cluster information:"));
    EXPECT_THAT(result.err, HasSubstr("context \"ctx0\""));
  }
}

TEST_F(ClusterCommands, VersionKubeconfigProblems) {
  // Like kubectl: without a usable kubeconfig the client part is printed, then the error (exit 1).
  auto result = getmesh({"version"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("getmesh version: "));
  EXPECT_THAT(result.err, HasSubstr("error: no kubeconfig found"));
  const auto absent = (fake.root() / "absent.yaml").string();
  result = getmesh({"-c", absent, "version"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(absent + " (from --kubeconfig) does not exist"));
  EXPECT_THAT(result.out, HasSubstr("getmesh version: "));
  const auto broken = fake.dir().write("broken.yaml", "contexts: [").string();
  for (const auto& file : {absent, broken}) {
    const auto flag = getmesh({"-c", file, "version"});
    const auto variable = getmesh({"version"}, {{"KUBECONFIG", file}});
    EXPECT_EQ(flag.exit_code, 1) << file;
    EXPECT_EQ(variable.exit_code, 1) << file << ": KUBECONFIG=FILE behaves like -c FILE";
    EXPECT_THAT(variable.out, HasSubstr("getmesh version: "));
    EXPECT_THAT(variable.err, HasSubstr(file));
  }
  // -o json: the client part and the error as one document on stdout, the error on stderr.
  result = getmesh({"-c", broken, "version", "-o", "json"});
  EXPECT_EQ(result.exit_code, 1);
  const auto document = nlohmann::json::parse(result.out);
  EXPECT_TRUE(document.contains("getmesh_version"));
  EXPECT_THAT(document["cluster"]["error"].get<std::string>(), HasSubstr(broken));
  // An undefined context is a usage error, after the client part.
  result = getmesh({"-c", kubeconfig({"https://127.0.0.1:1"}), "version", "--context", "nope"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr("getmesh version: "));
  EXPECT_THAT(result.err, HasSubstr("context \"nope\" is not defined"));
  EXPECT_THAT(result.err, HasSubstr("ctx0"));
}

TEST_F(ClusterCommands, CheckUpgradeNothingToDo) {
  KubeApiServer server(serving(mesh("1.31.1", "1.31.1")));
  const auto result = getmesh({"-c", kubeconfig({server.url()}), "check-upgrade"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr("Control plane:  1.31.1-istio-v0 (revision default, 1 pod)"));
  EXPECT_THAT(result.out,
              HasSubstr("OK       control plane default runs 1.31.1-istio-v0, the latest patch"));
}

TEST_F(ClusterCommands, CheckUpgradeFindsAnAvailablePatch) {
  KubeApiServer server(serving(mesh("1.31.0", "1.31.0")));
  const auto config = kubeconfig({server.url()});
  auto result = getmesh({"-c", config, "check-upgrade"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(
      result.out,
      HasSubstr("ACTION   control plane default runs 1.31.0-istio-v0; upgrade to 1.31.1-istio-v0"));
  result = getmesh({"-c", config, "check-upgrade", "-o", "json"});
  EXPECT_EQ(result.exit_code, 3);
  // One cluster has the fleet's shape; status values have no spaces.
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["clusters"].size(), 1u);
  EXPECT_EQ(json["clusters"][0]["status"], "action_needed");
  EXPECT_EQ(json["clusters"][0]["findings"][0]["code"], "patch-available");
  EXPECT_EQ(json["clusters"][0]["findings"][0]["target"], "1.31.1-istio-v0");
  EXPECT_EQ(result.err, "") << "-o json is never mixed with anything else";
  result = getmesh({"-c", config, "check-upgrade", "-o", "yaml"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, ::testing::StartsWith("clusters:\n  - context: \"ctx0\""));
  EXPECT_THAT(result.out, HasSubstr("status: \"action_needed\""));
}

TEST_F(ClusterCommands, CheckUpgradeWithoutIstioAndWithUnparseableImages) {
  {
    KubeApiServer server(serving(mesh("", "", 0)));
    const auto result = getmesh({"-c", kubeconfig({server.url()}), "check-upgrade"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out,
                HasSubstr("no Istio control plane (app=istiod) in namespace istio-system"));
  }
  KubeApiServer server(serving(mesh("latest", "master-0a1b2c")));
  const auto result = getmesh({"-c", kubeconfig({server.url()}), "check-upgrade"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("cannot tell the Istio version of control plane default from its image "
                        "\"docker.io/istio/pilot:latest\""));
  EXPECT_THAT(result.out,
              HasSubstr("cannot tell the Istio version of 2 sidecars (apps/app-0, apps/app-1)"));
}

TEST_F(ClusterCommands, CheckUpgradeApiErrors) {
  KubeApiServerOptions unauthorized = serving(mesh("1.31.1", "1.31.1"));
  unauthorized.fault = "unauthorized";
  KubeApiServer rejecting(unauthorized);
  auto result =
      getmesh({"-c", kubeconfig({rejecting.url()}, token_user("old-token")), "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("rejected the credentials of user \"ctx0-user\" (HTTP 401 Unauthorized)"));
  EXPECT_THAT(result.err, HasSubstr("hint: log in again"));
  EXPECT_THAT(result.err + result.out, Not(HasSubstr("old-token")));
  EXPECT_EQ(result.out, "");

  KubeApiServerOptions forbidden = serving(mesh("1.31.1", "1.31.1"));
  forbidden.forbid = {"pods"};
  KubeApiServer refusing(forbidden);
  result = getmesh({"-c", kubeconfig({refusing.url()}), "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("user \"ctx0-user\" may not list pods"));
  EXPECT_THAT(result.err, HasSubstr("HTTP 403 Forbidden"));
}

TEST_F(ClusterCommands, CheckUpgradeUnreachableClusters) {
  const auto start = Clock::now();
  auto result = getmesh(
      {"-c", kubeconfig({"https://127.0.0.1:" + std::to_string(closed_port())}), "check-upgrade"});
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("error: cannot reach the Kubernetes API server of context \"ctx0\""));
  EXPECT_THAT(result.err, HasSubstr("hint: "));

  KubeApiServerOptions hang;
  hang.fault = "hang";
  KubeApiServer never_answers(hang);
  result = getmesh({"-c", kubeconfig({never_answers.url()}), "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("did not answer in time"));
}

TEST_F(ClusterCommands, CheckUpgradeBadKubeconfigsAndCredentials) {
  const auto& certificates = TestCertificates::get();
  const auto not_yaml = fake.dir().write("broken.yaml", "clusters: [\n  - name: a\n");
  auto result = getmesh({"check-upgrade"}, {{"KUBECONFIG", not_yaml.string()}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("kubeconfig " + not_yaml.string() + " is invalid: it is not YAML"));

  const auto no_cluster = fake.dir().write(
      "no-cluster.yaml",
      "contexts:\n- name: c\n  context: {cluster: gone, user: u}\ncurrent-context: c\n");
  result = getmesh({"-c", no_cluster.string(), "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("names cluster \"gone\", which is not defined in " + no_cluster.string()));

  result = getmesh({"-c",
                    kubeconfig({"https://127.0.0.1:1"},
                               "client-certificate: " + certificates.expired_cert.string() +
                                   "\n    client-key: " + certificates.expired_key.string()),
                    "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("the client certificate of user \"ctx0-user\""));
  EXPECT_THAT(result.err, HasSubstr("expired on 2020-02-01"));

  KubeApiServer server(serving(mesh("1.31.1", "1.31.1")));
  result = getmesh(
      {"-c",
       kubeconfig({server.url()}, "client-certificate: " + certificates.foreign_cert.string() +
                                      "\n    client-key: " + certificates.foreign_key.string()),
       "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("the TLS connection to the Kubernetes API server"));

  const auto plugin =
      fake.dir().write("plugin", "#!/bin/sh\necho 'refresh token expired' >&2\nexit 1\n");
  ::chmod(plugin.c_str(), 0755);
  result = getmesh({"-c",
                    kubeconfig({server.url()},
                               "exec: {apiVersion: client.authentication.k8s.io/v1beta1, "
                               "command: ./plugin}"),
                    "check-upgrade"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("failed with exit code 1: refresh token expired"));
}

TEST_F(ClusterCommands, FleetCheckReportsEveryClusterInOneTable) {
  KubeApiServer current(serving(mesh("1.31.1", "1.31.1")));
  KubeApiServer outdated(serving(mesh("1.30.5", "1.30.5")));
  const auto config = kubeconfig(
      {current.url(), outdated.url(), "https://127.0.0.1:" + std::to_string(closed_port())});
  auto result = getmesh({"-c", config, "check-upgrade", "--all-contexts"});
  EXPECT_EQ(result.exit_code, 1) << "a cluster could not be checked";
  EXPECT_THAT(result.out, HasSubstr("CONTEXT   PLATFORM   OWNER     KUBERNETES   CONTROL PLANE"));
  EXPECT_THAT(result.out, HasSubstr("ctx0      generic    unknown   v1.31.2      1.31.1-istio-v0   "
                                    "1.31.1-istio-v0 (2 proxies)   ok"));
  EXPECT_THAT(result.out, HasSubstr("ctx2      -          -         -            -                 "
                                    "-                             unreachable"));
  EXPECT_THAT(result.out, HasSubstr("ctx2:\n  ERROR    cannot reach the Kubernetes API server"));

  // A context named twice is checked once.
  result = getmesh({"-c", config, "check-upgrade", "--contexts", "ctx0,ctx1,ctx0", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["clusters"].size(), 2u);
  EXPECT_EQ(json["clusters"][0]["status"], "ok");
  EXPECT_EQ(json["clusters"][1]["status"], "ok") << "1.30.5 is the latest 1.30 patch";

  result = getmesh({"-c", config, "check-upgrade", "--context", "ctx0", "--all-contexts"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("give only one of --context, --contexts and --all-contexts"));

  result = getmesh({"-c", config, "check-upgrade", "--contexts", ""});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--contexts names no context"));
  for (const std::string command : {"check-upgrade", "version"}) {
    result = getmesh({"-c", config, command, "--istio-namespace", ""});
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_THAT(result.err, HasSubstr("must not be empty")) << command;
  }
}

// Memory running out while a fleet is checked (here: a 192 MiB address space against a server
// whose list pages of 32 MiB never end) is one error line and exit 1, as with one cluster, never
// an abort from inside a worker thread.
TEST_F(ClusterCommands, RunningOutOfMemoryInAFleetCheckIsOneErrorLine) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer needs more address space than the limit leaves";
#endif
  auto options = serving(mesh("1.31.1", "1.31.1"));
  options.fault = "bloated-continue";
  KubeApiServer server(options);
  const auto config = kubeconfig({server.url(), server.url()});
  auto env = fake.options({{"GETMESH_MANIFEST", manifest_.string()}});
  const auto result = run_program({"/bin/sh", "-c",
                                   "ulimit -v 196608 && exec \"$0\" -c \"$1\" check-upgrade "
                                   "--all-contexts",
                                   GETMESH_BINARY, config},
                                  env);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "error: getmesh ran out of memory\nhint: the input or a server's answer is too large "
            "for this machine; see the limits in docs/configuration.md\n");
}

}  // namespace
}  // namespace getmesh::testing
