#include <getmesh/manifest/catalog.hpp>
#include <getmesh/mesh/advice.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

using ::testing::HasSubstr;

const manifest::Manifest& test_manifest() {
  static const auto manifest = *manifest::parse(R"({
    "default_flavor": "istio",
    "lifecycle": {
      "1.30": {},
      "1.29": {"community_end_of_life": "2026-10-12"},
      "1.28": {"community_end_of_life": "2026-07-01", "tetrate_end_of_life": "2027-01-01"}
    },
    "istio_distributions": [
      {"version": "1.30.5", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32", "1.33"]},
      {"version": "1.30.4", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32", "1.33"]},
      {"version": "1.29.8", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31", "1.32"],
       "is_security_patch": true},
      {"version": "1.29.7", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31", "1.32"]},
      {"version": "1.28.10", "flavor": "tetrate", "flavor_version": 1, "k8s_versions": ["1.30"]},
      {"version": "1.28.10", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.30"]}
    ]})",
                                                "test");
  return manifest;
}

const CivilDate kToday{2026, 9, 25};

DistributionName name(const char* text) { return *DistributionName::parse(text); }

ControlPlane plane(const char* revision, const char* version) {
  ControlPlane result;
  result.revision = revision;
  result.version = name(version);
  result.version_text = version;
  result.pods = 1;
  return result;
}

ProxyGroup proxies(const char* version, int count, const char* revision = "default") {
  ProxyGroup group;
  group.version = name(version);
  group.version_text = version;
  group.kind = "sidecar";
  group.revision = revision;
  group.count = count;
  group.examples = {"apps/a"};
  return group;
}

MeshState state(std::vector<ControlPlane> planes, std::vector<ProxyGroup> data,
                long k8s_minor = 32) {
  MeshState result;
  result.kubernetes = {"v1." + std::to_string(k8s_minor) + ".0", 1, k8s_minor};
  result.istio_namespace = "istio-system";
  result.control_planes = std::move(planes);
  result.data_plane = std::move(data);
  return result;
}

std::vector<std::string> codes(const Advice& advice, Severity at_least = Severity::kOk) {
  std::vector<std::string> result;
  for (const auto& finding : advice.findings) {
    if (finding.severity >= at_least) result.push_back(finding.code + ":" + finding.subject);
  }
  return result;
}

const Finding* find(const Advice& advice, const std::string& code) {
  for (const auto& finding : advice.findings) {
    if (finding.code == code) return &finding;
  }
  return nullptr;
}

TEST(Advice, UpToDateMeshNeedsNothing) {
  const auto advice =
      advise(state({plane("default", "1.30.5-istio-v0")}, {proxies("1.30.5-istio-v0", 4)}),
             test_manifest(), kToday);
  EXPECT_FALSE(advice.needs_action());
  EXPECT_EQ(codes(advice), (std::vector<std::string>{"up-to-date:control plane default"}));
}

TEST(Advice, NewerPatchAndSecurityPatch) {
  auto advice = advise(state({plane("default", "1.30.4-istio-v0")}, {}), test_manifest(), kToday);
  EXPECT_TRUE(advice.needs_action());
  const auto* patch = find(advice, "patch-available");
  ASSERT_NE(patch, nullptr);
  EXPECT_EQ(patch->target, "1.30.5-istio-v0");
  EXPECT_THAT(patch->message,
              HasSubstr("upgrade to 1.30.5-istio-v0, the latest patch of 1.30-istio"));

  advice = advise(state({plane("default", "1.29.7-istio-v0")}, {}), test_manifest(), kToday);
  const auto* security = find(advice, "security-patch");
  ASSERT_NE(security, nullptr);
  EXPECT_THAT(security->message, HasSubstr("1.29.8-istio-v0, which includes security fixes"));
}

TEST(Advice, EndOfLifeWithDaysLeftAndBothLifecycles) {
  auto advice = advise(state({plane("default", "1.29.8-istio-v0")}, {}), test_manifest(), kToday);
  const auto* soon = find(advice, "end-of-life-soon");
  ASSERT_NE(soon, nullptr);
  EXPECT_EQ(soon->severity, Severity::kWarning);
  EXPECT_THAT(soon->message, HasSubstr("reaches end of life on 2026-10-12, in 17 days"));

  advice = advise(state({plane("default", "1.28.10-istio-v0")}, {}, 30), test_manifest(), kToday);
  const auto* ended = find(advice, "end-of-life");
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->severity, Severity::kAction);
  EXPECT_THAT(ended->message, HasSubstr("reached end of life on 2026-07-01, 86 days ago"));
  EXPECT_THAT(ended->message,
              HasSubstr("community support ends 2026-07-01; Tetrate support ends 2027-01-01"));

  // The Tetrate build of the same minor follows Tetrate's date.
  advice = advise(state({plane("default", "1.28.10-tetrate-v1")}, {}, 30), test_manifest(), kToday);
  EXPECT_EQ(find(advice, "end-of-life"), nullptr);
  EXPECT_FALSE(advice.needs_action()) << codes(advice).front();
}

// A release only upstream knows: its Kubernetes range is unknown (a note, not a failure), and an
// end of life estimated from Istio's policy says so.
TEST(Advice, ReleasesOnlyUpstreamKnows) {
  const auto release = [](const char* tag, const char* date) {
    manifest::UpstreamRelease result;
    result.tag = tag;
    result.version = *Version::parse(tag);
    result.published = *CivilDate::parse(date);
    result.downloads["linux-amd64"] = {std::string("https://dl/") + tag, "", ""};
    return result;
  };
  const auto catalogue = manifest::merge(
      test_manifest(), {release("1.32.0", "2026-08-25"), release("1.31.0", "2026-06-01")});
  auto advice =
      advise(state({plane("default", "1.32.0-istio-v0")}, {proxies("1.32.0-istio-v0", 2)}),
             catalogue.manifest, kToday);
  EXPECT_FALSE(advice.needs_action()) << codes(advice, Severity::kWarning).front();
  EXPECT_EQ(codes(advice), (std::vector<std::string>{"up-to-date:control plane default",
                                                     "kubernetes-unknown:control plane default"}));
  EXPECT_THAT(find(advice, "kubernetes-unknown")->message,
              HasSubstr("the Kubernetes versions 1.32.0-istio-v0 supports are not known yet"));

  // 1.30: six weeks after 1.32.0, i.e. 2026-10-06, in 11 days.
  advice = advise(state({plane("default", "1.30.5-istio-v0")}, {}), catalogue.manifest, kToday);
  const auto* soon = find(advice, "end-of-life-soon");
  ASSERT_NE(soon, nullptr);
  EXPECT_THAT(soon->message, HasSubstr("reaches end of life on 2026-10-06, in 11 days"));
  EXPECT_THAT(soon->message, HasSubstr("estimated from Istio's support policy"));
}

TEST(Advice, MinorNoLongerInTheManifest) {
  const auto advice =
      advise(state({plane("default", "1.26.3-istio-v0")}, {}), test_manifest(), kToday);
  const auto* gone = find(advice, "minor-unsupported");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->target, "1.30.5-istio-v0");
  EXPECT_THAT(gone->message, HasSubstr("the 1.26-istio line is no longer in the manifest"));
}

TEST(Advice, KubernetesOutsideTheSupportedList) {
  const auto advice =
      advise(state({plane("default", "1.30.5-istio-v0")}, {}, 36), test_manifest(), kToday);
  const auto* k8s = find(advice, "kubernetes-unsupported");
  ASSERT_NE(k8s, nullptr);
  EXPECT_THAT(
      k8s->message,
      HasSubstr("Kubernetes 1.36 is not among the versions 1.30.5-istio-v0 supports (1.32, 1.33)"));
}

TEST(Advice, SkewBetweenPlanes) {
  auto advice =
      advise(state({plane("default", "1.29.8-istio-v0")}, {proxies("1.30.5-istio-v0", 2)}),
             test_manifest(), kToday);
  ASSERT_NE(find(advice, "data-plane-newer"), nullptr);
  EXPECT_THAT(find(advice, "data-plane-newer")->message,
              HasSubstr("2 sidecars (apps/a, …) run 1.30.5-istio-v0"));
  advice = advise(state({plane("default", "1.29.8-istio-v0")}, {proxies("1.30.5-istio-v0", 1)}),
                  test_manifest(), kToday);
  ASSERT_NE(find(advice, "data-plane-newer"), nullptr);
  EXPECT_THAT(find(advice, "data-plane-newer")->message,
              HasSubstr("1 sidecar (apps/a) runs 1.30.5-istio-v0"));

  advice = advise(state({plane("default", "1.30.5-istio-v0")}, {proxies("1.28.10-istio-v0", 1)}),
                  test_manifest(), kToday);
  ASSERT_NE(find(advice, "control-plane-ahead"), nullptr);
  EXPECT_NE(find(advice, "end-of-life"), nullptr) << "old proxies are checked on their own";

  advice = advise(state({plane("default", "1.30.5-istio-v0")}, {proxies("1.29.8-istio-v0", 1)}),
                  test_manifest(), kToday);
  EXPECT_EQ(find(advice, "control-plane-ahead"), nullptr) << "one minor of skew is supported";
  ASSERT_NE(find(advice, "data-plane-behind"), nullptr) << "but the upgrade is not finished";
  EXPECT_EQ(find(advice, "data-plane-behind")->severity, Severity::kWarning);
}

TEST(Advice, MixedMinorsAndOrphanProxies) {
  const auto advice =
      advise(state({plane("default", "1.29.8-istio-v0"), plane("canary", "1.30.5-istio-v0")},
                   {proxies("1.29.8-istio-v0", 3), proxies("1.30.5-istio-v0", 1, "canary"),
                    proxies("1.30.5-istio-v0", 1, "gone")}),
             test_manifest(), kToday);
  const auto found = codes(advice, Severity::kWarning);
  EXPECT_THAT(found, ::testing::Contains("mixed-minors:control plane"));
  EXPECT_THAT(found, ::testing::Contains("mixed-minors:data plane"));
  ASSERT_NE(find(advice, "no-control-plane"), nullptr);
  EXPECT_THAT(find(advice, "no-control-plane")->message, HasSubstr("revision \"gone\""));
}

TEST(Advice, MixedFipsMeshIsAWarningEitherWay) {
  auto fips_plane = plane("default", "1.28.10-tetratefips-v1");
  fips_plane.fips = true;
  auto fips_proxies = proxies("1.28.10-tetratefips-v1", 4);
  fips_proxies.fips = true;
  auto plain_proxies = proxies("1.28.10-tetrate-v1", 2);
  auto canary = plane("canary", "1.28.10-tetrate-v1");
  auto fips_canary_proxy = proxies("1.28.10-tetratefips-v1", 1, "canary");
  fips_canary_proxy.fips = true;

  const auto pure = advise(state({fips_plane}, {fips_proxies}, 30), test_manifest(), kToday);
  EXPECT_EQ(find(pure, "mixed-fips"), nullptr);

  const auto mixed =
      advise(state({fips_plane, canary}, {fips_proxies, plain_proxies, fips_canary_proxy}, 30),
             test_manifest(), kToday);
  std::vector<const Finding*> found;
  for (const auto& finding : mixed.findings) {
    if (finding.code == "mixed-fips") found.push_back(&finding);
  }
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->severity, Severity::kWarning);
  EXPECT_EQ(found[0]->message,
            "control plane default runs FIPS images (1.28.10-tetratefips-v1) but 2 proxies "
            "(1.28.10-tetrate-v1) injected for it do not: the mesh is not FIPS end to end; inject "
            "the FIPS proxy image and restart those workloads");
  EXPECT_EQ(found[1]->message,
            "1 proxy (1.28.10-tetratefips-v1) runs FIPS images but its control plane canary "
            "(1.28.10-tetrate-v1) does not: the mesh is not FIPS end to end; move the control "
            "plane to a FIPS flavor");
  EXPECT_TRUE(mixed.needs_action());

  const auto both = state({fips_plane, canary}, {fips_proxies, plain_proxies});
  EXPECT_EQ(to_string(both.control_plane_fips()), "partly");
  EXPECT_EQ(to_string(both.data_plane_fips()), "partly");
  EXPECT_EQ(to_string(state({fips_plane}, {fips_proxies}).data_plane_fips()), "yes");
  EXPECT_EQ(to_string(state({canary}, {}).control_plane_fips()), "no");
  EXPECT_EQ(to_string(state({canary}, {}).data_plane_fips()), "n/a");
}

TEST(Advice, AManagedMeshIsUpgradedItsOwnersWay) {
  auto managed = state({plane("default", "1.30.4-istio-v0")}, {proxies("1.30.4-istio-v0", 2)});
  managed.owner.kind = OwnerKind::kHelm;
  managed.owner.detail = "release istiod in istio-system, chart istiod-1.30.4";
  managed.owner.resource = "istiod";
  managed.owner.resource_namespace = "istio-system";
  const auto advice = advise(managed, test_manifest(), kToday);
  const auto* patch = find(advice, "patch-available");
  ASSERT_NE(patch, nullptr);
  EXPECT_EQ(patch->message,
            "control plane default runs 1.30.4-istio-v0; upgrade to 1.30.5-istio-v0, the latest "
            "patch of 1.30-istio; upgrade the Helm release: \"helm upgrade istiod istio/istiod "
            "--namespace istio-system --version 1.30.5\" (the base chart first)");
  const auto* owned = find(advice, "managed-control-plane");
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(owned->severity, Severity::kInfo);
  EXPECT_EQ(owned->message,
            "the control plane is owned by Helm (release istiod in istio-system, chart "
            "istiod-1.30.4): upgrade it with helm (as getmesh upgrade does), not with istioctl "
            "install");
  // The data plane's own patch finding keeps getmesh's advice (restart the workloads).
  for (const auto& finding : advice.findings) {
    if (finding.subject.starts_with("data plane")) {
      EXPECT_EQ(finding.message.find("helm"), std::string::npos);
    }
  }

  managed.owner.kind = OwnerKind::kIstioctl;
  EXPECT_EQ(find(advise(managed, test_manifest(), kToday), "managed-control-plane"), nullptr);
}

TEST(Advice, AManagedControlPlaneOutsideTheClusterOrInAnotherNamespace) {
  auto google = state({}, {proxies("1.30.5-istio-v0", 2, "asm-managed")});
  google.owner = {OwnerKind::kGoogleManaged, "ControlPlaneRevision asm-managed, channel regular",
                  "", "asm-managed", "istio-system"};
  auto advice = advise(google, test_manifest(), kToday);
  EXPECT_EQ(find(advice, "no-control-plane"), nullptr) << "Google runs it outside the cluster";
  ASSERT_NE(find(advice, "control-plane-outside"), nullptr);
  EXPECT_EQ(find(advice, "control-plane-outside")->message,
            "the control plane runs outside the cluster (Google's managed Cloud Service Mesh, "
            "ControlPlaneRevision asm-managed, channel regular)");

  auto aks = state({}, {proxies("1.30.5-istio-v0", 2, "asm-1-30")});
  aks.owner = {OwnerKind::kAksAddon, "revision asm-1-30 in aks-istio-system", "", "asm-1-30",
               "aks-istio-system"};
  advice = advise(aks, test_manifest(), kToday);
  ASSERT_NE(find(advice, "no-control-plane"), nullptr);
  EXPECT_EQ(find(advice, "no-control-plane")->message,
            "no istiod (app=istiod) in namespace istio-system, but 2 proxies run; the AKS Istio "
            "add-on runs istiod in aks-istio-system: pass --istio-namespace aks-istio-system");
}

TEST(Advice, UnknownVersionsAndNoIstio) {
  auto unknown = plane("default", "1.30.5-istio-v0");
  unknown.version.reset();
  unknown.image = "registry.local/pilot:latest";
  ProxyGroup odd = proxies("1.30.5-istio-v0", 1);
  odd.version.reset();
  odd.image = "registry.local/proxyv2:dev";
  auto advice = advise(state({unknown}, {odd}), test_manifest(), kToday);
  EXPECT_TRUE(advice.needs_action());
  EXPECT_EQ(codes(advice, Severity::kWarning),
            (std::vector<std::string>{"unknown-version:control plane default",
                                      "unknown-version:data plane"}));
  EXPECT_THAT(advice.findings[0].message, HasSubstr("\"registry.local/pilot:latest\""));

  advice = advise(state({}, {}), test_manifest(), kToday);
  EXPECT_FALSE(advice.needs_action());
  EXPECT_EQ(codes(advice), (std::vector<std::string>{"no-istio:cluster"}));
}

}  // namespace
}  // namespace getmesh::mesh
