#include "support/kube_api_server.hpp"

#include <getmesh/mesh/state.hpp>

#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

using namespace getmesh::testing;
using nlohmann::json;

TEST(ControlPlanes, GroupsIstiodPodsByRevision) {
  auto digest_pod = istiod_pod("istiod-canary-2", "docker.io/istio/pilot@sha256:abcd", "canary");
  digest_pod["metadata"]["labels"]["app.kubernetes.io/version"] = "1.30.5";
  auto finished = istiod_pod("istiod-old", "docker.io/istio/pilot:1.27.0");
  finished["status"]["phase"] = "Failed";
  const std::vector<json> pods = {
      istiod_pod("istiod-canary-1", "docker.io/istio/pilot:1.30.5", "canary"),
      digest_pod,
      istiod_pod("istiod-a", "docker.io/istio/pilot:1.29.8"),
      istiod_pod("istiod-b", "docker.io/istio/pilot:1.29.7"),  // mid rollout
      finished,
  };
  const std::vector<json> deployments = {
      istiod_deployment("istiod", "docker.io/istio/pilot:1.29.8"),
      istiod_deployment("istiod-old-rev", "docker.io/istio/pilot:1.28.2", "old-rev"),
  };
  const auto planes = control_planes_from(pods, deployments);
  ASSERT_EQ(planes.size(), 3u);
  EXPECT_EQ(planes[0].revision, "default");
  EXPECT_EQ(planes[0].pods, 2);
  EXPECT_EQ(planes[0].version->to_string(), "1.29.7-istio-v0") << "the oldest pod counts";
  EXPECT_EQ(planes[0].pod_versions,
            (std::vector<std::string>{"1.29.8-istio-v0", "1.29.7-istio-v0"}));
  EXPECT_EQ(planes[1].revision, "canary");
  EXPECT_EQ(planes[1].pods, 2);
  EXPECT_EQ(planes[1].version->to_string(), "1.30.5-istio-v0");
  EXPECT_EQ(planes[2].revision, "old-rev");
  EXPECT_EQ(planes[2].pods, 0) << "a Deployment scaled to zero still names its revision";
  EXPECT_EQ(planes[2].version->to_string(), "1.28.2-istio-v0");
}

TEST(ControlPlanes, UnparseableImagesStayUnknown) {
  const auto planes =
      control_planes_from({istiod_pod("istiod", "registry.local/pilot:latest")}, {});
  ASSERT_EQ(planes.size(), 1u);
  EXPECT_FALSE(planes[0].version.has_value());
  EXPECT_EQ(planes[0].version_text, "latest");
  EXPECT_EQ(planes[0].image, "registry.local/pilot:latest");
}

TEST(ControlPlanes, AreFipsOnlyWhenEveryImageIs) {
  const auto planes = control_planes_from(
      {istiod_pod("istiod-a", "tetrate/pilot:1.28.10-tetratefips-v1"),
       istiod_pod("istiod-canary-a", "tetrate/pilot:1.28.10-tetratefips-v1", "canary"),
       istiod_pod("istiod-canary-b", "tetrate/pilot:1.28.10-tetrate-v1", "canary")},
      {});
  ASSERT_EQ(planes.size(), 2u);
  EXPECT_TRUE(planes[0].fips);
  EXPECT_FALSE(planes[1].fips) << "a rollout from a FIPS to a plain image is not FIPS";
  const auto proxies = data_plane_from(
      {sidecar_pod("apps", "a", "tetrate/proxyv2:1.28.10-tetratefips-v1-distroless"),
       sidecar_pod("apps", "b", "tetrate/proxyv2:1.28.10-tetrate-v1")});
  ASSERT_EQ(proxies.size(), 2u);
  EXPECT_FALSE(proxies[0].fips);
  EXPECT_EQ(proxies[0].version_text, "1.28.10-tetrate-v1");
  EXPECT_TRUE(proxies[1].fips);
}

TEST(DataPlane, CountsSidecarsGatewaysAndZtunnel) {
  auto native = pod_object("apps", "native", {{"app", "native"}}, "istio-proxy",
                           "docker.io/istio/proxyv2:1.29.8", true);
  auto annotated = sidecar_pod("apps", "annotated", "docker.io/istio/proxyv2:1.30.5");
  annotated["metadata"]["annotations"]["sidecar.istio.io/status"] =
      R"({"initContainers":["istio-init"],"containers":["istio-proxy"],"revision":"canary"})";
  auto done = sidecar_pod("jobs", "job-1", "docker.io/istio/proxyv2:1.28.0");
  done["status"]["phase"] = "Succeeded";
  const std::vector<json> pods = {
      sidecar_pod("apps", "a", "docker.io/istio/proxyv2:1.29.8"),
      sidecar_pod("apps", "b", "docker.io/istio/proxyv2:1.29.8"),
      native,
      annotated,
      sidecar_pod("apps", "c", "docker.io/istio/proxyv2:1.30.5", "canary"),
      pod_object("istio-system", "istio-ingressgateway-1", {{"istio", "ingressgateway"}},
                 "istio-proxy", "docker.io/istio/proxyv2:1.29.8"),
      pod_object("istio-system", "ztunnel-x", {{"app", "ztunnel"}}, "istio-proxy",
                 "docker.io/istio/ztunnel:1.29.8"),
      pod_object("apps", "plain", {{"app", "plain"}}, "app", "nginx:1.27"),
      sidecar_pod("apps", "weird", "docker.io/istio/proxyv2:master-abc"),
      done,
      istiod_pod("istiod", "docker.io/istio/pilot:1.29.8"),
  };
  const auto groups = data_plane_from(pods);
  std::map<std::string, int> counts;
  for (const auto& group : groups) {
    counts[group.version_text + " " + group.kind + " " + group.revision] += group.count;
  }
  EXPECT_EQ(counts, (std::map<std::string, int>{{"1.29.8-istio-v0 sidecar default", 3},
                                                {"1.29.8-istio-v0 gateway default", 1},
                                                {"1.29.8-istio-v0 ztunnel default", 1},
                                                {"1.30.5-istio-v0 sidecar canary", 2},
                                                {"master-abc sidecar default", 1}}));
  const auto weird = std::find_if(groups.begin(), groups.end(),
                                  [](const ProxyGroup& group) { return !group.version; });
  ASSERT_NE(weird, groups.end());
  EXPECT_EQ(weird->examples, (std::vector<std::string>{"apps/weird"}));
}

}  // namespace
}  // namespace getmesh::mesh
