// config-validate against the test Kubernetes API server, through the built binary.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

json istio(const std::string& kind, const std::string& ns, const std::string& name, json spec,
           const std::string& api_version = "networking.istio.io/v1") {
  return {{"apiVersion", api_version},
          {"kind", kind},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", std::move(spec)}};
}

json service(const std::string& ns, const std::string& name) {
  return {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata", {{"name", name}, {"namespace", ns}}},
      {"spec", {{"selector", {{"app", name}}}, {"ports", {{{"name", "http"}, {"port", 9080}}}}}}};
}

json route_to(const std::string& host, const std::string& subset = {}) {
  json destination = {{"host", host}};
  if (!subset.empty()) destination["subset"] = subset;
  return {{"hosts", {host}}, {"http", {{{"route", {{{"destination", destination}}}}}}}};
}

// A namespace with sidecar injection on (else IST0102 reports it).
json injected_namespace(const std::string& name) {
  auto object = namespace_object(name);
  object["metadata"]["labels"] = {{"istio-injection", "enabled"}};
  return object;
}

// A DestinationRule CRD as Istio installs it: the kind is served even without objects.
json destination_rule_crd() {
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", "destinationrules.networking.istio.io"}}},
          {"spec",
           {{"group", "networking.istio.io"},
            {"scope", "Namespaced"},
            {"names", {{"kind", "DestinationRule"}, {"plural", "destinationrules"}}},
            {"versions",
             {{{"name", "v1"}, {"served", true}}, {{"name", "v1beta1"}, {"served", true}}}}}}};
}

// Namespaces bookinfo and istio-system, Service bookinfo/reviews, and the DestinationRule CRD.
json base_cluster() {
  return json::array({injected_namespace("bookinfo"), namespace_object("istio-system"),
                      service("bookinfo", "reviews"), destination_rule_crd()});
}

KubeApiServerOptions serving_objects(json objects) {
  KubeApiServerOptions options;
  options.objects = std::move(objects);
  return options;
}

// The findings of `-o json` output as "CODE Kind ns/name origin" lines, sorted; origin is
// file:line, or "cluster" for objects read from the cluster.
std::vector<std::string> finding_lines(const std::string& out) {
  std::vector<std::string> lines;
  for (const auto& finding : json::parse(out)) {
    const auto ns = finding["namespace"].is_null() ? "" : finding["namespace"].get<std::string>();
    const auto origin = finding["file"].is_null() ? std::string("cluster")
                                                  : finding["file"].get<std::string>() + ":" +
                                                        std::to_string(finding["line"].get<int>());
    lines.push_back(finding["code"].get<std::string>() + " " + finding["kind"].get<std::string>() +
                    " " + ns + "/" + finding["name"].get<std::string>() + " " + origin);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

bool has_code(const std::string& out, const std::string& code) {
  const auto findings = json::parse(out);
  return std::any_of(findings.begin(), findings.end(),
                     [&](const json& finding) { return finding["code"] == code; });
}

class ConfigValidateCluster : public ::testing::Test {
 protected:
  // A kubeconfig whose contexts "ctx0", "ctx1", ... point at `servers`; ctx0 is current.
  std::string kubeconfig(const std::vector<std::string>& servers) {
    std::vector<KubeconfigContext> contexts;
    for (std::size_t i = 0; i < servers.size(); ++i) {
      contexts.push_back({"ctx" + std::to_string(i), servers[i],
                          client_certificate_user(TestCertificates::get()), ""});
    }
    return fake.dir()
        .write("kubeconfig", make_kubeconfig(contexts, TestCertificates::get().ca_cert))
        .string();
  }

  std::string file(const std::string& name, const json& object) {
    return fake.dir().write(name, object.dump()).string();  // JSON is YAML
  }

  RunResult validate(const KubeApiServer& server, std::vector<std::string> args) {
    std::vector<std::string> argv = {"-c", kubeconfig({server.url()}), "config-validate"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_getmesh(argv, fake.options());
  }

  FakeHome fake;
};

TEST_F(ConfigValidateCluster, ClusterServicesResolveTheFilesHosts) {
  KubeApiServer server(serving_objects(base_cluster()));
  const auto routes =
      file("routes.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("reviews")));
  auto result = validate(server, {"-o", "json", routes});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(has_code(result.out, "IST0101")) << result.out;

  // The same file against a cluster without that Service: the host is missing.
  auto objects = base_cluster();
  objects.erase(2);
  KubeApiServer without_service(serving_objects(objects));
  result = validate(without_service, {"-o", "json", routes});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService bookinfo/reviews " + routes + ":1"));
}

TEST_F(ConfigValidateCluster, FindingsOnClusterObjectsNameTheObject) {
  auto objects = base_cluster();
  objects.push_back(istio("VirtualService", "bookinfo", "reviews", route_to("reviews", "v3")));
  objects.push_back(istio(
      "DestinationRule", "bookinfo", "reviews",
      {{"host", "reviews"}, {"subsets", {{{"name", "v1"}, {"labels", {{"version", "v1"}}}}}}}));
  KubeApiServer server(serving_objects(objects));
  auto result = validate(server, {"-o", "json"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService bookinfo/reviews cluster"));
  for (const auto& finding : json::parse(result.out)) EXPECT_TRUE(finding["line"].is_null());

  result = validate(server, {});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.out,
              HasSubstr("Referenced host+subset in destinationrule not found: \"reviews+v3\""));
  // No [file:line] prefix on cluster objects.
  EXPECT_THAT(result.out, ::testing::ContainsRegex("IST0101 +Error +Referenced host"));
}

TEST_F(ConfigValidateCluster, FilesReplaceClusterObjects) {
  auto objects = base_cluster();
  objects.push_back(istio("VirtualService", "bookinfo", "reviews", route_to("ghost")));
  KubeApiServer server(serving_objects(objects));
  auto result = validate(server, {"-o", "json"});
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService bookinfo/reviews cluster"));

  // The fixed copy in a file replaces the cluster's broken one.
  const auto fixed =
      file("fixed.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("reviews")));
  result = validate(server, {"-o", "json", fixed});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out), json::array());

  // A broken file copy of a healthy cluster object is reported at the file.
  objects.back()["spec"] = route_to("reviews");
  KubeApiServer healthy(serving_objects(objects));
  const auto broken =
      file("broken.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("ghost")));
  result = validate(healthy, {"-o", "json", broken});
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService bookinfo/reviews " + broken + ":1"));
  EXPECT_THAT(finding_lines(result.out), Not(::testing::Contains(HasSubstr("cluster"))));
}

TEST_F(ConfigValidateCluster, NamespaceFlagReportsOneNamespaceButReadsThemAll) {
  auto objects = base_cluster();
  objects.push_back(injected_namespace("other"));
  objects.push_back(istio("Gateway", "istio-system", "shared",
                          {{"selector", json::object()},
                           {"servers",
                            {{{"port", {{"number", 80}, {"name", "http"}, {"protocol", "HTTP"}}},
                              {"hosts", {"*"}}}}}}));
  auto bookinfo = route_to("reviews");
  bookinfo["gateways"] = {"istio-system/shared"};
  objects.push_back(istio("VirtualService", "bookinfo", "reviews", bookinfo));
  objects.push_back(istio("VirtualService", "other", "broken", route_to("ghost")));
  KubeApiServer server(serving_objects(objects));

  auto result = validate(server, {"-o", "json", "-n", "bookinfo"});
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(json::parse(result.out), json::array());  // the gateway in istio-system was found
  for (const auto& request :
       server.requests()) {  // only istiod's ConfigMaps are read per namespace
    if (request["path"] == "/api/v1/namespaces/istio-system/configmaps") continue;
    EXPECT_THAT(request["path"].get<std::string>(), Not(HasSubstr("/namespaces/")));
  }

  result = validate(server, {"-o", "json", "-n", "other"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService other/broken cluster"));
  result = validate(server, {"-o", "json"});
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService other/broken cluster"));
}

TEST_F(ConfigValidateCluster, ReadsEveryPage) {
  auto objects = base_cluster();
  for (int i = 0; i < 1100; ++i) objects.push_back(service("bookinfo", "svc-" + std::to_string(i)));
  KubeApiServer server(serving_objects(objects));
  // Service svc-1099 is on the third page of 500.
  const auto routes =
      file("routes.yaml", istio("VirtualService", "bookinfo", "last", route_to("svc-1099")));
  const auto result = validate(server, {"-o", "json", routes});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(has_code(result.out, "IST0101")) << result.out;
  int pages = 0;
  for (const auto& request : server.requests()) {
    if (request["path"] == "/api/v1/services") {
      ++pages;
      EXPECT_EQ(request["query"]["limit"][0], "500");
    }
  }
  EXPECT_EQ(pages, 3);
}

TEST_F(ConfigValidateCluster, ClusterWithoutIstio) {
  KubeApiServer server(serving_objects(json::array({injected_namespace("bookinfo")})));
  // Nothing to validate: a clear error.
  auto result = validate(server, {"-o", "json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("error: context \"ctx0\""));
  EXPECT_THAT(result.err, HasSubstr("Istio is not installed there"));
  EXPECT_THAT(result.err, HasSubstr("hint: "));
  for (const auto& request : server.requests()) {
    EXPECT_THAT(request["path"].get<std::string>(), Not(HasSubstr("istio.io/v1/")));
  }

  // With files: they are validated against the cluster's Kubernetes objects, with a note.
  const auto routes =
      file("routes.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("reviews")));
  result = validate(server, {"-o", "json", routes});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService bookinfo/reviews " + routes + ":1"));
  EXPECT_THAT(result.err, HasSubstr("serves no Istio configuration kinds"));

  // Istio installed without any configuration yet: healthy.
  KubeApiServer empty_istio(serving_objects(base_cluster()));
  result = validate(empty_istio, {});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Configuration issues not found."));
}

// Without files, a cluster that cannot be used is an error, within seconds. With files, an
// unreachable cluster leaves the files as the whole world (a warning says so); a cluster that
// answers but rejects the credentials is still an error.
TEST_F(ConfigValidateCluster, UnusableClustersFailFastWithAClearError) {
  KubeApiServerOptions hang = serving_objects(base_cluster());
  hang.fault = "hang";
  KubeApiServer never_answers(hang);
  KubeApiServerOptions unauthorized = serving_objects(base_cluster());
  unauthorized.fault = "unauthorized";
  KubeApiServer rejects(unauthorized);
  struct Case {
    std::string url;
    std::string message;
    bool files_alone;  // with files: validated alone instead of an error
  };
  const std::vector<Case> cases = {
      {"https://127.0.0.1:" + std::to_string(closed_port()), "cannot reach", true},
      {never_answers.url(), "did not answer in time", true},
      {rejects.url(), "rejected the credentials", false},
  };
  const auto routes =
      file("routes.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("reviews")));
  for (const auto& c : cases) {
    for (const bool with_files : {false, true}) {
      SCOPED_TRACE(c.url + (with_files ? " with files" : " without files"));
      std::vector<std::string> args = {"-c", kubeconfig({c.url}), "config-validate", "-o", "json"};
      if (with_files) args.push_back(routes);
      const auto start = Clock::now();
      const auto result = run_getmesh(args, fake.options());
      EXPECT_LT(Clock::now() - start, std::chrono::seconds(6));
      EXPECT_THAT(result.err, HasSubstr(c.message));
      if (with_files && c.files_alone) {
        EXPECT_EQ(result.exit_code, 0) << result.err;
        EXPECT_EQ(json::parse(result.out), json::array());
        EXPECT_THAT(result.err, HasSubstr("warning: "));
        EXPECT_THAT(result.err, HasSubstr("validating the files alone"));
        EXPECT_THAT(result.err, Not(HasSubstr("no Kubernetes context is configured")));
      } else {
        EXPECT_EQ(result.exit_code, 1);
        EXPECT_EQ(result.out, "");
        EXPECT_THAT(result.err, HasSubstr("error: "));
        EXPECT_THAT(result.err, HasSubstr("hint: "));
      }
    }
  }
}

TEST_F(ConfigValidateCluster, ForbiddenIstioKindIsAnError) {
  auto options = serving_objects(base_cluster());
  options.forbid = {"destinationrules"};
  KubeApiServer server(options);
  const auto result = validate(server, {"-o", "json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("may not list destinationrules"));
  EXPECT_THAT(result.err, HasSubstr("403"));
}

json gateway_with_credential(const std::string& credential) {
  return istio("Gateway", "istio-system", "ingress",
               {{"selector", {{"istio", "ingressgateway"}}},
                {"servers",
                 {{{"port", {{"number", 443}, {"name", "https"}, {"protocol", "HTTPS"}}},
                   {"hosts", {"*"}},
                   {"tls", {{"mode", "SIMPLE"}, {"credentialName", credential}}}}}}});
}

json ingress_cluster() {
  auto objects = base_cluster();
  objects.push_back(pod_object("istio-system", "ingress-1", {{"istio", "ingressgateway"}}, "proxy",
                               "docker.io/istio/proxyv2:1.24.0"));
  objects.push_back({{"apiVersion", "v1"},
                     {"kind", "Secret"},
                     {"metadata", {{"name", "ingress-cert"}, {"namespace", "istio-system"}}},
                     {"type", "kubernetes.io/tls"},
                     {"data", {{"tls.crt", "c2VjcmV0LWNlcnQtZGF0YQ=="}}}});
  return objects;
}

TEST_F(ConfigValidateCluster, SecretsAreReadAsMetadataOnly) {
  KubeApiServer server(serving_objects(ingress_cluster()));
  const auto missing = file("missing.yaml", gateway_with_credential("absent-cert"));
  auto result = validate(server, {"-o", "json", missing});
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 Gateway istio-system/ingress " + missing + ":1"));
  const auto present = file("present.yaml", gateway_with_credential("ingress-cert"));
  result = run_getmesh(
      {"-c", kubeconfig({server.url()}), "--verbose", "config-validate", "-o", "json", present},
      fake.options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(has_code(result.out, "IST0101")) << result.out;
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("c2VjcmV0LWNlcnQtZGF0YQ")));
  bool listed = false;
  for (const auto& request : server.requests()) {
    if (request["path"] != "/api/v1/secrets") continue;
    listed = true;
    EXPECT_THAT(request["accept"].get<std::string>(), HasSubstr("as=PartialObjectMetadataList"));
  }
  EXPECT_TRUE(listed);
}

TEST_F(ConfigValidateCluster, ForbiddenSecretsAreAWarning) {
  auto options = serving_objects(ingress_cluster());
  options.forbid = {"secrets"};
  KubeApiServer server(options);
  const auto missing = file("missing.yaml", gateway_with_credential("absent-cert"));
  const auto result = validate(server, {"-o", "json", missing});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(has_code(result.out, "IST0101")) << result.out;  // unknown Secrets prove nothing
  EXPECT_THAT(result.err, HasSubstr("warning: "));
  EXPECT_THAT(result.err, HasSubstr("may not list secrets"));
  EXPECT_THAT(result.err, HasSubstr("credentialName references are not checked"));
}

TEST_F(ConfigValidateCluster, OfflineNeverTouchesTheCluster) {
  KubeApiServer server(serving_objects(base_cluster()));
  const auto routes =
      file("routes.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("reviews")));
  const auto result = validate(server, {"--offline", "-o", "json", routes});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ConfigValidateCluster, ContextFlagChoosesTheCluster) {
  auto objects = base_cluster();
  objects.push_back(istio("VirtualService", "bookinfo", "reviews", route_to("ghost")));
  KubeApiServer server(serving_objects(objects));
  const auto config =
      kubeconfig({"https://127.0.0.1:" + std::to_string(closed_port()), server.url()});
  auto result = run_getmesh({"-c", config, "config-validate", "--context", "ctx1", "-o", "json"},
                            fake.options());
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 VirtualService bookinfo/reviews cluster"));
  result = run_getmesh({"-c", config, "config-validate", "--context", "nope"}, fake.options());
  EXPECT_EQ(result.exit_code, 2) << "an undefined context is a usage error";
  EXPECT_THAT(result.err, HasSubstr("nope"));
}

TEST_F(ConfigValidateCluster, WithoutAnyKubeconfigTheFilesAreTheWorld) {
  const auto routes =
      file("routes.yaml", istio("VirtualService", "bookinfo", "reviews", route_to("reviews")));
  auto result = run_getmesh({"config-validate", "-o", "json", routes}, fake.options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out), json::array());
  EXPECT_THAT(result.err, HasSubstr("no Kubernetes context is configured"));
  result = run_getmesh({"config-validate"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, ::testing::StartsWith("error: nothing to validate"));
  EXPECT_THAT(result.err, Not(HasSubstr("note:")));
}

// A Gateway API CRD serving `versions`, as the Gateway API bundle installs it.
json gateway_api_crd(const std::string& kind, const std::string& plural,
                     const std::vector<std::string>& versions) {
  json served = json::array();
  for (const auto& version : versions) served.push_back({{"name", version}, {"served", true}});
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", plural + ".gateway.networking.k8s.io"}}},
          {"spec",
           {{"group", "gateway.networking.k8s.io"},
            {"scope", "Namespaced"},
            {"names", {{"kind", kind}, {"plural", plural}}},
            {"versions", served}}}};
}

json http_route(const std::string& api_version, const std::string& name,
                const std::string& backend) {
  return istio("HTTPRoute", "bookinfo", name,
               {{"parentRefs", {{{"name", "web"}}}},
                {"rules", {{{"backendRefs", {{{"name", backend}, {"port", 9080}}}}}}}},
               api_version);
}

TEST_F(ConfigValidateCluster, ListsTheGatewayApiKindsDiscoveryShows) {
  // Gateways in v1, HTTPRoutes only in v1beta1 (an older bundle); no TCPRoute CRD at all.
  auto objects = base_cluster();
  objects.push_back(gateway_api_crd("Gateway", "gateways", {"v1", "v1beta1"}));
  objects.push_back(gateway_api_crd("HTTPRoute", "httproutes", {"v1beta1"}));
  objects.push_back(istio("Gateway", "bookinfo", "web",
                          {{"gatewayClassName", "istio"},
                           {"listeners", {{{"name", "http"}, {"port", 80}, {"protocol", "HTTP"}}}}},
                          "gateway.networking.k8s.io/v1"));
  objects.push_back(http_route("gateway.networking.k8s.io/v1beta1", "broken", "ghost"));
  KubeApiServer server(serving_objects(objects));
  // A file route attaches to the cluster's Gateway; the cluster's own route has a missing backend.
  const auto route =
      file("route.yaml", http_route("gateway.networking.k8s.io/v1", "reviews", "reviews"));
  auto result = validate(server, {"-o", "json", route});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(finding_lines(result.out),
            (std::vector<std::string>{
                "IST0101 HTTPRoute bookinfo/broken cluster",
                // The old bundle's HTTPRoute CRD does not serve v1.
                "IST0172 CustomResourceDefinition /httproutes.gateway.networking.k8s.io cluster",
                "KIA1402 HTTPRoute bookinfo/broken cluster"}));
  std::set<std::string> listed;
  for (const auto& request : server.requests()) {
    const auto path = request["path"].get<std::string>();
    if (path.starts_with("/apis/gateway.networking.k8s.io/")) listed.insert(path);
  }
  EXPECT_EQ(listed, (std::set<std::string>{"/apis/gateway.networking.k8s.io/v1",
                                           "/apis/gateway.networking.k8s.io/v1beta1",
                                           "/apis/gateway.networking.k8s.io/v1/gateways",
                                           "/apis/gateway.networking.k8s.io/v1beta1/httproutes"}));

  // Without the Gateway API installed nothing is asked of it, and the file's parent is missing.
  KubeApiServer plain(serving_objects(base_cluster()));
  result = validate(plain, {"-o", "json", route});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(finding_lines(result.out),
              ::testing::Contains("IST0101 HTTPRoute bookinfo/reviews " + route + ":1"));
  for (const auto& request : plain.requests()) {
    EXPECT_THAT(request["path"].get<std::string>(), Not(HasSubstr("gateway.networking.k8s.io")));
  }
}

}  // namespace
}  // namespace getmesh::testing
