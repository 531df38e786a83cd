#include "support/kube_api_server.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/mesh/state.hpp>

#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

using namespace getmesh::testing;

TEST(ReadMesh, ReadsVersionsControlPlanesAndProxiesAcrossPages) {
  auto objects =
      nlohmann::json::array({namespace_object("istio-system"), namespace_object("apps")});
  objects.push_back(istiod_pod("istiod-1", "docker.io/istio/pilot:1.29.8"));
  objects.push_back(istiod_deployment("istiod", "docker.io/istio/pilot:1.29.8"));
  objects.push_back(istiod_pod("istiod-canary-1", "docker.io/istio/pilot:1.30.5", "canary"));
  for (int i = 0; i < 620; ++i) {  // more than one page of 500
    objects.push_back(
        sidecar_pod("apps", "app-" + std::to_string(i), "docker.io/istio/proxyv2:1.29.8"));
  }
  KubeApiServerOptions options;
  options.objects = objects;
  options.kube_version = "v1.31.4-gke.1";
  KubeApiServer server(options);
  TempDir dir;
  const auto file =
      dir.write("config", make_kubeconfig({{"test", server.url(), token_user("test-token"), ""}},
                                          TestCertificates::get().ca_cert));
  Environment environment;
  auto config = kube::rest_config_for(file.string(), "", environment);
  ASSERT_TRUE(config.ok());
  auto client = kube::Client::connect(*config, net::Client(net::Settings{}), environment);
  ASSERT_TRUE(client.ok());

  auto state = read_mesh(*client, "istio-system");
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->kubernetes.minor_string(), "1.31");
  ASSERT_EQ(state->control_planes.size(), 2u);
  EXPECT_EQ(state->control_planes[0].revision, "default");
  EXPECT_EQ(state->control_planes[1].version->to_string(), "1.30.5-istio-v0");
  EXPECT_EQ(state->proxy_count(), 620);

  auto empty = read_mesh(*client, "no-istio-here");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->control_planes.empty());
}

}  // namespace
}  // namespace getmesh::mesh
