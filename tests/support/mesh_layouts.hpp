#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace getmesh::testing {

// Objects as each installer of Istio, and each platform, really lays them out (namespaces, labels,
// annotations, ownerReferences, CRDs, version strings), for the test Kubernetes API server and the
// owner and platform recognition tests. Each returns a JSON array of objects.

// A CustomResourceDefinition, so the test server serves its group and kind.
nlohmann::json crd_object(const std::string& group, const std::string& version,
                          const std::string& plural, const std::string& kind, bool namespaced);

// `istioctl install`: istiod in istio-system labelled by the installer (owning-resource
// installed-state, operator.istio.io/*), a sidecar in `apps`.
nlohmann::json istioctl_mesh(const std::string& version);
// `helm install istio-base istio/base` + `helm install istiod istio/istiod`: chart labels, Helm's
// release annotations and the release Secrets (sh.helm.release.v1.<name>.v<N>).
nlohmann::json helm_mesh(const std::string& version);
// Microsoft's AKS Istio add-on: istiod-asm-1-22 in aks-istio-system, revision asm-1-22.
nlohmann::json aks_addon_mesh(const std::string& revision, const std::string& version);
// Google's managed Cloud Service Mesh: a ControlPlaneRevision asm-managed of type
// managed_service in istio-system, no istiod in the cluster, proxies injected for asm-managed.
nlohmann::json google_managed_mesh();
// The Sail operator (OpenShift Service Mesh 3): an Istio resource `default` and istiod owned by
// its IstioRevision.
nlohmann::json sail_mesh(const std::string& version);
// OpenShift Service Mesh 2: ServiceMeshControlPlane `basic` and istiod-basic owned by it.
nlohmann::json maistra_mesh();

// A Node with `labels` and spec.providerID.
nlohmann::json node_object(const std::string& name, const nlohmann::json& labels,
                           const std::string& provider_id);
// The Node of each platform (eks, aks, gke, openshift, k3s, kind, minikube), as its provisioner
// labels it; an empty array for anything else.
nlohmann::json platform_node(const std::string& platform);
// The /version gitVersion each platform reports.
std::string platform_git_version(const std::string& platform);

}  // namespace getmesh::testing
