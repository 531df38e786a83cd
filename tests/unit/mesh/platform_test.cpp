#include "support/mesh_layouts.hpp"

#include <getmesh/mesh/platform.hpp>

#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

struct PlatformCase {
  const char* what;
  PlatformClues clues;
  const char* platform;
  const char* evidence;
};

PlatformClues clues(std::string context, std::string server, std::string command = {},
                    std::vector<std::string> args = {}, std::string git_version = "v1.31.2") {
  PlatformClues result;
  result.context = std::move(context);
  result.server = std::move(server);
  result.exec_command = std::move(command);
  result.exec_args = std::move(args);
  result.git_version = std::move(git_version);
  return result;
}

PlatformClues with_node(PlatformClues base, const std::string& platform) {
  base.node = testing::platform_node(platform).at(0);
  return base;
}

TEST(Platform, RecognisesEachPlatformFromWhatTheKubeconfigAndApiShow) {
  const PlatformCase cases[] = {
      {"EKS server",
       clues("prod", "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com"),
       "eks", "API server *.eks.amazonaws.com"},
      {"EKS plugin",
       clues("prod", "https://10.0.0.1", "aws",
             {"--region", "us-west-2", "eks", "get-token", "--cluster-name", "prod"}),
       "eks", "credential plugin aws eks get-token"},
      {"EKS aws-iam-authenticator",
       clues("prod", "https://10.0.0.1", "/usr/local/bin/aws-iam-authenticator",
             {"token", "-i", "prod"}),
       "eks", "credential plugin aws-iam-authenticator"},
      {"EKS version", clues("prod", "https://10.0.0.1", "", {}, "v1.31.2-eks-7f9249a"), "eks",
       "Kubernetes version v1.31.2-eks-7f9249a"},
      {"EKS node", with_node(clues("prod", "https://10.0.0.1"), "eks"), "eks",
       "node label eks.amazonaws.com/nodegroup"},
      {"EKS context ARN",
       clues("arn:aws:eks:us-west-2:123456789012:cluster/prod", "https://10.0.0.1"), "eks",
       "context name arn:aws:eks:us-west-2:123456789012:cluster/prod"},
      {"AKS server", clues("prod", "https://prod-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443"), "aks",
       "API server *.azmk8s.io"},
      {"AKS private", clues("prod", "https://prod-1a2b.privatelink.westeurope.azmk8s.io:443"),
       "aks", "API server *.azmk8s.io"},
      {"AKS kubelogin",
       clues("prod", "https://10.0.0.1", "kubelogin",
             {"get-token", "--login", "azurecli", "--server-id",
              "6dae42f8-4368-4678-94ff-3960e28e3630"}),
       "aks", "credential plugin kubelogin"},
      {"AKS node", with_node(clues("prod", "https://10.0.0.1"), "aks"), "aks",
       "node label kubernetes.azure.com/cluster"},
      {"GKE plugin", clues("prod", "https://34.78.1.2", "gke-gcloud-auth-plugin"), "gke",
       "credential plugin gke-gcloud-auth-plugin"},
      {"GKE version", clues("prod", "https://34.78.1.2", "", {}, "v1.31.2-gke.1014001"), "gke",
       "Kubernetes version v1.31.2-gke.1014001"},
      {"GKE DNS endpoint",
       clues("prod", "https://gke-0123456789abcdef-123456789012.europe-west1.gke.goog"), "gke",
       "API server *.gke.goog"},
      {"GKE context", clues("gke_my-project_europe-west1_prod", "https://34.78.1.2"), "gke",
       "context name gke_my-project_europe-west1_prod"},
      {"GKE node", with_node(clues("prod", "https://34.78.1.2"), "gke"), "gke",
       "node label cloud.google.com/gke-nodepool"},
      {"OpenShift version",
       clues("admin", "https://api.ocp.example.com:6443", "", {}, "v1.29.6+aba1e8d"), "openshift",
       "Kubernetes version v1.29.6+aba1e8d"},
      {"OpenShift node", with_node(clues("admin", "https://api.ocp.example.com:6443"), "openshift"),
       "openshift", "node label node.openshift.io/os_id"},
      {"k3s", clues("default", "https://127.0.0.1:6443", "", {}, "v1.31.2+k3s1"), "k3s",
       "Kubernetes version v1.31.2+k3s1"},
      {"k3s node", with_node(clues("default", "https://192.168.1.10:6443"), "k3s"), "k3s",
       "node label node.kubernetes.io/instance-type=k3s"},
      {"RKE2", clues("default", "https://127.0.0.1:6443", "", {}, "v1.31.2+rke2r1"), "rke2",
       "Kubernetes version v1.31.2+rke2r1"},
      {"kind node", with_node(clues("dev", "https://127.0.0.1:41234"), "kind"), "kind",
       "node provider ID kind://…"},
      {"kind context", clues("kind-dev", "https://127.0.0.1:41234"), "kind",
       "context name kind-dev"},
      {"minikube node", with_node(clues("dev", "https://192.168.49.2:8443"), "minikube"),
       "minikube", "node label minikube.k8s.io/name"},
      {"minikube context", clues("minikube", "https://192.168.49.2:8443"), "minikube",
       "context name minikube"},
      {"generic", clues("prod", "https://k8s.example.com:6443"), "generic", ""},
      {"kind- context on a remote server", clues("kind-prod", "https://k8s.example.com:6443"),
       "generic", ""},
      {"aws without eks", clues("prod", "https://10.0.0.1", "aws", {"sts", "get-caller-identity"}),
       "generic", ""},
  };
  for (const auto& c : cases) {
    const auto guess = recognise_platform(c.clues);
    EXPECT_EQ(to_string(guess.platform), c.platform) << c.what;
    EXPECT_EQ(guess.evidence, c.evidence) << c.what;
  }
}

TEST(Platform, OpenShiftApiGroupsWinOverEverythingElse) {
  auto openshift = clues("admin", "https://api.ocp.example.com:6443", "", {}, "v1.31.2");
  openshift.api_groups = {"apps", "config.openshift.io", "route.openshift.io"};
  openshift.node = testing::platform_node("aks").at(0);  // ARO: OpenShift on Azure
  const auto guess = recognise_platform(openshift);
  EXPECT_EQ(guess.platform, Platform::kOpenShift);
  EXPECT_EQ(guess.evidence, "API group config.openshift.io");
  EXPECT_EQ(display_name(guess.platform), "OpenShift");
  EXPECT_EQ(display_name(Platform::kGeneric), "Kubernetes");
}

TEST(Platform, OddNodesAndVersionsAreNoClue) {
  auto odd = clues("prod", "not a url", "", {}, "v1.31.2+dirty");
  odd.node = nlohmann::json{{"metadata", {{"labels", "not an object"}}}, {"spec", 3}};
  EXPECT_EQ(recognise_platform(odd).platform, Platform::kGeneric);
  odd.node = nlohmann::json::array();
  odd.git_version = "";
  EXPECT_EQ(recognise_platform(odd).platform, Platform::kGeneric);
}

}  // namespace
}  // namespace getmesh::mesh
