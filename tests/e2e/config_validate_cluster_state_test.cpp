// config-validate's cluster-state analyzers against the test Kubernetes API server, through the
// built binary: webhooks, istiod's ConfigMaps, status conditions and Gateway credentials, with
// Secrets' data read only under --read-secrets.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"

#include <getmesh/core/base64.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace getmesh::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

json object(const std::string& api_version, const std::string& kind, const std::string& ns,
            const std::string& name) {
  json metadata = {{"name", name}};
  if (!ns.empty()) metadata["namespace"] = ns;
  return {{"apiVersion", api_version}, {"kind", kind}, {"metadata", metadata}};
}

// Istio's Gateway CRD, so that the cluster serves an Istio kind.
json gateway_crd() {
  auto crd = object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
                    "gateways.networking.istio.io");
  crd["spec"] = {{"group", "networking.istio.io"},
                 {"scope", "Namespaced"},
                 {"names", {{"kind", "Gateway"}, {"plural", "gateways"}}},
                 {"versions", {{{"name", "v1"}, {"served", true}}}}};
  return crd;
}

json injection_webhook(const std::string& name) {
  auto webhook =
      object("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "", name);
  webhook["webhooks"] = {
      {{"name", name + ".sidecar-injector.istio.io"},
       {"clientConfig", {{"service", {{"name", "istiod"}, {"namespace", "istio-system"}}}}},
       {"namespaceSelector", {{"matchLabels", {{"istio-injection", "enabled"}}}}}}};
  return webhook;
}

// The findings of `-o json` output as "CODE Kind ns/name" lines.
std::vector<std::string> findings(const std::string& out) {
  std::vector<std::string> lines;
  for (const auto& finding : json::parse(out)) {
    const auto ns = finding["namespace"].is_null() ? "" : finding["namespace"].get<std::string>();
    lines.push_back(finding["code"].get<std::string>() + " " + finding["kind"].get<std::string>() +
                    " " + ns + "/" + finding["name"].get<std::string>());
  }
  return lines;
}

class ConfigValidateClusterState : public ::testing::Test {
 protected:
  RunResult validate(const KubeApiServer& server, std::vector<std::string> args) {
    const auto config = fake.dir().write(
        "kubeconfig", make_kubeconfig({{"test", server.url(),
                                        client_certificate_user(TestCertificates::get()), ""}},
                                      TestCertificates::get().ca_cert));
    std::vector<std::string> argv = {"-c", config.string(), "config-validate", "-o", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_getmesh(argv, fake.options());
  }

  FakeHome fake;
};

TEST_F(ConfigValidateClusterState, ChecksWebhooksInjectorAndConditions) {
  auto bookinfo = namespace_object("bookinfo");
  bookinfo["metadata"]["labels"] = {{"istio-injection", "enabled"}};
  auto injector = object("v1", "ConfigMap", "istio-system", "istio-sidecar-injector");
  injector["data"] = {
      {"values",
       R"({"global": {"hub": "docker.io/istio", "tag": "1.21.0", "proxy": {"image": "proxyv2"}}})"}};
  auto istiod_service = object("v1", "Service", "istio-system", "istiod");
  istiod_service["spec"] = {{"ports", {{{"name", "https-webhook"}, {"port", 443}}}}};
  auto waypointless = object("v1", "Service", "bookinfo", "reviews");
  waypointless["spec"] = {{"ports", {{{"name", "http"}, {"port", 9080}}}}};
  waypointless["status"] = {{"conditions",
                             {{{"type", "istio.io/WaypointBound"},
                               {"status", "False"},
                               {"reason", "NoWaypoint"},
                               {"message", "waypoint bookinfo/waypoint is not ready"}}}}};
  KubeApiServerOptions options;
  options.objects = json::array(
      {namespace_object("istio-system"), bookinfo, gateway_crd(),
       istiod_deployment("istiod", "docker.io/istio/pilot:1.21.0"), injector, istiod_service,
       sidecar_pod("bookinfo", "reviews-v1", "docker.io/istio/proxyv2:1.21.0"),
       sidecar_pod("bookinfo", "ratings-v1", "docker.io/istio/proxyv2:1.20.3"),
       injection_webhook("first"), injection_webhook("second"), waypointless});
  KubeApiServer server(options);

  const auto result = validate(server, {});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const auto found = findings(result.out);
  EXPECT_THAT(found, Contains("IST0158 Namespace /bookinfo"));
  EXPECT_THAT(found, Contains("IST0139 MutatingWebhookConfiguration /first"));
  EXPECT_THAT(found, Contains("IST0139 MutatingWebhookConfiguration /second"));
  EXPECT_THAT(found, Contains("IST0171 Service bookinfo/reviews"));
  EXPECT_THAT(result.out, HasSubstr("ratings-v1"));       // the pod with the old proxy is named
  EXPECT_THAT(result.out, Not(HasSubstr("reviews-v1")));  // the current one is not

  // The same objects from files give the same findings offline.
  const json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", options.objects}};
  const auto files = fake.dir().write("cluster.json", list.dump());
  const auto offline =
      run_getmesh({"config-validate", "--offline", "-o", "json", files.string()}, fake.options());
  EXPECT_THAT(findings(offline.out), Contains("IST0158 Namespace /bookinfo"));
  EXPECT_THAT(findings(offline.out), Contains("IST0139 MutatingWebhookConfiguration /first"));
  EXPECT_THAT(findings(offline.out), Contains("IST0171 Service bookinfo/reviews"));
}

TEST_F(ConfigValidateClusterState, GatewayCredentialsAreReadOnlyWhenAsked) {
  std::ifstream in(TestCertificates::get().expired_cert);
  std::stringstream pem;
  pem << in.rdbuf();
  const auto expired = base64_encode(pem.str());
  auto secret = object("v1", "Secret", "istio-system", "ingress-cert");
  secret["type"] = "kubernetes.io/tls";
  secret["data"] = {{"tls.crt", expired}, {"tls.key", base64_encode("not read")}};
  auto unrelated = object("v1", "Secret", "istio-system", "unrelated");
  unrelated["data"] = {{"token", base64_encode("do not read me")}};
  KubeApiServerOptions options;
  options.objects =
      json::array({namespace_object("istio-system"), gateway_crd(), secret, unrelated,
                   pod_object("istio-system", "ingress", {{"istio", "ingressgateway"}},
                              "istio-proxy", "docker.io/istio/proxyv2:1.21.0")});
  KubeApiServer server(options);
  auto gateway = object("networking.istio.io/v1", "Gateway", "istio-system", "ingress");
  gateway["spec"] = {{"selector", {{"istio", "ingressgateway"}}},
                     {"servers",
                      {{{"port", {{"number", 443}, {"name", "https"}, {"protocol", "HTTPS"}}},
                        {"hosts", {"*.example.com"}},
                        {"tls", {{"mode", "SIMPLE"}, {"credentialName", "ingress-cert"}}}}}}};
  const auto file = fake.dir().write("gateway.json", gateway.dump()).string();
  const auto secret_reads = [&server] {
    std::vector<std::string> paths;
    for (const auto& request : server.requests()) {
      const auto path = request["path"].get<std::string>();
      if (path.find("/secrets/") != std::string::npos) paths.push_back(path);
    }
    return paths;
  };

  auto result = validate(server, {file});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(findings(result.out), Not(Contains("IST0161 Gateway istio-system/ingress")));
  EXPECT_THAT(result.err, HasSubstr("IST0161"));
  EXPECT_THAT(result.err, HasSubstr("--read-secrets"));
  EXPECT_TRUE(secret_reads().empty());

  result = validate(server, {"--read-secrets", file});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(findings(result.out), Contains("IST0161 Gateway istio-system/ingress"));
  EXPECT_THAT(result.out, HasSubstr("expired"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr(expired.substr(0, 40))));
  EXPECT_EQ(secret_reads(),
            std::vector<std::string>{"/api/v1/namespaces/istio-system/secrets/ingress-cert"});

  result = run_getmesh({"config-validate", "--offline", "--read-secrets", file}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--read-secrets"));
}

}  // namespace
}  // namespace getmesh::testing
