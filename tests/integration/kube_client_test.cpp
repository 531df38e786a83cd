#include "support/kube_api_server.hpp"
#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/kube/client.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sys/stat.h>

namespace getmesh::kube {
namespace {

using namespace getmesh::testing;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

nlohmann::json mesh_objects() {
  auto objects =
      nlohmann::json::array({namespace_object("istio-system"), namespace_object("apps")});
  objects.push_back(istiod_pod("istiod-1", "docker.io/istio/pilot:1.29.8"));
  objects.push_back(istiod_pod("istiod-2", "docker.io/istio/pilot:1.29.8"));
  for (int i = 0; i < 7; ++i) {
    objects.push_back(
        sidecar_pod("apps", "app-" + std::to_string(i), "docker.io/istio/proxyv2:1.29.8"));
  }
  return objects;
}

Environment test_environment() {
  Environment environment;
  environment.set("PATH", "/usr/bin:/bin");
  return environment;
}

class KubeClientTest : public ::testing::Test {
 protected:
  // A client for a kubeconfig with one context whose user is `user_body`.
  Result<Client> client_for(const std::string& server, const std::string& user_body,
                            const std::string& cluster_extra = {}, ClientOptions options = {}) {
    const auto file =
        dir_.write("config", make_kubeconfig({{"test", server, user_body, cluster_extra}},
                                             TestCertificates::get().ca_cert));
    auto config = rest_config_for(file.string(), "", test_environment());
    if (!config) return config.error();
    return Client::connect(*config, net::Client(net::Settings{}), test_environment(), options);
  }

  std::string write_plugin(const std::string& name, const std::string& script) {
    const auto path = dir_.write(name, "#!/bin/sh\n" + script);
    ::chmod(path.c_str(), 0755);
    return path.string();
  }

  TempDir dir_;
};

TEST_F(KubeClientTest, ListsWithLabelSelectorAndClientCertificate) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  auto client = client_for(server.url(), client_certificate_user(TestCertificates::get()));
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto pods = client->list(resource_path("", "pods", "istio-system"), [] {
    ListOptions o;
    o.label_selector = "app=istiod";
    return o;
  }());
  ASSERT_TRUE(pods.ok()) << pods.error().message;
  ASSERT_EQ(pods->size(), 2u);
  EXPECT_EQ((*pods)[0]["metadata"]["name"], "istiod-1");
  const auto requests = server.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back()["query"]["labelSelector"][0], "app=istiod");
  EXPECT_EQ(requests.back()["user"], "admin");
}

TEST_F(KubeClientTest, FollowsContinueTokensAcrossPages) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  ASSERT_TRUE(client.ok());
  auto pods = client->list(resource_path("", "pods"), [] {
    ListOptions o;
    o.page_size = 3;
    return o;
  }());
  ASSERT_TRUE(pods.ok()) << pods.error().message;
  EXPECT_EQ(pods->size(), 9u);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0]["query"]["limit"][0], "3");
  EXPECT_FALSE(requests[0]["query"].contains("continue"));
  EXPECT_TRUE(requests[2]["query"].contains("continue"));
  EXPECT_EQ(requests[0]["auth"], "Bearer");
}

TEST_F(KubeClientTest, CreatesReplacesAndReadsObjects) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  ASSERT_TRUE(client.ok());
  const auto collection = resource_path("", "secrets", "istio-system");
  nlohmann::json secret = {{"apiVersion", "v1"},
                           {"kind", "Secret"},
                           {"metadata", {{"name", "cacerts"}}},
                           {"data", {{"ca.crt", "YQ=="}}}};
  auto created = client->create(collection, secret);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ((*created)["metadata"]["namespace"], "istio-system");

  auto again = client->create(collection, secret);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos)
      << again.error().message;

  secret["data"]["ca.crt"] = "Yg==";
  auto replaced = client->replace(resource_path("", "secrets", "istio-system", "cacerts"), secret);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  auto read = client->get(resource_path("", "secrets", "istio-system", "cacerts"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)["data"]["ca.crt"], "Yg==");

  auto missing = client->get_if_exists(resource_path("", "secrets", "istio-system", "absent"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto not_found = client->get(resource_path("", "secrets", "istio-system", "absent"));
  ASSERT_FALSE(not_found.ok());
  EXPECT_NE(
      not_found.error().message.find("cannot get secrets \"absent\" in namespace istio-system"),
      std::string::npos)
      << not_found.error().message;

  const auto cacerts = resource_path("", "secrets", "istio-system", "cacerts");
  ASSERT_TRUE(client->remove(cacerts).ok());
  auto gone = client->get_if_exists(cacerts);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(client->remove(cacerts).ok()) << "deleting what is gone is no error";

  auto no_namespace = client->create(resource_path("", "secrets", "nope"), secret);
  ASSERT_FALSE(no_namespace.ok());
  EXPECT_NE(no_namespace.error().message.find("namespaces \"nope\" not found"), std::string::npos)
      << no_namespace.error().message;
}

TEST_F(KubeClientTest, PatchesLabelsWithMergeAndTemplatesWithStrategicMerge) {
  KubeApiServerOptions options;
  auto labelled = namespace_object("shop");
  labelled["metadata"]["labels"] = {{"istio-injection", "enabled"}, {"team", "web"}};
  options.objects = nlohmann::json::array({labelled, namespace_object("istio-system")});
  nlohmann::json deployment = istiod_deployment("web", "docker.io/library/nginx:1.27", "x", "shop");
  deployment["spec"]["template"]["metadata"]["annotations"] = {{"keep", "me"}};
  deployment["spec"]["template"]["spec"]["containers"].push_back(
      {{"name", "sidecar"}, {"image", "busybox"}});
  options.objects.push_back(deployment);
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  ASSERT_TRUE(client.ok());

  auto relabelled = client->patch(
      resource_path("", "namespaces", {}, "shop"),
      {{"metadata", {{"labels", {{"istio-injection", nullptr}, {"istio.io/rev", "1-31-4"}}}}}},
      PatchType::kMerge);
  ASSERT_TRUE(relabelled.ok()) << relabelled.error().message;
  EXPECT_EQ((*relabelled)["metadata"]["labels"],
            nlohmann::json({{"istio.io/rev", "1-31-4"}, {"team", "web"}}));

  const auto path = resource_path("apps/v1", "deployments", "shop", "web");
  const auto generation = client->get(path)->at("metadata").value("generation", 1);
  auto restarted = client->patch(
      path,
      {{"spec",
        {{"template",
          {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", "now"}}}}},
           {"spec", {{"containers", {{{"name", "sidecar"}, {"image", "busybox:2"}}}}}}}}}}},
      PatchType::kStrategicMerge);
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  const auto& pod_template = (*restarted)["spec"]["template"];
  EXPECT_EQ(pod_template["metadata"]["annotations"],
            nlohmann::json({{"keep", "me"}, {"kubectl.kubernetes.io/restartedAt", "now"}}));
  ASSERT_EQ(pod_template["spec"]["containers"].size(), 2u) << "containers merge by name";
  EXPECT_EQ(pod_template["spec"]["containers"][1]["image"], "busybox:2");
  EXPECT_EQ((*restarted)["metadata"]["generation"], generation + 1);

  auto stale = client->patch(resource_path("", "namespaces", {}, "shop"),
                             {{"metadata", {{"resourceVersion", "1"}, {"labels", {{"a", "b"}}}}}},
                             PatchType::kMerge);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().http_status, 409);
  EXPECT_NE(stale.error().message.find("cannot patch namespaces \"shop\""), std::string::npos)
      << stale.error().message;

  auto missing = client->patch(resource_path("", "namespaces", {}, "nope"),
                               {{"metadata", {{"labels", {{"a", "b"}}}}}}, PatchType::kMerge);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().http_status, 404);
}

TEST_F(KubeClientTest, ReplacingWithAStaleResourceVersionIsAConflict) {
  KubeApiServerOptions options;
  options.objects = nlohmann::json::array({namespace_object("istio-system")});
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  ASSERT_TRUE(client.ok());
  nlohmann::json map = {{"apiVersion", "v1"},
                        {"kind", "ConfigMap"},
                        {"metadata", {{"name", "record"}}},
                        {"data", {{"step", "1"}}}};
  auto created = client->create(resource_path("", "configmaps", "istio-system"), map);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto path = resource_path("", "configmaps", "istio-system", "record");
  auto first = *created;
  auto second = *created;
  first["data"]["step"] = "2";
  auto replaced = client->replace(path, first);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  second["data"]["step"] = "3";
  auto conflict = client->replace(path, second);
  ASSERT_FALSE(conflict.ok()) << "the second writer read an older resourceVersion";
  EXPECT_EQ(conflict.error().http_status, 409);
  EXPECT_EQ(client->get(path)->at("data")["step"], "2");
}

TEST_F(KubeClientTest, BasicAuthAndTokenFile) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  options.basic = "alice:s3cret";
  KubeApiServer server(options);
  auto basic = client_for(server.url(), "username: alice\n    password: s3cret");
  ASSERT_TRUE(basic.ok());
  EXPECT_TRUE(basic->list(resource_path("", "namespaces")).ok());

  dir_.write("token.txt", "test-token\n");
  auto from_file = client_for(server.url(), "tokenFile: token.txt");  // relative to the kubeconfig
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_TRUE(from_file->list(resource_path("", "namespaces")).ok());

  auto missing_file = client_for(server.url(), "tokenFile: absent.txt");
  ASSERT_FALSE(missing_file.ok());
  EXPECT_NE(missing_file.error().message.find((dir_.path() / "absent.txt").string()),
            std::string::npos);
}

TEST_F(KubeClientTest, UnauthorizedNamesTheUserAndSaysToLogIn) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  options.fault = "unauthorized";
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("stale-token"));
  ASSERT_TRUE(client.ok());
  auto pods = client->list(resource_path("", "pods", "istio-system"));
  ASSERT_FALSE(pods.ok());
  EXPECT_NE(pods.error().message.find("rejected the credentials of user \"test-user\""),
            std::string::npos)
      << pods.error().message;
  EXPECT_NE(pods.error().message.find("401 Unauthorized"), std::string::npos);
  EXPECT_NE(pods.error().hint.find("log in again"), std::string::npos);
  EXPECT_EQ(pods.error().message.find("stale-token"), std::string::npos);  // never printed
}

TEST_F(KubeClientTest, ForbiddenSaysWhatWasRefused) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  options.forbid = {"pods"};
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  ASSERT_TRUE(client.ok());
  auto pods = client->list(resource_path("", "pods", "istio-system"));
  ASSERT_FALSE(pods.ok());
  EXPECT_NE(pods.error().message.find("may not list pods in namespace istio-system"),
            std::string::npos)
      << pods.error().message;
  EXPECT_NE(pods.error().message.find("403 Forbidden"), std::string::npos);
  EXPECT_NE(pods.error().hint.find("RBAC"), std::string::npos);
}

TEST_F(KubeClientTest, ClosedPortFailsFast) {
  auto client = client_for("https://127.0.0.1:" + std::to_string(closed_port()), token_user("t"));
  ASSERT_TRUE(client.ok());
  const auto start = Clock::now();
  auto version = client->server_version(2500);
  ASSERT_FALSE(version.ok());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_NE(
      version.error().message.find("cannot reach the Kubernetes API server of context \"test\""),
      std::string::npos)
      << version.error().message;
  EXPECT_TRUE(version.error().transient);
}

TEST_F(KubeClientTest, ServerThatNeverAnswersTimesOut) {
  KubeApiServerOptions options;
  options.fault = "hang";
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("t"));
  ASSERT_TRUE(client.ok());
  const auto start = Clock::now();
  auto version = client->server_version(1500);
  ASSERT_FALSE(version.ok());
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_NE(version.error().message.find("did not answer in time"), std::string::npos)
      << version.error().message;
}

TEST_F(KubeClientTest, ExpiredClientCertificateIsRefusedBeforeConnecting) {
  const auto& certificates = TestCertificates::get();
  auto client = client_for("https://127.0.0.1:1",
                           "client-certificate: " + certificates.expired_cert.string() +
                               "\n    client-key: " + certificates.expired_key.string());
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().message.find("the client certificate of user \"test-user\""),
            std::string::npos)
      << client.error().message;
  EXPECT_NE(client.error().message.find("expired on 2020-02-01"), std::string::npos);
}

TEST_F(KubeClientTest, CertificateFromAnotherCaFailsTheHandshake) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  const auto& certificates = TestCertificates::get();
  auto client =
      client_for(server.url(), "client-certificate: " + certificates.foreign_cert.string() +
                                   "\n    client-key: " + certificates.foreign_key.string());
  ASSERT_TRUE(client.ok());
  auto pods = client->list(resource_path("", "pods"));
  ASSERT_FALSE(pods.ok());
  EXPECT_NE(pods.error().message.find("TLS connection"), std::string::npos) << pods.error().message;
}

TEST_F(KubeClientTest, ServerCertificateIsVerified) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  // No CA: the server's test CA is not trusted.
  const auto file =
      dir_.write("untrusted", "clusters:\n- name: c\n  cluster:\n    server: " + server.url() +
                                  "\nusers:\n- name: u\n  user: {token: test-token}\n"
                                  "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
                                  "current-context: x\n");
  auto config = rest_config_for(file.string(), "", test_environment());
  ASSERT_TRUE(config.ok());
  auto environment = test_environment();
  auto untrusted = Client::connect(*config, net::Client(net::Settings{}), environment);
  ASSERT_TRUE(untrusted.ok());
  auto failed = untrusted->list(resource_path("", "namespaces"));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("TLS connection"), std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().hint.find("certificate-authority"), std::string::npos);

  config->tls.insecure_skip_verify = true;  // insecure-skip-tls-verify: true
  auto insecure = Client::connect(*config, net::Client(net::Settings{}), environment);
  EXPECT_TRUE(insecure->list(resource_path("", "namespaces")).ok());
}

// kubectl verifies the certificate against tls-server-name but sends the server URL's host as
// Host, which is what API servers behind SNI routers expect.
TEST_F(KubeClientTest, TlsServerNameIsVerifiedInsteadOfTheHost) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  auto matching =
      client_for(server.url(), token_user("test-token"), "    tls-server-name: kubernetes.test\n");
  ASSERT_TRUE(matching.ok());
  EXPECT_TRUE(matching->list(resource_path("", "namespaces")).ok());
  EXPECT_EQ(server.requests().back()["host"], "127.0.0.1:" + std::to_string(server.port()));
  auto wrong =
      client_for(server.url(), token_user("test-token"), "    tls-server-name: other.test\n");
  ASSERT_TRUE(wrong.ok());
  auto failed = wrong->list(resource_path("", "namespaces"));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("TLS connection"), std::string::npos)
      << failed.error().message;
}

TEST_F(KubeClientTest, ExecPluginGetsArgsEnvAndExecInfo) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  options.tokens = {"plugin-token"};
  KubeApiServer server(options);
  const auto record = dir_.path() / "plugin-call";
  write_plugin(
      "plugin",
      "printf '%s|%s|%s' \"$1 $2\" \"$PLUGIN_REGION\" \"$KUBERNETES_EXEC_INFO\" > " +
          record.string() +
          "\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
          "\"status\":{\"token\":\"plugin-token\"}}'\n");
  auto client = client_for(server.url(),
                           "exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                           "      command: ./plugin\n      args: [get-token, --fast]\n"
                           "      env: [{name: PLUGIN_REGION, value: eu-west-1}]\n"
                           "      interactiveMode: Never\n      provideClusterInfo: true");
  ASSERT_TRUE(client.ok()) << client.error().message;
  EXPECT_TRUE(client->list(resource_path("", "namespaces")).ok());
  auto recorded = read_file(record);
  ASSERT_TRUE(recorded.ok());
  const auto& call = *recorded;
  EXPECT_NE(call.find("get-token --fast|eu-west-1|"), std::string::npos) << call;
  EXPECT_NE(call.find("\"kind\":\"ExecCredential\""), std::string::npos) << call;
  EXPECT_NE(call.find("\"server\":\"" + server.url() + "\""), std::string::npos) << call;
  EXPECT_NE(call.find("\"interactive\":false"), std::string::npos) << call;
}

TEST_F(KubeClientTest, ExecPluginClientCertificateV1Beta1) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  KubeApiServer server(options);
  const auto& certificates = TestCertificates::get();
  write_plugin(
      "cert-plugin",
      "cert=$(awk '{printf \"%s\\\\n\", $0}' " + certificates.client_cert.string() +
          ")\nkey=$(awk '{printf \"%s\\\\n\", $0}' " + certificates.client_key.string() +
          ")\nprintf '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":"
          "\"ExecCredential\",\"status\":{\"clientCertificateData\":\"%s\",\"clientKeyData\":"
          "\"%s\"}}' \"$cert\" \"$key\"\n");
  auto client = client_for(
      server.url(),
      "exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./cert-plugin}");
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto namespaces = client->list(resource_path("", "namespaces"));
  ASSERT_TRUE(namespaces.ok()) << namespaces.error().message;
  EXPECT_EQ(server.requests().back()["user"], "admin");
}

TEST_F(KubeClientTest, BrokenExecPluginsGiveOneClearError) {
  write_plugin("failing", "echo 'token expired, run login' >&2\nexit 3\n");
  write_plugin("garbage", "echo 'Welcome! <html>'\n");
  write_plugin("wrong-kind", "echo '{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}'\n");
  write_plugin("empty",
               "echo "
               "'{\"apiVersion\":\"client.authentication.k8s.io/"
               "v1\",\"kind\":\"ExecCredential\",\"status\":{}}'\n");
  const std::string head =
      "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n    "
      "  command: ";
  const std::pair<std::string, std::string> cases[] = {
      {head + "./failing", "failed with exit code 3: token expired, run login"},
      {head + "./garbage",
       "printed 16 bytes that are not JSON (syntax error at byte 1) on stdout instead of an "
       "ExecCredential"},
      {head + "./wrong-kind", "expected ExecCredential client.authentication.k8s.io/v1"},
      {head + "./empty", "without a token or client certificate"},
      {head + "no-such-plugin-xyz\n      installHint: install it with apt-get install xyz",
       "\"no-such-plugin-xyz\" of user \"test-user\""},
      {"exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: ./failing}",
       "which getmesh does not support"},
      {"exec: {apiVersion: client.authentication.k8s.io/v1, command: ./failing}",
       "interactiveMode must be set"},
      {"exec: {apiVersion: client.authentication.k8s.io/v1, command: ./failing, interactiveMode: "
       "Always}",
       "needs a terminal"},
  };
  for (const auto& [user, expected] : cases) {
    auto client = client_for("https://127.0.0.1:1", user);
    ASSERT_FALSE(client.ok()) << user;
    EXPECT_NE(client.error().message.find(expected), std::string::npos) << client.error().message;
    EXPECT_FALSE(client.error().hint.empty()) << client.error().message;
  }
  auto missing = client_for(
      "https://127.0.0.1:1",
      head + "no-such-plugin-xyz\n      installHint: install it with apt-get install xyz");
  EXPECT_NE(missing.error().message.find("was not found in PATH"), std::string::npos);
  EXPECT_EQ(missing.error().hint, "install it with apt-get install xyz");
}

TEST_F(KubeClientTest, ServerVersion) {
  KubeApiServerOptions options;
  options.kube_version = "v1.31.2";
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  auto version = client->server_version(2000);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(version->git_version, "v1.31.2");
  EXPECT_EQ(version->minor_string(), "1.31");
}

// Issue 20: pages of fresh continue tokens grew memory until std::bad_alloc aborted the process
// (5.2 GB in 3 s). The byte limit ends such a list with an error: 40 MiB here (two pages of 500
// pods of 64 KiB), 256 MiB by default, which the same check applies.
TEST_F(KubeClientTest, ABloatedEndlessListStopsAtItsByteLimit) {
  EXPECT_EQ(ListOptions{}.max_bytes, std::size_t{256} << 20);
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  options.fault = "bloated-continue";
  KubeApiServer server(options);
  auto client = client_for(server.url(), token_user("test-token"));
  ASSERT_TRUE(client.ok());
  ListOptions limited;
  limited.max_bytes = std::size_t{40} << 20;
  auto pods = client->list(resource_path("", "pods"), limited);
  ASSERT_FALSE(pods.ok());
  EXPECT_THAT(pods.error().message, HasSubstr("stopped listing /api/v1/pods on context"));
  EXPECT_THAT(pods.error().message, HasSubstr("its pages hold more than 40 MiB after "));
  EXPECT_FALSE(pods.error().hint.empty());
  EXPECT_LE(server.requests().size(), 3u);  // 32 MiB a page: the second one passes the limit
}

// A server whose continue tokens repeat or never end cannot make a list endless: a repeated token,
// the page and item limits and the deadline each end it with an error naming the list.
TEST_F(KubeClientTest, AListThatWouldNeverEndIsStopped) {
  ListOptions three_per_page, eight_pages, ten_items, short_deadline;
  three_per_page.page_size = 3;
  eight_pages.max_pages = 8;
  ten_items.page_size = 4;
  ten_items.max_items = 10;
  short_deadline.deadline = std::chrono::milliseconds(1500);
  const struct {
    const char* fault;
    int delay_ms;
    const ListOptions& list;
    const char* why;
    std::size_t requests;  // exactly, or at most for the deadline
  } cases[] = {
      {"repeat-continue", 0, three_per_page, "sent the same continue token twice", 2},
      {"endless-continue", 0, eight_pages, "more than 8 pages", 8},
      {"endless-continue", 0, ten_items, "more than 10 items", 3},
      {"endless-continue", 250, short_deadline, "did not finish within 1500 ms", 10},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.why);
    KubeApiServerOptions options;
    options.objects = mesh_objects();
    options.fault = test.fault;
    options.delay_ms = test.delay_ms;
    KubeApiServer server(options);
    auto client = client_for(server.url(), token_user("test-token"));
    ASSERT_TRUE(client.ok());
    const auto started = Clock::now();
    auto pods = client->list(resource_path("", "pods"), test.list);
    ASSERT_FALSE(pods.ok());
    EXPECT_THAT(pods.error().message, HasSubstr("stopped listing /api/v1/pods on context"));
    EXPECT_THAT(pods.error().message, HasSubstr(test.why));
    EXPECT_FALSE(pods.error().hint.empty());
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    if (test.delay_ms == 0) {
      EXPECT_EQ(server.requests().size(), test.requests);
    } else {
      EXPECT_LT(server.requests().size(), test.requests);
    }
  }
}

// An ExecCredential whose token must never appear in a message.
constexpr const char* kSecretToken = "s3cr3t-Token-Value-0123456789";
std::string credential_json() {
  return nlohmann::json{{"apiVersion", "client.authentication.k8s.io/v1"},
                        {"kind", "ExecCredential"},
                        {"status", {{"token", kSecretToken}}}}
      .dump();
}
const std::string kPluginUser =
    "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n"
    "      command: ";

TEST_F(KubeClientTest, ExecPluginStdoutIsNeverQuoted) {
  write_plugin("with-warning", "echo '" + credential_json() + "'\necho 'warning: cache is old'\n");
  write_plugin("prints-then-fails", "echo '" + credential_json() +
                                        "'\necho 'login failed for tok " + kSecretToken +
                                        " (session Bearer abc.def-123)' >&2\nexit 1\n");
  write_plugin("silent-failure", "echo '" + credential_json() + "'\nexit 2\n");
  const std::pair<std::string, std::string> cases[] = {
      {"./with-warning", "bytes that are not JSON (syntax error at byte"},
      {"./prints-then-fails",
       "failed with exit code 1: login failed for tok [redacted] (session "
       "Bearer [redacted])"},
      {"./silent-failure", "failed with exit code 2 (it printed nothing on stderr)"},
  };
  for (const auto& [command, expected] : cases) {
    auto client = client_for("https://127.0.0.1:1", kPluginUser + command);
    ASSERT_FALSE(client.ok()) << command;
    EXPECT_THAT(client.error().message, HasSubstr(expected)) << command;
    EXPECT_THAT(client.error().message + client.error().hint, Not(HasSubstr("s3cr3t"))) << command;
  }
}

TEST_F(KubeClientTest, ExecPluginLeavingABackgroundChildOnItsOutputSucceeds) {
  KubeApiServerOptions options;
  options.tokens = {kSecretToken};
  KubeApiServer server(options);
  const auto pid_file = dir_.path() / "background.pid";
  write_plugin("daemonizing", "sleep 20 &\necho $! > " + pid_file.string() + "\necho '" +
                                  credential_json() + "'\n");
  auto environment = test_environment();
  environment.set("GETMESH_EXEC_PLUGIN_TIMEOUT", "3");
  const auto file = dir_.write(
      "config", make_kubeconfig({{"test", server.url(), kPluginUser + "./daemonizing", ""}},
                                TestCertificates::get().ca_cert));
  auto config = rest_config_for(file.string(), "", environment);
  ASSERT_TRUE(config.ok());
  const auto started = Clock::now();
  auto client = Client::connect(*config, net::Client(net::Settings{}), environment);
  const auto elapsed = Clock::now() - started;
  if (auto pid = read_file(pid_file)) ::kill(std::stoi(*pid), SIGKILL);
  ASSERT_TRUE(client.ok()) << client.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_TRUE(client->list(resource_path("", "namespaces")).ok());
}

TEST_F(KubeClientTest, ExecPluginThatClosesItsOutputAndHangsIsStopped) {
  write_plugin("hanging", "exec >&- 2>&-\nexec sleep 30\n");
  auto environment = test_environment();
  environment.set("GETMESH_EXEC_PLUGIN_TIMEOUT", "1");
  const auto file = dir_.write(
      "config", make_kubeconfig({{"test", "https://127.0.0.1:1", kPluginUser + "./hanging", ""}},
                                TestCertificates::get().ca_cert));
  auto config = rest_config_for(file.string(), "", environment);
  ASSERT_TRUE(config.ok());
  const auto started = Clock::now();
  auto client = Client::connect(*config, net::Client(net::Settings{}), environment);
  ASSERT_FALSE(client.ok());
  EXPECT_THAT(client.error().message, HasSubstr("did not finish within 1 s and was stopped"));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(4));
}

// Credentials in the server URL are sent as basic auth (as kubectl does) and never shown.
TEST_F(KubeClientTest, AServerUrlWithUserAndPasswordWorksAndHidesThePassword) {
  KubeApiServerOptions options;
  options.objects = mesh_objects();
  options.basic = "admin:pa55word";
  options.forbid = {"pods"};
  KubeApiServer server(options);
  const auto url = "https://admin:pa55word@127.0.0.1:" + std::to_string(server.port());
  for (const std::string extra : {"", "    tls-server-name: kubernetes.test\n"}) {
    auto client = client_for(url, "{}", extra);
    ASSERT_TRUE(client.ok()) << client.error().message;
    auto namespaces = client->list(resource_path("", "namespaces"));
    ASSERT_TRUE(namespaces.ok()) << namespaces.error().message;
    EXPECT_EQ(namespaces->size(), 3u);  // the state's two and kube-system, as on every cluster
    EXPECT_EQ(server.requests().back()["auth"], "Basic");
    EXPECT_EQ(server.requests().back()["host"], "127.0.0.1:" + std::to_string(server.port()));
    auto pods = client->list(resource_path("", "pods"));
    ASSERT_FALSE(pods.ok());
    EXPECT_THAT(pods.error().message, HasSubstr("https://admin:xxxxx@127.0.0.1:"));
    EXPECT_THAT(pods.error().message + pods.error().hint, Not(HasSubstr("pa55word")));
  }
}

// A hostile server's Status message reaches the terminal escaped.
TEST_F(KubeClientTest, StatusMessagesCannotRewriteTheTerminal) {
  KubeApiServerOptions options;
  options.forbid = {"pods"};
  options.forbid_message = "denied\x1b[2J\x1b]0;owned\x07";
  KubeApiServer server(options);
  const auto file =
      dir_.write("config", make_kubeconfig({{"test", server.url(), token_user("test-token"), ""}},
                                           TestCertificates::get().ca_cert));
  RunOptions run;
  run.env = {{"HOME", dir_.path().string()}, {"GETMESH_HOME", (dir_.path() / "gm").string()}};
  const auto result = run_getmesh({"-c", file.string(), "version"}, run);
  EXPECT_THAT(result.err, HasSubstr("denied\\x1b[2J\\x1b]0;owned\\x07"));
  EXPECT_THAT(result.err, Not(HasSubstr("\x1b")));
}

}  // namespace
}  // namespace getmesh::kube
