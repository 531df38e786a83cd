#include <getmesh/upgrade/target.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using ::testing::HasSubstr;

const manifest::Manifest& catalogue() {
  static const auto manifest = *manifest::parse(R"({
    "default_flavor": "istio",
    "lifecycle": {"1.28": {"community_end_of_life": "2026-01-01"}, "1.29": {}, "1.30": {},
                  "1.31": {}, "1.32": {}},
    "istio_distributions": [
      {"version": "1.32.1", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.31.4", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.31.4", "flavor": "tetrate", "flavor_version": 1, "k8s_versions": ["1.32"]},
      {"version": "1.31.4", "flavor": "tetrate", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.31.2", "flavor": "tetratefips", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.30.9", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31", "1.32"]},
      {"version": "1.30.8", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31", "1.32"]},
      {"version": "1.30.8", "flavor": "tetrate", "flavor_version": 0, "k8s_versions": ["1.32"]},
      {"version": "1.29.3", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31"]},
      {"version": "1.28.5", "flavor": "istio", "flavor_version": 0, "k8s_versions": ["1.31"]}
    ]})",
                                                "test");
  return manifest;
}

const CivilDate kToday{2026, 9, 25};

mesh::ControlPlane plane(const std::string& revision, const char* version) {
  mesh::ControlPlane result;
  result.revision = revision;
  result.version = *DistributionName::parse(version);
  result.version_text = version;
  result.pods = 1;
  return result;
}

mesh::MeshState cluster(std::vector<mesh::ControlPlane> planes, long kubernetes_minor = 32) {
  mesh::MeshState state;
  state.kubernetes = {"v1." + std::to_string(kubernetes_minor) + ".0", 1, kubernetes_minor};
  state.istio_namespace = "istio-system";
  state.control_planes = std::move(planes);
  return state;
}

Result<Target> target_for(const mesh::MeshState& state, TargetRequest request) {
  auto source = source_control_plane(state, "");
  if (!source) return source.error();
  return choose_target(**source, state, catalogue(), kToday, request);
}

std::string chosen(const mesh::MeshState& state, TargetRequest request) {
  auto target = target_for(state, std::move(request));
  if (!target) return "error: " + target.error().message;
  return target->name ? target->name->to_string() : "nothing: " + target->reason;
}

TEST(UpgradeTarget, DefaultIsWhatCheckUpgradeRecommends) {
  EXPECT_EQ(chosen(cluster({plane("default", "1.30.8-istio-v0")}), {}), "1.30.9-istio-v0");
  // 1.28 is past its end of life: check-upgrade asks to move on, the upgrade takes the next minor.
  EXPECT_EQ(chosen(cluster({plane("default", "1.28.5-istio-v0")}, 31), {}), "1.29.3-istio-v0");
}

TEST(UpgradeTarget, NothingToDoAtTheLatestPatch) {
  EXPECT_EQ(chosen(cluster({plane("default", "1.30.9-istio-v0")}), {}),
            "nothing: control plane default runs 1.30.9-istio-v0, the latest patch of 1.30-istio "
            "in the catalogue; to move to the next minor, give --to 1.31");
  EXPECT_EQ(chosen(cluster({plane("default", "1.30.9-istio-v0")}), {"1.30.9", "", false}),
            "nothing: control plane default already runs 1.30.9-istio-v0");
}

TEST(UpgradeTarget, ToAMinorTakesItsLatestPatchAndNewestRebuild) {
  const auto state = cluster({plane("default", "1.30.8-istio-v0")});
  EXPECT_EQ(chosen(state, {"1.31", "", false}), "1.31.4-istio-v0");
  EXPECT_EQ(chosen(state, {"1.31.4", "tetrate", false}), "1.31.4-tetrate-v1");
}

TEST(UpgradeTarget, RefusesWhatIstiosCanaryRulesForbid) {
  const auto state = cluster({plane("default", "1.30.8-istio-v0")});
  EXPECT_EQ(chosen(state, {"1.33", "", false}),
            "error: the catalogue has no istio build of Istio 1.33");
  EXPECT_EQ(chosen(state, {"1.29.3", "", false}),
            "error: getmesh upgrade does not downgrade: control plane default runs "
            "1.30.8-istio-v0, newer than 1.29.3-istio-v0");
  EXPECT_EQ(chosen(cluster({plane("default", "1.30.8-istio-v0")}, 31), {"1.31", "", false}),
            "error: Kubernetes 1.31 is not among the versions 1.31.4-istio-v0 supports (1.32)");
  EXPECT_THAT(chosen(cluster({plane("default", "1.29.3-istio-v0")}), {"1.31", "", false}),
              HasSubstr("is 2 minors ahead of the oldest control plane (1.29.3)"));
  EXPECT_THAT(chosen(cluster({plane("default", "1.28.5-istio-v0")}), {"1.31", "", true}),
              HasSubstr("is 3 minors ahead"));
  auto skipped = target_for(cluster({plane("default", "1.29.3-istio-v0")}), {"1.31", "", true});
  ASSERT_TRUE(skipped.ok()) << skipped.error().message;
  EXPECT_THAT(skipped->warnings.front(), HasSubstr("skipping a minor (1.29 to 1.31)"));
}

TEST(UpgradeTarget, TheOldestControlPlaneCountsForTheMinorRule) {
  auto state = cluster({plane("canary", "1.30.8-istio-v0"), plane("default", "1.29.3-istio-v0")});
  auto source = source_control_plane(state, "canary");
  ASSERT_TRUE(source.ok());
  auto target = choose_target(**source, state, catalogue(), kToday, {"1.31", "", false});
  ASSERT_FALSE(target.ok());
  EXPECT_THAT(target.error().message, HasSubstr("oldest control plane (1.29.3)"));
}

TEST(UpgradeTarget, FlavorChanges) {
  const auto state = cluster({plane("default", "1.30.8-istio-v0")});
  auto vendor = target_for(state, {"", "tetrate", false});
  ASSERT_TRUE(vendor.ok()) << vendor.error().message;
  EXPECT_EQ(vendor->name->to_string(), "1.30.8-tetrate-v0");
  ASSERT_EQ(vendor->warnings.size(), 1u);
  EXPECT_THAT(vendor->warnings[0],
              HasSubstr("switching from the istio build to the tetrate build"));

  auto fips = target_for(cluster({plane("default", "1.31.2-tetratefips-v0")}),
                         {"1.31.4", "tetrate", false});
  ASSERT_TRUE(fips.ok()) << fips.error().message;
  EXPECT_TRUE(fips->warnings.empty()) << "tetrate and tetratefips are one vendor";

  auto unknown = target_for(state, {"", "vanilla", false});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kUsage);
  auto garbage = target_for(state, {"1.x", "", false});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, ErrorKind::kUsage);
}

TEST(UpgradeTarget, TheSourceMustBeOneKnownControlPlane) {
  EXPECT_THAT(source_control_plane(cluster({}), "").error().message,
              HasSubstr("no Istio control plane (app=istiod) in namespace istio-system"));
  const auto two = cluster({plane("a", "1.30.8-istio-v0"), plane("b", "1.30.9-istio-v0")});
  EXPECT_THAT(source_control_plane(two, "").error().message,
              HasSubstr("several control planes run in istio-system: a (1.30.8-istio-v0), b "
                        "(1.30.9-istio-v0)"));
  EXPECT_EQ((*source_control_plane(two, "b"))->revision, "b");
  EXPECT_THAT(source_control_plane(two, "c").error().hint, HasSubstr("a, b"));
  auto unknown = cluster({plane("default", "1.30.8-istio-v0")});
  unknown.control_planes[0].version.reset();
  unknown.control_planes[0].image = "registry/pilot@sha256:abc";
  EXPECT_THAT(source_control_plane(unknown, "").error().message,
              HasSubstr("cannot tell the Istio version of control plane default"));
}

TEST(UpgradeTarget, RevisionNamesFollowTheVersion) {
  const auto target = *DistributionName::parse("1.31.4-tetrate-v0");
  EXPECT_EQ(revision_for(target, {plane("default", "1.30.8-istio-v0")}), "1-31-4");
  EXPECT_EQ(revision_for(target, {plane("1-31-4", "1.31.4-istio-v0")}), "1-31-4-tetrate")
      << "a flavor switch at the same version needs another name";
  EXPECT_EQ(revision_for(target, {plane("1-31-4", "1.31.4-tetrate-v0")}), "1-31-4")
      << "a half-done earlier attempt is the same revision";
}

}  // namespace
}  // namespace getmesh::upgrade
