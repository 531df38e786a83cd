#include "mesh/object_fields.hpp"

#include <getmesh/mesh/owner.hpp>

#include <algorithm>
#include <optional>

namespace getmesh::mesh {

namespace {

using nlohmann::json;

constexpr const char* kAksAddonNamespace = "aks-istio-system";

std::string namespace_of(const json& object) { return text_at(object, {"metadata", "namespace"}); }

std::string described(const json& object) {
  const auto space = namespace_of(object);
  return (space.empty() ? "" : space + "/") + text_at(object, {"metadata", "name"});
}

std::string revision_of(const json& deployment) {
  const auto revision = label(deployment, "istio.io/rev");
  return revision.empty() ? std::string("default") : revision;
}

MeshOwner owner(OwnerKind kind, std::string detail, std::string evidence, std::string resource = {},
                std::string resource_namespace = {}) {
  return {kind, std::move(detail), std::move(evidence), std::move(resource),
          std::move(resource_namespace)};
}

// A Sail Istio resource deploys into spec.namespace, istio-system when unset.
std::string sail_target_namespace(const json& istio) {
  const auto target = text_at(istio, {"spec", "namespace"});
  return target.empty() ? std::string("istio-system") : target;
}

MeshOwner sail_owner(const json& istio, std::string evidence) {
  const auto name = text_at(istio, {"metadata", "name"});
  const auto version = text_at(istio, {"spec", "version"});
  const auto strategy = text_at(istio, {"spec", "updateStrategy", "type"});
  std::string detail = "Istio resource " + name;
  if (!version.empty()) detail += ", version " + version;
  if (!strategy.empty()) detail += ", update strategy " + strategy;
  return owner(OwnerKind::kSail, detail, std::move(evidence), name);
}

const json* sail_istio_for(const OwnerClues& clues, const std::string& space) {
  for (const auto& istio : clues.sail_istios) {
    if (sail_target_namespace(istio) == space) return &istio;
  }
  return nullptr;
}

// An operator that reconciles the Deployment, from its ownerReferences or managed-by label.
std::optional<MeshOwner> operator_owner(const OwnerClues& clues, const json& deployment) {
  const auto space = namespace_of(deployment);
  if (deployment.contains("metadata") && deployment["metadata"].contains("ownerReferences") &&
      deployment["metadata"]["ownerReferences"].is_array()) {
    for (const auto& reference : deployment["metadata"]["ownerReferences"]) {
      const auto api = text_at(reference, {"apiVersion"});
      const auto kind = text_at(reference, {"kind"});
      const auto name = text_at(reference, {"name"});
      const auto evidence =
          "Deployment " + described(deployment) + " is owned by " + kind + " " + name;
      if (api.starts_with("sailoperator.io/")) {
        if (const auto* istio = sail_istio_for(clues, space)) return sail_owner(*istio, evidence);
        return owner(OwnerKind::kSail, kind + " " + name, evidence, name);
      }
      if (api.starts_with("maistra.io/")) {
        return owner(OwnerKind::kMaistra, "ServiceMeshControlPlane " + name + " in " + space,
                     evidence, name, space);
      }
    }
  }
  const auto managed_by = label(deployment, "app.kubernetes.io/managed-by");
  const auto evidence = "label app.kubernetes.io/managed-by=" + managed_by + " on Deployment " +
                        described(deployment);
  if (managed_by == "sail-operator") {
    if (const auto* istio = sail_istio_for(clues, space)) return sail_owner(*istio, evidence);
    return owner(OwnerKind::kSail, "revision " + revision_of(deployment), evidence);
  }
  if (managed_by == "maistra-istio-operator") {
    return owner(OwnerKind::kMaistra, "control plane in " + space, evidence, "", space);
  }
  return std::nullopt;
}

std::optional<MeshOwner> helm_owner(const OwnerClues& clues, const json& deployment) {
  const auto space = namespace_of(deployment);
  const auto chart = label(deployment, "helm.sh/chart");
  const auto chart_text = chart.empty() ? std::string() : ", chart " + chart;
  if (const auto release = annotation(deployment, "meta.helm.sh/release-name"); !release.empty()) {
    auto release_namespace = annotation(deployment, "meta.helm.sh/release-namespace");
    if (release_namespace.empty()) release_namespace = space;
    return owner(OwnerKind::kHelm, "release " + release + " in " + release_namespace + chart_text,
                 "annotation meta.helm.sh/release-name=" + release + " on Deployment " +
                     described(deployment),
                 release, release_namespace);
  }
  // Istio's charts label what they render with the release name; Helm keeps each release in a
  // Secret labelled owner=helm, name=<release>.
  const auto release = label(deployment, "release");
  for (const auto& secret : clues.helm_releases) {
    const auto name = label(secret, "name");
    if (label(secret, "owner") != "helm" || name.empty() || namespace_of(secret) != space) continue;
    if (name == release || (release.empty() && (name == "istiod" || name.starts_with("istiod-")))) {
      return owner(OwnerKind::kHelm, "release " + name + " in " + space + chart_text,
                   "Helm release Secret " + described(secret), name, space);
    }
  }
  return std::nullopt;
}

std::optional<MeshOwner> istioctl_owner(const json& deployment) {
  const auto owning = label(deployment, "install.operator.istio.io/owning-resource");
  if (!owning.empty() && owning != "unknown") {
    return owner(OwnerKind::kIstioctl,
                 owning == "installed-state" ? "istioctl install" : "IstioOperator " + owning,
                 "label install.operator.istio.io/owning-resource=" + owning + " on Deployment " +
                     described(deployment));
  }
  if (label(deployment, "operator.istio.io/managed") == "Reconcile") {
    return owner(
        OwnerKind::kIstioctl, "the Istio operator",
        "label operator.istio.io/managed=Reconcile on Deployment " + described(deployment));
  }
  return std::nullopt;
}

MeshOwner deployment_owner(const OwnerClues& clues, const json& deployment) {
  if (auto found = operator_owner(clues, deployment)) return *found;
  const auto space = namespace_of(deployment);
  if (space == kAksAddonNamespace) {
    const auto revision = revision_of(deployment);
    return owner(OwnerKind::kAksAddon, "revision " + revision + " in " + space,
                 "namespace " + space + ", Deployment " + described(deployment), revision, space);
  }
  if (auto found = helm_owner(clues, deployment)) return *found;
  if (auto found = istioctl_owner(deployment)) return *found;
  return owner(OwnerKind::kUnknown, "Deployment " + described(deployment),
               "no installer labels on Deployment " + described(deployment));
}

std::string target_revision(const DistributionName& target) {
  return "asm-" + std::to_string(target.version.major) + "-" + std::to_string(target.version.minor);
}

}  // namespace

std::string to_string(OwnerKind kind) {
  switch (kind) {
    case OwnerKind::kIstioctl:
      return "istioctl";
    case OwnerKind::kHelm:
      return "helm";
    case OwnerKind::kAksAddon:
      return "aks-addon";
    case OwnerKind::kGoogleManaged:
      return "gke-managed";
    case OwnerKind::kSail:
      return "sail";
    case OwnerKind::kMaistra:
      return "maistra";
    case OwnerKind::kUnknown:
      return "unknown";
    case OwnerKind::kNone:
      break;
  }
  return "none";
}

std::string display_name(OwnerKind kind) {
  switch (kind) {
    case OwnerKind::kIstioctl:
      return "istioctl";
    case OwnerKind::kHelm:
      return "Helm";
    case OwnerKind::kAksAddon:
      return "the AKS Istio add-on";
    case OwnerKind::kGoogleManaged:
      return "Google's managed Cloud Service Mesh";
    case OwnerKind::kSail:
      return "the Sail operator";
    case OwnerKind::kMaistra:
      return "OpenShift Service Mesh 2";
    case OwnerKind::kUnknown:
      return "unknown";
    case OwnerKind::kNone:
      break;
  }
  return "none";
}

bool MeshOwner::manages_upgrades() const {
  return kind != OwnerKind::kNone && kind != OwnerKind::kIstioctl && kind != OwnerKind::kUnknown;
}

MeshOwner recognise_owner(const OwnerClues& clues) {
  std::vector<const json*> here;
  for (const auto& deployment : clues.istiod_deployments) {
    if (namespace_of(deployment) == clues.istio_namespace) here.push_back(&deployment);
  }
  if (here.empty()) {
    for (const auto& deployment : clues.istiod_deployments) here.push_back(&deployment);
  }
  // Operators first: their Deployments also carry Helm's and istioctl's labels.
  for (const auto* deployment : here) {
    if (auto found = operator_owner(clues, *deployment)) return *found;
  }
  if (const auto* istio = sail_istio_for(clues, clues.istio_namespace)) {
    return sail_owner(*istio, "Istio resource " + described(*istio) + " (sailoperator.io)");
  }
  for (const auto& control_plane : clues.service_mesh_control_planes) {
    if (namespace_of(control_plane) == clues.istio_namespace) {
      const auto name = text_at(control_plane, {"metadata", "name"});
      return owner(OwnerKind::kMaistra,
                   "ServiceMeshControlPlane " + name + " in " + clues.istio_namespace,
                   "ServiceMeshControlPlane " + described(control_plane) + " (maistra.io)", name,
                   clues.istio_namespace);
    }
  }
  for (const auto& revision : clues.control_plane_revisions) {
    if (text_at(revision, {"spec", "type"}) != "managed_service") continue;
    const auto name = text_at(revision, {"metadata", "name"});
    const auto channel = text_at(revision, {"spec", "channel"});
    return owner(
        OwnerKind::kGoogleManaged,
        "ControlPlaneRevision " + name + (channel.empty() ? std::string() : ", channel " + channel),
        "ControlPlaneRevision " + described(revision) + " of type managed_service", name,
        namespace_of(revision));
  }
  if (here.empty()) return {};
  return deployment_owner(clues, *here.front());
}

std::string owner_upgrade_way(const MeshOwner& owner, const DistributionName& target) {
  const auto version = target.version.to_string();
  switch (owner.kind) {
    case OwnerKind::kHelm:
      return "upgrade the Helm release: \"helm upgrade " + owner.resource +
             " istio/istiod --namespace " + owner.resource_namespace + " --version " + version +
             "\" (the base chart first)";
    case OwnerKind::kAksAddon:
      if (target_revision(target) == owner.resource) {
        return "the AKS Istio add-on rolls out patches of " + owner.resource +
               " itself (see \"az aks mesh get-upgrades\")";
      }
      return "upgrade through AKS: \"az aks mesh upgrade start --resource-group <group> --name "
             "<cluster> --revision " +
             target_revision(target) + "\", then \"az aks mesh upgrade complete\"";
    case OwnerKind::kGoogleManaged:
      return "Google upgrades managed Cloud Service Mesh itself within the release channel of "
             "ControlPlaneRevision " +
             owner.resource + "; change the channel to move faster or slower";
    case OwnerKind::kSail:
      return "set the version of the Istio resource: \"kubectl patch istio " + owner.resource +
             " --type merge -p '{\"spec\":{\"version\":\"v" + version + "\"}}'\"";
    case OwnerKind::kMaistra:
      return "OpenShift Service Mesh 2 chooses its Istio version: upgrade "
             "ServiceMeshControlPlane " +
             owner.resource + " in " + owner.resource_namespace +
             " through its spec.version, or migrate to OpenShift Service Mesh 3";
    case OwnerKind::kNone:
    case OwnerKind::kIstioctl:
    case OwnerKind::kUnknown:
      break;
  }
  return {};
}

ChangeDecision may_change_control_plane(const MeshOwner& owner) {
  if (!owner.manages_upgrades()) return {};
  std::string way;
  switch (owner.kind) {
    case OwnerKind::kHelm:
      way = "change it with \"helm upgrade " + owner.resource + " … --namespace " +
            owner.resource_namespace + "\"";
      break;
    case OwnerKind::kAksAddon:
      way = "change it with \"az aks mesh upgrade\" (or \"az aks mesh disable\" first)";
      break;
    case OwnerKind::kGoogleManaged:
      way = "Google manages it: choose its release channel instead";
      break;
    case OwnerKind::kSail:
      way = "change it through the Istio resource " + owner.resource + " (\"kubectl edit istio " +
            owner.resource + "\")";
      break;
    case OwnerKind::kMaistra:
      way = "change it through ServiceMeshControlPlane " + owner.resource + " in " +
            owner.resource_namespace;
      break;
    default:
      break;
  }
  return {false,
          "the Istio control plane is owned by " + display_name(owner.kind) + " (" + owner.detail +
              "), which would undo or fight a change made with istioctl",
          way + "; pass --force to go ahead anyway"};
}

}  // namespace getmesh::mesh
