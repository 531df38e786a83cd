#include "support/kube_api_server.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/validate/kinds.hpp>
#include <getmesh/validate/kube_source.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

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

json config_map(const std::string& ns, const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"data", {{"key", "value"}}}};
}

json cluster_object(const std::string& api_version, const std::string& kind,
                    const std::string& name) {
  return {{"apiVersion", api_version}, {"kind", kind}, {"metadata", {{"name", name}}}};
}

// The Gateway API CRD of HTTPRoutes, with a schema the reader must not fetch.
json http_route_crd() {
  json schema = {{"openAPIV3Schema", {{"type", "object"}, {"description", "a large schema"}}}};
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata",
           {{"name", "httproutes.gateway.networking.k8s.io"},
            {"annotations", {{"gateway.networking.k8s.io/bundle-version", "v1.6.1"}}}}},
          {"spec",
           {{"group", "gateway.networking.k8s.io"},
            {"scope", "Namespaced"},
            {"names", {{"kind", "HTTPRoute"}, {"plural", "httproutes"}}},
            {"versions",
             {{{"name", "v1"}, {"served", true}, {"schema", schema}},
              {{"name", "v1beta1"}, {"served", true}, {"schema", schema}},
              {{"name", "v1alpha2"}, {"served", false}, {"schema", schema}}}}}}};
}

const Resource* find(const ClusterState& state, Kind kind, const std::string& name) {
  for (const auto& resource : state.resources) {
    if (resource.kind == kind && resource.name == name) return &resource;
  }
  return nullptr;
}

class KubeSource : public ::testing::Test {
 protected:
  template <typename F>
  auto with_source(const KubeApiServer& server, F&& use) {
    const auto file =
        dir_.write("config", make_kubeconfig({{"test", server.url(), token_user("test-token"), ""}},
                                             TestCertificates::get().ca_cert));
    auto config = kube::rest_config_for(file.string(), "", environment_);
    EXPECT_TRUE(config.ok());
    auto client = kube::Client::connect(*config, net::Client(net::Settings{}), environment_);
    EXPECT_TRUE(client.ok());
    KubeResourceSource source(*client);
    EXPECT_EQ(source.describe(), "context \"test\" (" + server.url() + ")");
    return use(source);
  }

  Result<ClusterState> read(const KubeApiServer& server) {
    return with_source(server,
                       [](KubeResourceSource& source) { return source.read(cluster_kinds()); });
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

TEST_F(KubeSource, ReadsTheControlPlaneStateTheChecksNeed) {
  const auto istiod = istiod_deployment("istiod-canary", "docker.io/istio/pilot:1.28.0", "canary");
  json conditioned = {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata", {{"name", "s"}, {"namespace", "apps"}}},
      {"spec", json::object()},
      {"status",
       {{"loadBalancer", json::object()},
        {"conditions", {{{"type", "istio.io/WaypointBound"}, {"status", "False"}}}}}}};
  auto pod = pod_object("apps", "p", {{"app", "p"}}, "app", "app:1");
  pod["status"] = {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}}}}};
  json node = cluster_object("v1", "Node", "n1");
  node["metadata"]["labels"] = {{"topology.kubernetes.io/zone", "z1"}};
  node["status"] = {{"capacity", {{"cpu", "4"}}}};
  const json account = {{"apiVersion", "v1"},
                        {"kind", "ServiceAccount"},
                        {"metadata", {{"name", "reviews"}, {"namespace", "apps"}}},
                        {"secrets", {{{"name", "reviews-token"}}}}};
  KubeApiServerOptions options;
  options.objects =
      json::array({namespace_object("istio-system"), namespace_object("apps"), istiod, conditioned,
                   pod, node, account, config_map("istio-system", "istio"),
                   config_map("istio-system", "istio-sidecar-injector"),
                   config_map("istio-system", "istio-sidecar-injector-canary"),
                   config_map("istio-system", "kube-root-ca.crt"), config_map("apps", "istio"),
                   cluster_object("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration",
                                  "istio-sidecar-injector"),
                   cluster_object("admissionregistration.k8s.io/v1",
                                  "ValidatingWebhookConfiguration", "istio-validator-istio-system"),
                   http_route_crd()});
  KubeApiServer server(options);
  const auto state = read(server);
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_TRUE(state->warnings.empty());

  // ConfigMaps: istiod's own, from its namespace only.
  std::vector<std::string> config_maps;
  for (const auto& resource : state->resources) {
    if (resource.kind == Kind::kConfigMap)
      config_maps.push_back(resource.namespace_ + "/" + resource.name);
  }
  std::sort(config_maps.begin(), config_maps.end());
  EXPECT_EQ(config_maps,
            (std::vector<std::string>{"istio-system/istio", "istio-system/istio-sidecar-injector",
                                      "istio-system/istio-sidecar-injector-canary"}));
  EXPECT_NE(find(*state, Kind::kMutatingWebhookConfiguration, "istio-sidecar-injector"), nullptr);
  EXPECT_NE(find(*state, Kind::kValidatingWebhookConfiguration, "istio-validator-istio-system"),
            nullptr);

  // CRDs: metadata, with the served versions from discovery instead of the schemas.
  const auto* crd =
      find(*state, Kind::kCustomResourceDefinition, "httproutes.gateway.networking.k8s.io");
  ASSERT_NE(crd, nullptr);
  EXPECT_TRUE(crd->metadata_only);
  EXPECT_EQ(*crd->annotation("gateway.networking.k8s.io/bundle-version"), "v1.6.1");
  EXPECT_EQ(crd->spec()["names"]["kind"].str(), "HTTPRoute");
  std::vector<std::string> versions;
  crd->spec()["versions"].for_each_item([&](const Node& version) {
    EXPECT_TRUE(version["served"].as_bool().value_or(false));
    EXPECT_TRUE(version["schema"].is_null());
    versions.push_back(version["name"].str());
  });
  std::sort(versions.begin(), versions.end());
  EXPECT_EQ(versions, (std::vector<std::string>{"v1", "v1beta1"}));

  // Nodes: labels only. Conditions are kept where checks read them, workloads' status is not.
  const auto* read_node = find(*state, Kind::kNode, "n1");
  ASSERT_NE(read_node, nullptr);
  EXPECT_EQ(*read_node->label("topology.kubernetes.io/zone"), "z1");
  EXPECT_TRUE(read_node->document["status"].is_null());
  const auto* read_service = find(*state, Kind::kService, "s");
  ASSERT_NE(read_service, nullptr);
  EXPECT_EQ(read_service->document["status"]["conditions"].at(0)["type"].str(),
            "istio.io/WaypointBound");
  EXPECT_TRUE(read_service->document["status"]["loadBalancer"].is_null());
  EXPECT_TRUE(find(*state, Kind::kPod, "p")->document["status"].is_null());
  // ServiceAccounts: their names (principals, WorkloadGroup accounts), as metadata.
  const auto* read_account = find(*state, Kind::kServiceAccount, "reviews");
  ASSERT_NE(read_account, nullptr);
  EXPECT_TRUE(read_account->metadata_only);

  for (const auto& request : server.requests()) {
    const auto path = request["path"].get<std::string>();
    EXPECT_NE(path, "/api/v1/configmaps");
    EXPECT_EQ(path.find("/namespaces/apps/configmaps"), std::string::npos);
    if (path == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions" ||
        path == "/api/v1/nodes" || path == "/api/v1/secrets" || path == "/api/v1/serviceaccounts") {
      EXPECT_THAT(request["accept"].get<std::string>(),
                  ::testing::HasSubstr("as=PartialObjectMetadataList"));
    }
  }
}

TEST_F(KubeSource, ForbiddenClusterStateKindsAreWarnings) {
  KubeApiServerOptions options;
  options.objects = json::array({namespace_object("istio-system")});
  options.forbid = {"configmaps",
                    "mutatingwebhookconfigurations",
                    "validatingwebhookconfigurations",
                    "customresourcedefinitions",
                    "nodes",
                    "serviceaccounts"};
  KubeApiServer server(options);
  const auto state = read(server);
  ASSERT_TRUE(state.ok()) << state.error().message;
  for (const auto kind : {Kind::kConfigMap, Kind::kMutatingWebhookConfiguration,
                          Kind::kValidatingWebhookConfiguration, Kind::kCustomResourceDefinition,
                          Kind::kNode, Kind::kServiceAccount}) {
    EXPECT_FALSE(state->complete[index_of(kind)]) << kind_name(kind);
  }
  EXPECT_TRUE(state->complete[index_of(Kind::kSecret)]);
  ASSERT_EQ(state->warnings.size(), 6U);
  std::string warnings;
  for (const auto& warning : state->warnings) warnings += warning + "\n";
  for (const char* weakened : {"IST0148", "IST0139", "IST0163", "IST0176", "IST0173", "KIA0106"}) {
    EXPECT_NE(warnings.find(weakened), std::string::npos) << weakened << " in " << warnings;
  }
}

TEST_F(KubeSource, ReadsOneSecretWithItsData) {
  KubeApiServerOptions options;
  options.objects = json::array({namespace_object("istio-system"),
                                 {{"apiVersion", "v1"},
                                  {"kind", "Secret"},
                                  {"metadata", {{"name", "cert"}, {"namespace", "istio-system"}}},
                                  {"data", {{"tls.crt", "Y2VydA=="}, {"tls.key", "a2V5"}}}}});
  KubeApiServer server(options);
  with_source(server, [](KubeResourceSource& source) {
    const auto secret = source.read_secret("istio-system", "cert");
    EXPECT_TRUE(secret.ok() && *secret) << (secret.ok() ? "" : secret.error().message);
    if (!secret.ok() || !*secret) return 0;
    EXPECT_FALSE((*secret)->metadata_only);
    EXPECT_EQ((*secret)->document["data"]["tls.crt"].str(), "Y2VydA==");
    const auto missing = source.read_secret("istio-system", "gone");
    EXPECT_TRUE(missing.ok() && !*missing);
    return 0;
  });
  std::vector<std::string> paths;
  for (const auto& request : server.requests()) paths.push_back(request["path"]);
  EXPECT_EQ(paths, (std::vector<std::string>{"/api/v1/namespaces/istio-system/secrets/cert",
                                             "/api/v1/namespaces/istio-system/secrets/gone"}));
}

}  // namespace
}  // namespace getmesh::validate
