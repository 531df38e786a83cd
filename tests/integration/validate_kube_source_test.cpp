#include "support/kube_api_server.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/validate/kinds.hpp>
#include <getmesh/validate/kube_source.hpp>

#include <gtest/gtest.h>

namespace getmesh::validate {
namespace {

using namespace getmesh::testing;
using json = nlohmann::json;

json object(const std::string& api_version, const std::string& kind, const std::string& name) {
  return {{"apiVersion", api_version},
          {"kind", kind},
          {"metadata", {{"name", name}, {"namespace", "apps"}}},
          {"spec", {{"hosts", {"reviews"}}, {"exportTo", {"."}}, {"port", 9080}}}};
}

std::size_t index_of(Kind kind) { return static_cast<std::size_t>(kind); }

class KubeSource : public ::testing::Test {
 protected:
  Result<ClusterState> read(const KubeApiServer& server) {
    const auto file =
        dir_.write("config", make_kubeconfig({{"test", server.url(), token_user("test-token"), ""}},
                                             TestCertificates::get().ca_cert));
    auto config = kube::rest_config_for(file.string(), "", environment_);
    EXPECT_TRUE(config.ok());
    auto client = kube::Client::connect(*config, net::Client(net::Settings{}), environment_);
    EXPECT_TRUE(client.ok());
    KubeResourceSource source(*client);
    EXPECT_EQ(source.describe(), "context \"test\" (" + server.url() + ")");
    return source.read(cluster_kinds());
  }

  TempDir dir_;
  Environment environment_;
};

TEST_F(KubeSource, PrefersTheNewestServedVersionAndKeepsTheObjectsAsWritten) {
  KubeApiServerOptions options;
  options.objects = json::array({namespace_object("apps"),
                                 object("networking.istio.io/v1beta1", "VirtualService", "old"),
                                 object("networking.istio.io/v1", "VirtualService", "new"),
                                 object("networking.istio.io/v1alpha3", "Sidecar", "legacy")});
  KubeApiServer server(options);
  const auto state = read(server);
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_TRUE(state->serves_istio);
  EXPECT_TRUE(state->complete.all());
  EXPECT_TRUE(state->warnings.empty());
  std::vector<std::string> seen;
  for (const auto& resource : state->resources) {
    if (!is_istio(resource.kind)) continue;
    seen.push_back(resource.api_version + " " + std::string(kind_name(resource.kind)) + " " +
                   resource.namespace_ + "/" + resource.name);
    EXPECT_FALSE(resource.origin.from_file());
    EXPECT_EQ(resource.document["kind"].str(), kind_name(resource.kind));
  }
  // VirtualServices come from v1 only (one version of a kind is read); Sidecars only exist as
  // v1alpha3 here.
  EXPECT_EQ(seen, (std::vector<std::string>{"networking.istio.io/v1 VirtualService apps/new",
                                            "networking.istio.io/v1alpha3 Sidecar apps/legacy"}));
  // Numbers stay plain scalars, strings quoted ones, as if written in YAML.
  for (const auto& resource : state->resources) {
    if (resource.kind != Kind::kVirtualService) continue;
    EXPECT_EQ(resource.spec()["port"].as_int(), 9080);
    EXPECT_EQ(resource.spec()["hosts"].at(0).str(), "reviews");
    EXPECT_FALSE(resource.spec()["hosts"].at(0).plain());
  }
  for (const auto& request : server.requests()) {
    EXPECT_NE(request["path"], "/apis/networking.istio.io/v1beta1/virtualservices");
  }
}

TEST_F(KubeSource, ForbiddenSecretsLeaveThatKindIncomplete) {
  KubeApiServerOptions options;
  options.objects = json::array({namespace_object("apps")});
  options.forbid = {"secrets"};
  KubeApiServer server(options);
  const auto state = read(server);
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_FALSE(state->serves_istio);
  EXPECT_FALSE(state->complete[index_of(Kind::kSecret)]);
  EXPECT_TRUE(state->complete[index_of(Kind::kService)]);
  EXPECT_TRUE(state->complete[index_of(Kind::kVirtualService)]);  // not served: there are none
  ASSERT_EQ(state->warnings.size(), 1U);
  EXPECT_NE(state->warnings[0].find("secrets"), std::string::npos);

  options.forbid = {"services"};
  KubeApiServer strict(options);
  const auto failed = read(strict);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().http_status, 403);
  EXPECT_NE(failed.error().message.find("may not list services"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::validate
