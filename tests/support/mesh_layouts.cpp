#include "support/mesh_layouts.hpp"

#include "support/kube_api_server.hpp"

namespace getmesh::testing {

namespace {

using nlohmann::json;

json with(json object, const json& labels, const json& annotations = json::object()) {
  for (const auto& [key, value] : labels.items()) object["metadata"]["labels"][key] = value;
  for (const auto& [key, value] : annotations.items()) {
    object["metadata"]["annotations"][key] = value;
  }
  return object;
}

json owned_by(json object, const std::string& api_version, const std::string& kind,
              const std::string& name) {
  object["metadata"]["ownerReferences"] =
      json::array({{{"apiVersion", api_version},
                    {"kind", kind},
                    {"name", name},
                    {"uid", "5a3f8c1e-0d1b-4a6b-9c1e-2f4d6a8b0c1d"},
                    {"controller", true},
                    {"blockOwnerDeletion", true}}});
  return object;
}

json helm_release_secret(const std::string& release, const std::string& space, int revision) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", "helm.sh/release.v1"},
          {"metadata",
           {{"name", "sh.helm.release.v1." + release + ".v" + std::to_string(revision)},
            {"namespace", space},
            {"labels",
             {{"name", release},
              {"owner", "helm"},
              {"status", "deployed"},
              {"version", std::to_string(revision)}}}}},
          {"data", {{"release", "SDRzSUFBQUFBQUFDLy4uLg=="}}}};
}

}  // namespace

json crd_object(const std::string& group, const std::string& version, const std::string& plural,
                const std::string& kind, bool namespaced) {
  return {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", plural + "." + group}}},
      {"spec",
       {{"group", group},
        {"names", {{"plural", plural}, {"kind", kind}}},
        {"scope", namespaced ? "Namespaced" : "Cluster"},
        {"versions", json::array({{{"name", version}, {"served", true}, {"storage", true}}})}}}};
}

json istioctl_mesh(const std::string& version) {
  const json labels = {{"install.operator.istio.io/owning-resource", "installed-state"},
                       {"install.operator.istio.io/owning-resource-namespace", "istio-system"},
                       {"operator.istio.io/component", "Pilot"},
                       {"operator.istio.io/managed", "Reconcile"},
                       {"operator.istio.io/version", version},
                       {"release", "istio"}};
  const auto image = "docker.io/istio/pilot:" + version;
  return json::array({namespace_object("istio-system"), namespace_object("apps"),
                      with(istiod_deployment("istiod", image), labels),
                      with(istiod_pod("istiod-7d4b9", image), labels),
                      sidecar_pod("apps", "web-1", "docker.io/istio/proxyv2:" + version)});
}

json helm_mesh(const std::string& version) {
  const json labels = {{"install.operator.istio.io/owning-resource", "unknown"},
                       {"operator.istio.io/component", "Pilot"},
                       {"release", "istiod"},
                       {"app.kubernetes.io/name", "istiod"},
                       {"app.kubernetes.io/instance", "istiod"},
                       {"app.kubernetes.io/managed-by", "Helm"},
                       {"app.kubernetes.io/part-of", "istio"},
                       {"app.kubernetes.io/version", version},
                       {"helm.sh/chart", "istiod-" + version}};
  const json annotations = {{"meta.helm.sh/release-name", "istiod"},
                            {"meta.helm.sh/release-namespace", "istio-system"}};
  const auto image = "docker.io/istio/pilot:" + version;
  return json::array({namespace_object("istio-system"), namespace_object("apps"),
                      with(istiod_deployment("istiod", image), labels, annotations),
                      with(istiod_pod("istiod-5c8f7", image), labels),
                      helm_release_secret("istio-base", "istio-system", 1),
                      helm_release_secret("istiod", "istio-system", 1),
                      helm_release_secret("istiod", "istio-system", 2),
                      sidecar_pod("apps", "web-1", "docker.io/istio/proxyv2:" + version)});
}

json aks_addon_mesh(const std::string& revision, const std::string& version) {
  const auto image = "mcr.microsoft.com/oss/istio/pilot:" + version + "-distroless";
  return json::array(
      {namespace_object("aks-istio-system"), namespace_object("aks-istio-ingress"),
       namespace_object("apps"),
       istiod_deployment("istiod-" + revision, image, revision, "aks-istio-system"),
       istiod_pod("istiod-" + revision + "-6f7d8", image, revision, "aks-istio-system"),
       sidecar_pod("apps", "web-1",
                   "mcr.microsoft.com/oss/istio/proxyv2:" + version + "-distroless", revision)});
}

json google_managed_mesh() {
  json revision = {
      {"apiVersion", "mesh.cloud.google.com/v1beta1"},
      {"kind", "ControlPlaneRevision"},
      {"metadata",
       {{"name", "asm-managed"},
        {"namespace", "istio-system"},
        {"labels",
         {{"app.kubernetes.io/created-by", "mesh.googleapis.com"},
          {"istio.io/owned-by", "mesh.googleapis.com"}}}}},
      {"spec", {{"type", "managed_service"}, {"channel", "regular"}}},
      {"status", {{"conditions", json::array({{{"type", "Reconciled"}, {"status", "True"}}})}}}};
  return json::array(
      {namespace_object("istio-system"), namespace_object("apps"),
       crd_object("mesh.cloud.google.com", "v1beta1", "controlplanerevisions",
                  "ControlPlaneRevision", true),
       revision,
       sidecar_pod("apps", "web-1", "gcr.io/gke-release/asm/proxyv2:1.22.5-asm.4", "asm-managed")});
}

json sail_mesh(const std::string& version) {
  json istio = {{"apiVersion", "sailoperator.io/v1"},
                {"kind", "Istio"},
                {"metadata", {{"name", "default"}}},
                {"spec",
                 {{"version", "v" + version},
                  {"namespace", "istio-system"},
                  {"updateStrategy", {{"type", "InPlace"}}}}}};
  const auto image = "docker.io/istio/pilot:" + version;
  const json labels = {{"app.kubernetes.io/managed-by", "sail-operator"},
                       {"app.kubernetes.io/name", "istiod"},
                       {"helm.sh/chart", "istiod-" + version}};
  return json::array({namespace_object("istio-system"), namespace_object("sail-operator"),
                      crd_object("sailoperator.io", "v1", "istios", "Istio", false),
                      crd_object("sailoperator.io", "v1", "istiorevisions", "IstioRevision", false),
                      istio,
                      owned_by(with(istiod_deployment("istiod", image), labels),
                               "sailoperator.io/v1", "IstioRevision", "default"),
                      with(istiod_pod("istiod-84c9d", image), labels)});
}

json maistra_mesh() {
  json control_plane = {{"apiVersion", "maistra.io/v2"},
                        {"kind", "ServiceMeshControlPlane"},
                        {"metadata", {{"name", "basic"}, {"namespace", "istio-system"}}},
                        {"spec", {{"version", "v2.6"}}}};
  const auto image = "registry.redhat.io/openshift-service-mesh/pilot-rhel8:2.6.3";
  const json labels = {{"maistra-version", "2.6.3"},
                       {"app.kubernetes.io/managed-by", "maistra-istio-operator"},
                       {"app.kubernetes.io/part-of", "istio"}};
  return json::array(
      {namespace_object("istio-system"),
       crd_object("maistra.io", "v2", "servicemeshcontrolplanes", "ServiceMeshControlPlane", true),
       control_plane,
       owned_by(with(istiod_deployment("istiod-basic", image, "basic"), labels), "maistra.io/v2",
                "ServiceMeshControlPlane", "basic"),
       with(istiod_pod("istiod-basic-5f6c7", image, "basic"), labels)});
}

json node_object(const std::string& name, const json& labels, const std::string& provider_id) {
  json merged = {{"kubernetes.io/hostname", name}, {"kubernetes.io/os", "linux"}};
  merged.update(labels);
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", merged}}},
          {"spec", {{"providerID", provider_id}}}};
}

json platform_node(const std::string& platform) {
  if (platform == "eks") {
    return json::array({node_object("ip-10-0-1-23.us-west-2.compute.internal",
                                    {{"eks.amazonaws.com/nodegroup", "ng-1"},
                                     {"eks.amazonaws.com/capacityType", "ON_DEMAND"},
                                     {"node.kubernetes.io/instance-type", "m5.large"}},
                                    "aws:///us-west-2a/i-0123456789abcdef0")});
  }
  if (platform == "aks") {
    return json::array({node_object(
        "aks-nodepool1-12345678-vmss000000",
        {{"kubernetes.azure.com/cluster", "MC_prod-rg_prod_westeurope"},
         {"kubernetes.azure.com/agentpool", "nodepool1"},
         {"agentpool", "nodepool1"}},
        "azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
        "mc_prod-rg_prod_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/"
        "aks-nodepool1-12345678-vmss/virtualMachines/0")});
  }
  if (platform == "gke") {
    return json::array(
        {node_object("gke-prod-default-pool-1a2b3c4d-xyz1",
                     {{"cloud.google.com/gke-nodepool", "default-pool"},
                      {"cloud.google.com/gke-os-distribution", "cos"}},
                     "gce://my-project/europe-west1-b/gke-prod-default-pool-1a2b3c4d-xyz1")});
  }
  if (platform == "openshift") {
    return json::array({node_object(
        "master-0", {{"node.openshift.io/os_id", "rhcos"}, {"node-role.kubernetes.io/master", ""}},
        "")});
  }
  if (platform == "k3s") {
    return json::array({node_object("k3s-server", {{"node.kubernetes.io/instance-type", "k3s"}},
                                    "k3s://k3s-server")});
  }
  if (platform == "kind") {
    return json::array({node_object("kind-control-plane", json::object(),
                                    "kind://docker/kind/kind-control-plane")});
  }
  if (platform == "minikube") {
    return json::array({node_object(
        "minikube", {{"minikube.k8s.io/name", "minikube"}, {"minikube.k8s.io/version", "v1.34.0"}},
        "")});
  }
  return json::array();
}

std::string platform_git_version(const std::string& platform) {
  if (platform == "eks") return "v1.31.2-eks-7f9249a";
  if (platform == "gke") return "v1.31.2-gke.1014001";
  if (platform == "openshift") return "v1.31.2+aba1e8d";
  if (platform == "k3s") return "v1.31.2+k3s1";
  if (platform == "rke2") return "v1.31.2+rke2r1";
  return "v1.31.2";  // AKS, kind, minikube and upstream report the plain version
}

}  // namespace getmesh::testing
