// getmesh istioctl against a cluster: install guards and the control-plane version match.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/mesh_layouts.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A fake istioctl that appends "<name> <args>" to $FAKE_LOG and answers help like istioctl. With
// $FAKE_COPY_F, install copies its -f file there and its permissions to $FAKE_COPY_F.mode.
std::string recording_istioctl(const std::string& name) {
  return "#!/bin/sh\necho \"" + name +
         " $*\" >> \"$FAKE_LOG\"\ncase \" $* \" in\n"
         "  *\" x --help \"*) printf '%b\\n' \"$FAKE_X_HELP\"; exit 0;;\n"
         "  *\" --help \"*) printf '%b\\n' \"$FAKE_HELP\"; exit 0;;\n"
         "  *\" precheck \"*) exit ${FAKE_PRECHECK_EXIT:-0};;\n"
         "  *\" verify-install \"*) exit ${FAKE_VERIFY_EXIT:-0};;\n"
         "  *\" install \"*)\n"
         "    previous=\n"
         "    for arg in \"$@\"; do\n"
         "      if [ -n \"$FAKE_COPY_F\" ] && [ \"$previous\" = -f ]; then\n"
         "        cat \"$arg\" > \"$FAKE_COPY_F\"; stat -c %a \"$arg\" > \"$FAKE_COPY_F.mode\"\n"
         "      fi\n"
         "      previous=$arg\n"
         "    done\n"
         "    exit ${FAKE_INSTALL_EXIT:-0};;\n"
         "esac\nexit 0\n";
}

constexpr const char* kModernHelp =
    "Available Commands:\\n  install\\n  precheck\\n  verify-install";

class IstioctlCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"1.31.1-istio-v0", "1.30.5-istio-v0"})
      fake.install(name, true, recording_istioctl(name));
    fake.set_active("1.31.1-istio-v0");
    manifest_ = fake.dir().write("manifest.json",
                                 make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0"},
                                               {{"1.30", "2030-01-01"}, {"1.31", "2030-06-01"}}));
    log_ = fake.root() / "istioctl.log";
  }

  void serve(const std::string& istiod_version, const std::string& kube_version = "v1.31.2") {
    serve_objects(
        nlohmann::json::array({namespace_object("istio-system"),
                               istiod_pod("istiod-1", "docker.io/istio/pilot:" + istiod_version)}),
        kube_version);
  }

  void serve_objects(nlohmann::json objects, const std::string& kube_version = "v1.31.2") {
    KubeApiServerOptions options;
    options.objects = std::move(objects);
    options.kube_version = kube_version;
    server_ = std::make_unique<KubeApiServer>(options);
    kubeconfig_ =
        fake.dir()
            .write("kubeconfig",
                   make_kubeconfig({{"ctx0", server_->url(),
                                     client_certificate_user(TestCertificates::get()), ""}},
                                   TestCertificates::get().ca_cert))
            .string();
  }

  RunResult getmesh(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env["GETMESH_MANIFEST"] = manifest_.string();
    env["FAKE_LOG"] = log_.string();
    if (!env.contains("FAKE_HELP")) env["FAKE_HELP"] = kModernHelp;
    return run_getmesh(args, fake.options(env));
  }

  // The istioctl invocations so far, one "<name> <args>" per line; clears the log.
  std::vector<std::string> calls() { return take_lines(log_); }

  FakeHome fake;
  std::filesystem::path manifest_;
  std::filesystem::path log_;
  std::unique_ptr<KubeApiServer> server_;
  std::string kubeconfig_;
};

TEST_F(IstioctlCluster, InstallRunsPrecheckInstallAndVerifyWithTheClusterFlags) {
  serve("1.31.1");
  const auto result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y", "-f", "a.yaml",
                               "--filename=b.yaml", "--revision", "canary", "--set",
                               "values.global.istioNamespace=mesh", "--context", "ctx0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(
      calls(),
      ElementsAre(
          "1.31.1-istio-v0 --help",
          "1.31.1-istio-v0 precheck --context ctx0 --revision canary --istioNamespace mesh",
          "1.31.1-istio-v0 install -y -f a.yaml --filename=b.yaml --revision canary --set "
          "values.global.istioNamespace=mesh --context ctx0",
          "1.31.1-istio-v0 verify-install --context ctx0 --revision canary --istioNamespace "
          "mesh -f a.yaml -f b.yaml"));
  bool asked_version = false;
  for (const auto& request : server_->requests()) asked_version |= request["path"] == "/version";
  EXPECT_TRUE(asked_version) << "the Kubernetes version is checked first";
}

TEST_F(IstioctlCluster, AFileThatIsNotAFileIsReadOnceAndIstioctlGetsItsBytes) {
  serve("1.31.1");
  fake.write_config(R"({"istio_distribution":{"version":"1.31.1","flavor":"istio"},)"
                    R"("default_hub":"registry.example/istio"})");
  const auto copy = fake.root() / "istioctl-got.yaml";
  const std::string without_hub =
      "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: minimal\n";
  const std::string with_hub = without_hub + "  hub: mine.example/istio\n";
  for (const auto& piped : {without_hub, with_hub}) {
    auto options = fake.options({{"GETMESH_MANIFEST", manifest_.string()},
                                 {"FAKE_LOG", log_.string()},
                                 {"FAKE_HELP", kModernHelp},
                                 {"FAKE_COPY_F", copy.string()}});
    options.input = piped;
    const auto result =
        run_getmesh({"-c", kubeconfig_, "istioctl", "install", "-y", "-f", "/dev/stdin"}, options);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(*read_file(copy), piped) << "istioctl gets exactly the bytes getmesh read";
    EXPECT_EQ(*read_file(copy.string() + ".mode"), "600\n");
    const auto made = calls();
    ASSERT_EQ(made.size(), 4u);
    EXPECT_THAT(made[2], HasSubstr(" -f " + (fake.home() / "tmp" / "stdin-").string()));
    EXPECT_THAT(made[3], HasSubstr(" -f " + (fake.home() / "tmp" / "stdin-").string()));
    if (piped == with_hub) {
      EXPECT_THAT(made[2], Not(HasSubstr("--set hub=")));
    } else {
      EXPECT_THAT(made[2], HasSubstr("--set hub=registry.example/istio"));
    }
    for (const auto& entry : std::filesystem::directory_iterator(fake.home() / "tmp")) {
      EXPECT_THAT(entry.path().filename().string(), Not(::testing::StartsWith("stdin-")))
          << "the private copy is removed afterwards";
    }
  }
}

TEST_F(IstioctlCluster, OlderIstioctlsUseExperimentalPrecheckOrNone) {
  serve("1.31.1");
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"},
                        {{"FAKE_HELP", "Available Commands:\\n  install\\n  x"},
                         {"FAKE_X_HELP", "Available Commands:\\n  precheck"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 --help", "1.31.1-istio-v0 x --help",
                                   "1.31.1-istio-v0 x precheck", "1.31.1-istio-v0 install -y"));
  result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"}, {{"FAKE_HELP", "install"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("this istioctl has no precheck command"));
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 --help", "1.31.1-istio-v0 x --help",
                                   "1.31.1-istio-v0 install -y"));
}

TEST_F(IstioctlCluster, FailuresStopTheInstallAndExitCodesComeBack) {
  serve("1.31.1");
  auto result =
      getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"}, {{"FAKE_PRECHECK_EXIT", "4"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("istioctl precheck found problems (exit code 4); nothing was installed"));
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 --help", "1.31.1-istio-v0 precheck"));

  result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"}, {{"FAKE_INSTALL_EXIT", "7"}});
  EXPECT_EQ(result.exit_code, 7) << "istioctl's own exit code";
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 --help", "1.31.1-istio-v0 precheck",
                                   "1.31.1-istio-v0 install -y"));

  result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"}, {{"FAKE_VERIFY_EXIT", "5"}});
  EXPECT_EQ(result.exit_code, 5);
  EXPECT_THAT(result.err, HasSubstr("istioctl verify-install failed (exit code 5)"));
}

TEST_F(IstioctlCluster, UnsupportedKubernetesWarnsOrRefuses) {
  serve("1.31.1", "v1.36.0");
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "install"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("Kubernetes 1.36 of context \"ctx0\" is not among the versions "
                                    "1.31.1-istio-v0 supports (1.30, 1.31)"));
  EXPECT_THAT(calls(), ::testing::Contains("1.31.1-istio-v0 install"));
  fake.write_config(
      R"({"istio_distribution":{"version":"1.31.1","flavor":"istio"},"strict_install":true})");
  result = getmesh({"-c", kubeconfig_, "istioctl", "install"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to install"));
  EXPECT_THAT(calls(), ::testing::IsEmpty());
}

TEST_F(IstioctlCluster, InstallNotesADowngradeOfTheControlPlaneAndStrictStopsIt) {
  serve("1.31.1");
  fake.set_active("1.30.5-istio-v0");
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "install"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr("warning: installing 1.30.5-istio-v0 downgrades the control plane of "
                        "context \"ctx0\" (revision default), which runs 1.31.1-istio-v0"));
  EXPECT_THAT(calls(), ::testing::Contains("1.30.5-istio-v0 install"));

  result = getmesh({"-c", kubeconfig_, "--strict", "istioctl", "install"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to install: --strict is given and no terminal"));
  EXPECT_THAT(calls(), ::testing::IsEmpty());

  // Another revision is a canary next to the running one, not a downgrade.
  result = getmesh({"-c", kubeconfig_, "--strict", "istioctl", "install", "--revision", "old"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("downgrades")));
}

TEST_F(IstioctlCluster, InstallNotesAFlavorChangeOfTheControlPlane) {
  serve("1.31.1-tetrate-v0");
  auto result =
      getmesh({"-c", kubeconfig_, "istioctl", "install"}, {{"GETMESH_STRICT_INSTALL", "1"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("warning: installing 1.31.1-istio-v0 changes the flavor of the control "
                        "plane of context \"ctx0\" (revision default) from tetrate to istio (it "
                        "runs 1.31.1-tetrate-v0)"));
  EXPECT_THAT(result.err,
              HasSubstr("refusing to install: GETMESH_STRICT_INSTALL=1 is set and no terminal"));
  EXPECT_THAT(calls(), ::testing::IsEmpty());
  result =
      getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"}, {{"GETMESH_STRICT_INSTALL", "1"}});
  EXPECT_EQ(result.exit_code, 0) << "-y accepts the warning";
}

TEST_F(IstioctlCluster, InstallRefusesToFightTheOwnerOfTheMeshUnlessForced) {
  const std::pair<std::string, nlohmann::json> owned[] = {
      {"Helm (release istiod in istio-system, chart istiod-1.31.1)", helm_mesh("1.31.1")},
      {"the AKS Istio add-on (revision asm-1-31 in aks-istio-system)",
       aks_addon_mesh("asm-1-31", "1.31.1")},
      {"Google's managed Cloud Service Mesh (ControlPlaneRevision asm-managed, channel regular)",
       google_managed_mesh()},
      {"the Sail operator (Istio resource default, version v1.31.1, update strategy InPlace)",
       sail_mesh("1.31.1")},
      {"OpenShift Service Mesh 2 (ServiceMeshControlPlane basic in istio-system)", maistra_mesh()},
  };
  for (const auto& [owner, objects] : owned) {
    serve_objects(objects);
    auto result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"});
    EXPECT_EQ(result.exit_code, 1) << owner;
    EXPECT_THAT(result.err,
                HasSubstr("error: refusing to run istioctl install on context \"ctx0\": "
                          "the Istio control plane is owned by " +
                          owner))
        << owner;
    EXPECT_THAT(result.err, HasSubstr("nothing was installed")) << owner;
    EXPECT_THAT(result.err, HasSubstr("pass --force to go ahead anyway")) << owner;
    EXPECT_THAT(calls(), ::testing::IsEmpty()) << owner << ": istioctl never ran";

    result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y", "--force"});
    EXPECT_EQ(result.exit_code, 0) << owner << result.err;
    EXPECT_THAT(result.err, HasSubstr("installing anyway because of --force")) << owner;
    EXPECT_THAT(calls(), ::testing::Contains("1.31.1-istio-v0 install -y --force")) << owner;
  }
  serve_objects(istioctl_mesh("1.31.1"));
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"});
  EXPECT_EQ(result.exit_code, 0) << "istioctl's own mesh: " << result.err;
  EXPECT_EQ(result.err, "");
}

TEST_F(IstioctlCluster, ContextFlagReachesIstioctl) {
  serve("1.31.1");
  const auto result = getmesh({"--context", "ctx0", "-c", kubeconfig_, "istioctl", "proxy-status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 --context ctx0 proxy-status"));
}

TEST_F(IstioctlCluster, AutoSelectRunsTheIstioctlMatchingTheControlPlaneAndCachesTheLookup) {
  serve("1.30.5");
  fake.write_config(
      R"({"istio_distribution":{"version":"1.31.1","flavor":"istio"},"auto_select":true})");
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(calls(), ElementsAre("1.30.5-istio-v0 proxy-status"));
  EXPECT_THAT(result.err,
              HasSubstr("auto_select: running 1.30.5-istio-v0 because the control plane of context "
                        "\"ctx0\" (revision default) runs 1.30.5-istio-v0"));
  server_.reset();  // the cluster is gone: the cached lookup still answers
  result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  EXPECT_THAT(calls(), ElementsAre("1.30.5-istio-v0 proxy-status"));
  // Once the cache is stale the cluster is asked again; unreachable means the active istioctl.
  result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"},
                   {{"GETMESH_CLUSTER_CACHE_SECONDS", "0"}});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 proxy-status"));
  EXPECT_THAT(result.err, HasSubstr("auto_select: cannot read the control plane"));
}

TEST_F(IstioctlCluster, WithoutAutoSelectOnlyAKnownMismatchWarnsAndNothingIsAsked) {
  serve("1.30.5");
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  EXPECT_EQ(result.err, "");
  EXPECT_TRUE(server_->requests().empty()) << "the passthrough stays off the network";
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 proxy-status"));

  ASSERT_EQ(getmesh({"-c", kubeconfig_, "version"}).exit_code, 0);  // learns the control plane
  result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 proxy-status"));
  EXPECT_THAT(
      result.err,
      HasSubstr("warning: the active istioctl 1.31.1-istio-v0 (config.json) is 1.31, but the "
                "control plane of context \"ctx0\" (revision default) runs 1.30.5-istio-v0; "
                "1.30.5-istio-v0 is fetched"));
  // install chooses its own version: no warning there.
  result = getmesh({"-c", kubeconfig_, "istioctl", "install", "-y"});
  EXPECT_THAT(result.err,
              Not(HasSubstr("the active istioctl 1.31.1-istio-v0 (config.json) is 1.31")));
}

TEST_F(IstioctlCluster, UnderAPinTheMismatchHintSaysToEditThePin) {
  serve("1.30.5");
  ASSERT_EQ(getmesh({"-c", kubeconfig_, "version"}).exit_code, 0);  // learns the control plane
  const auto pin = fake.dir().write(".getmesh-version", "1.31.1-istio-v0\n");
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 proxy-status"));
  EXPECT_THAT(result.err, HasSubstr("warning: the active istioctl 1.31.1-istio-v0 (" +
                                    pin.string() + ") is 1.31, but the control plane"));
  EXPECT_THAT(result.err,
              HasSubstr("; write 1.30.5-istio-v0 into " + pin.string() + " (it is fetched)"));
  EXPECT_THAT(result.err, Not(HasSubstr("getmesh switch")));
  std::filesystem::remove_all(fake.home() / "istio" / "1.30.5-istio-v0");
  result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  EXPECT_THAT(result.err,
              HasSubstr("; write 1.30 into " + pin.string() + " and run \"getmesh fetch\" there"));
}

TEST_F(IstioctlCluster, APinErrorComesBeforeAnythingAboutTheCluster) {
  serve("1.30.5");
  ASSERT_EQ(getmesh({"-c", kubeconfig_, "version"}).exit_code, 0);  // learns the control plane
  fake.dir().write(".getmesh-version", "1.31.0-istio-v0\n");
  const auto result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, ::testing::StartsWith("error: the active istioctl 1.31.0-istio-v0"));
  EXPECT_THAT(result.err, Not(HasSubstr("warning:")));
  EXPECT_THAT(result.err, HasSubstr("hint: run \"getmesh fetch\" in this directory"));
  EXPECT_THAT(calls(), ::testing::IsEmpty());
}

TEST_F(IstioctlCluster, TheFastPathLoadsNoNetworkLibraryUnlessItMustAskTheCluster) {
  serve("1.31.1");
  const std::map<std::string, std::string> trace = {{"LD_DEBUG", "libs"}};
  auto result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"}, trace);
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.err, Not(HasSubstr("libcurl"))) << "auto_select off";

  fake.write_config(
      R"({"istio_distribution":{"version":"1.31.1","flavor":"istio"},"auto_select":true})");
  auto stale = trace;
  stale["GETMESH_CLUSTER_CACHE_SECONDS"] = "0";
  result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"}, stale);
  EXPECT_THAT(result.err, HasSubstr("libcurl")) << "a stale cache asks the cluster";
  result = getmesh({"-c", kubeconfig_, "istioctl", "proxy-status"}, trace);
  EXPECT_THAT(result.err, Not(HasSubstr("libcurl"))) << "auto_select on, fresh cache";
  EXPECT_THAT(calls(), ElementsAre("1.31.1-istio-v0 proxy-status", "1.31.1-istio-v0 proxy-status",
                                   "1.31.1-istio-v0 proxy-status"));
}

}  // namespace
}  // namespace getmesh::testing
