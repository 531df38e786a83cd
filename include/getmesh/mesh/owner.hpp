#pragma once

#include <getmesh/core/distribution.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace getmesh::mesh {

// Who installed, and keeps reconciling, a cluster's Istio control plane.
enum class OwnerKind {
  kNone,           // no control plane
  kIstioctl,       // istioctl install / an IstioOperator (getmesh's own way)
  kHelm,           // Helm releases of Istio's charts
  kAksAddon,       // Microsoft's Istio-based service mesh add-on for AKS
  kGoogleManaged,  // Google's managed Cloud Service Mesh
  kSail,           // the Sail operator / OpenShift Service Mesh 3 (sailoperator.io Istio)
  kMaistra,        // OpenShift Service Mesh 2 (maistra.io ServiceMeshControlPlane)
  kUnknown,        // an istiod whose installer left no trace getmesh knows
};

// "none", "istioctl", "helm", "aks-addon", "gke-managed", "sail", "maistra", "unknown".
std::string to_string(OwnerKind kind);
// "istioctl", "Helm", "the AKS Istio add-on", "Google's managed Cloud Service Mesh", "the Sail
// operator", "OpenShift Service Mesh 2", "unknown", "none".
std::string display_name(OwnerKind kind);

struct MeshOwner {
  OwnerKind kind = OwnerKind::kNone;
  std::string detail;    // "release istiod in istio-system, chart istiod-1.22.0"
  std::string evidence;  // what showed it: labels, a resource, a namespace
  // What the owner's way needs: the Helm release and its namespace, the add-on's revision, the
  // Sail Istio resource or the ServiceMeshControlPlane and its namespace, the managed revision.
  std::string resource;
  std::string resource_namespace;

  // The owner manages upgrades itself; istioctl install and getmesh upgrade would fight it.
  [[nodiscard]] bool manages_upgrades() const;
};

// What owner recognition reads from a cluster. Lists that could not be read are empty.
struct OwnerClues {
  std::string istio_namespace;
  std::vector<nlohmann::json> istiod_deployments;  // app=istiod, every namespace (or the Istio one)
  std::vector<nlohmann::json> helm_releases;  // Secrets labelled owner=helm (metadata), Istio ns
  std::vector<nlohmann::json>
      control_plane_revisions;              // controlplanerevisions.mesh.cloud.google.com
  std::vector<nlohmann::json> sail_istios;  // istios.sailoperator.io
  std::vector<nlohmann::json> service_mesh_control_planes;  // servicemeshcontrolplanes.maistra.io
};

// Operator-owned resources first (ownerReferences, Sail, OSSM 2), then Google's managed revisions,
// the AKS add-on's namespace and asm-1-x revisions, Helm's chart labels and release Secrets, and
// istioctl's operator labels. The control plane in the Istio namespace counts first; without one
// there, any istiod does.
MeshOwner recognise_owner(const OwnerClues& clues);

// How the owner upgrades the control plane to `target` (a sentence with the command); empty for
// istioctl and unknown owners, where getmesh's own advice applies.
std::string owner_upgrade_way(const MeshOwner& owner, const DistributionName& target);

// Whether getmesh may change (install, upgrade) a mesh's control plane, and if not, why and how
// the owner does it. `istioctl install` and `getmesh upgrade` ask this and refuse unless --force.
struct ChangeDecision {
  bool allowed = true;
  std::string reason;  // why not, naming the owner
  std::string hint;    // the owner's way, and --force
};

ChangeDecision may_change_control_plane(const MeshOwner& owner);

}  // namespace getmesh::mesh
