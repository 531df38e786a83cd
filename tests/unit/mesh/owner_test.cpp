#include "support/kube_api_server.hpp"
#include "support/mesh_layouts.hpp"

#include <getmesh/mesh/owner.hpp>

#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

using nlohmann::json;

// What the reader would collect from a cluster holding `objects`.
OwnerClues clues_from(const json& objects, const std::string& istio_namespace = "istio-system") {
  OwnerClues clues;
  clues.istio_namespace = istio_namespace;
  for (const auto& object : objects) {
    const auto kind = object.value("kind", "");
    const auto labels = object["metadata"].value("labels", json::object());
    if (kind == "Deployment" && labels.value("app", "") == "istiod") {
      clues.istiod_deployments.push_back(object);
    } else if (kind == "Secret" && labels.value("owner", "") == "helm" &&
               object["metadata"].value("namespace", "") == istio_namespace) {
      clues.helm_releases.push_back({{"metadata", object["metadata"]}});  // metadata only
    } else if (kind == "ControlPlaneRevision") {
      clues.control_plane_revisions.push_back(object);
    } else if (kind == "Istio") {
      clues.sail_istios.push_back(object);
    } else if (kind == "ServiceMeshControlPlane") {
      clues.service_mesh_control_planes.push_back(object);
    }
  }
  return clues;
}

DistributionName distribution(const char* text) { return *DistributionName::parse(text); }

TEST(Owner, Istioctl) {
  const auto owner = recognise_owner(clues_from(testing::istioctl_mesh("1.31.1")));
  EXPECT_EQ(owner.kind, OwnerKind::kIstioctl);
  EXPECT_EQ(owner.detail, "istioctl install");
  EXPECT_EQ(owner.evidence,
            "label install.operator.istio.io/owning-resource=installed-state on Deployment "
            "istio-system/istiod");
  EXPECT_FALSE(owner.manages_upgrades());
  EXPECT_TRUE(may_change_control_plane(owner).allowed);
  EXPECT_EQ(owner_upgrade_way(owner, distribution("1.31.2-istio-v0")), "");
}

TEST(Owner, HelmFromReleaseAnnotationsOrReleaseSecrets) {
  auto objects = testing::helm_mesh("1.31.1");
  auto owner = recognise_owner(clues_from(objects));
  EXPECT_EQ(owner.kind, OwnerKind::kHelm);
  EXPECT_EQ(owner.detail, "release istiod in istio-system, chart istiod-1.31.1");
  EXPECT_EQ(owner.evidence,
            "annotation meta.helm.sh/release-name=istiod on Deployment istio-system/istiod");
  EXPECT_EQ(owner_upgrade_way(owner, distribution("1.31.2-istio-v0")),
            "upgrade the Helm release: \"helm upgrade istiod istio/istiod --namespace "
            "istio-system --version 1.31.2\" (the base chart first)");
  const auto decision = may_change_control_plane(owner);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.reason,
            "the Istio control plane is owned by Helm (release istiod in istio-system, chart "
            "istiod-1.31.1), which would undo or fight a change made with istioctl");
  EXPECT_EQ(decision.hint,
            "change it with \"helm upgrade istiod … --namespace istio-system\"; pass --force to "
            "go ahead anyway");

  // An older chart without Helm's annotations: the release Secret of the `release` label tells.
  for (auto& object : objects) {
    if (object["kind"] == "Deployment") object["metadata"].erase("annotations");
  }
  owner = recognise_owner(clues_from(objects));
  EXPECT_EQ(owner.kind, OwnerKind::kHelm);
  EXPECT_EQ(owner.evidence, "Helm release Secret istio-system/sh.helm.release.v1.istiod.v1");
}

TEST(Owner, AksIstioAddOn) {
  const auto owner = recognise_owner(clues_from(testing::aks_addon_mesh("asm-1-22", "1.22.5")));
  EXPECT_EQ(owner.kind, OwnerKind::kAksAddon);
  EXPECT_EQ(owner.detail, "revision asm-1-22 in aks-istio-system");
  EXPECT_EQ(owner_upgrade_way(owner, distribution("1.22.6-istio-v0")),
            "the AKS Istio add-on rolls out patches of asm-1-22 itself (see \"az aks mesh "
            "get-upgrades\")");
  EXPECT_EQ(owner_upgrade_way(owner, distribution("1.23.3-istio-v0")),
            "upgrade through AKS: \"az aks mesh upgrade start --resource-group <group> --name "
            "<cluster> --revision asm-1-23\", then \"az aks mesh upgrade complete\"");
  EXPECT_FALSE(may_change_control_plane(owner).allowed);
  EXPECT_EQ(display_name(owner.kind), "the AKS Istio add-on");
}

TEST(Owner, GoogleManagedCloudServiceMesh) {
  const auto owner = recognise_owner(clues_from(testing::google_managed_mesh()));
  EXPECT_EQ(owner.kind, OwnerKind::kGoogleManaged);
  EXPECT_EQ(owner.detail, "ControlPlaneRevision asm-managed, channel regular");
  EXPECT_EQ(owner.evidence,
            "ControlPlaneRevision istio-system/asm-managed of type managed_service");
  EXPECT_FALSE(may_change_control_plane(owner).allowed);
  EXPECT_EQ(may_change_control_plane(owner).hint,
            "Google manages it: choose its release channel instead; pass --force to go ahead "
            "anyway");
}

TEST(Owner, SailOperatorIsRecognisedBeforeTheHelmLabelsItRendersWith) {
  const auto owner = recognise_owner(clues_from(testing::sail_mesh("1.24.3")));
  EXPECT_EQ(owner.kind, OwnerKind::kSail);
  EXPECT_EQ(owner.detail, "Istio resource default, version v1.24.3, update strategy InPlace");
  EXPECT_EQ(owner.evidence, "Deployment istio-system/istiod is owned by IstioRevision default");
  EXPECT_EQ(owner_upgrade_way(owner, distribution("1.24.4-istio-v0")),
            "set the version of the Istio resource: \"kubectl patch istio default --type merge -p "
            "'{\"spec\":{\"version\":\"v1.24.4\"}}'\"");
  // The Istio resource alone (its revision not rolled out yet) is enough.
  json only_resource = json::array();
  for (const auto& object : testing::sail_mesh("1.24.3")) {
    if (object["kind"] != "Deployment") only_resource.push_back(object);
  }
  EXPECT_EQ(recognise_owner(clues_from(only_resource)).kind, OwnerKind::kSail);
}

TEST(Owner, OpenShiftServiceMesh2) {
  const auto owner = recognise_owner(clues_from(testing::maistra_mesh()));
  EXPECT_EQ(owner.kind, OwnerKind::kMaistra);
  EXPECT_EQ(owner.detail, "ServiceMeshControlPlane basic in istio-system");
  EXPECT_FALSE(may_change_control_plane(owner).allowed);
}

TEST(Owner, UnknownAndNone) {
  auto objects = json::array(
      {testing::istiod_deployment("istiod", "docker.io/istio/pilot:1.31.1")});  // kubectl apply
  auto owner = recognise_owner(clues_from(objects));
  EXPECT_EQ(owner.kind, OwnerKind::kUnknown);
  EXPECT_TRUE(may_change_control_plane(owner).allowed);
  owner = recognise_owner(clues_from(json::array()));
  EXPECT_EQ(owner.kind, OwnerKind::kNone);
  EXPECT_EQ(to_string(owner.kind), "none");
}

TEST(Owner, TheIstioNamespaceCountsFirst) {
  // A Helm-managed istiod in istio-system and the AKS add-on's in aks-istio-system.
  auto objects = testing::helm_mesh("1.31.1");
  for (const auto& object : testing::aks_addon_mesh("asm-1-22", "1.22.5")) {
    objects.push_back(object);
  }
  EXPECT_EQ(recognise_owner(clues_from(objects)).kind, OwnerKind::kHelm);
  EXPECT_EQ(recognise_owner(clues_from(objects, "aks-istio-system")).kind, OwnerKind::kAksAddon);
  // Nothing in the Istio namespace asked for: the add-on's istiod elsewhere still tells.
  EXPECT_EQ(recognise_owner(clues_from(testing::aks_addon_mesh("asm-1-22", "1.22.5"))).kind,
            OwnerKind::kAksAddon);
}

TEST(Owner, HostileObjectsAreNoClue) {
  OwnerClues clues;
  clues.istio_namespace = "istio-system";
  clues.istiod_deployments = {
      json{{"metadata", {{"namespace", "istio-system"}, {"ownerReferences", "x"}, {"labels", 3}}}},
      json::array(), json("text")};
  clues.helm_releases = {json::object(), json{{"metadata", 1}}};
  clues.sail_istios = {json{{"spec", {{"namespace", 5}}}}};
  clues.control_plane_revisions = {json{{"spec", {{"type", "managed_service"}}}}};
  // An Istio resource without a usable spec.namespace deploys into istio-system.
  EXPECT_EQ(recognise_owner(clues).kind, OwnerKind::kSail);
  clues.sail_istios.clear();
  EXPECT_EQ(recognise_owner(clues).kind, OwnerKind::kGoogleManaged);
}

}  // namespace
}  // namespace getmesh::mesh
