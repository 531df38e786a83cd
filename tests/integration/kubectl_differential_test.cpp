// A kubeconfig differential against the real kubectl: each scenario's kubeconfig and environment
// are given to `kubectl get pods` and to getmesh's Kubernetes client listing pods, and what the
// API servers and the proxy saw is compared. The only differences allowed are the documented ones
// where getmesh is stricter (docs/kubernetes.md, "Where getmesh is stricter than kubectl").
#include "support/connect_proxy.hpp"
#include "support/kube_api_server.hpp"
#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/client.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>

// The scenario table leaves trailing fields of most rows to their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace getmesh::kube {
namespace {

using namespace getmesh::testing;
namespace fs = std::filesystem;

// One kubeconfig (and environment) given to both clients. Text may hold {PLACEHOLDERS}, see
// KubectlDifferential::expand.
struct Scenario {
  std::string name;
  std::string kubeconfig;  // empty: none given with --kubeconfig (then env has KUBECONFIG)
  std::map<std::string, std::string> env;
  std::string reason;  // for a refusal: what both say about it (case-insensitive)
  std::string secret;  // what neither may print
  std::map<std::string, std::string> files;  // more files to write, by name
};

// What one client did with a scenario.
struct Outcome {
  bool accepted = false;
  std::string server;           // "main" or "other": which API server got the pods request
  std::string path;             // of that request (it holds the namespace)
  std::string authorization;    // its Authorization header
  std::string user;             // whom the server authenticated
  nlohmann::json impersonate;   // its Impersonate-* headers
  bool proxied = false;         // the proxy was asked for a tunnel
  nlohmann::json exec_cluster;  // spec.cluster of the credential plugin's KUBERNETES_EXEC_INFO
  std::string said;             // kubectl's stderr, or getmesh's error and hint

  [[nodiscard]] nlohmann::json observed() const {
    return {{"accepted", accepted}, {"server", server},
            {"path", path},         {"authorization", authorization},
            {"user", user},         {"impersonate", impersonate},
            {"proxied", proxied},   {"exec_cluster", exec_cluster}};
  }
};

// A kubeconfig with cluster "c", user "u" and current context "x".
std::string kubeconfig(const std::string& cluster, const std::string& user,
                       const std::string& context_extra = {}) {
  const auto indent = [](const std::string& body) {
    std::string out;
    for (const auto& line : split(body, '\n')) out += "    " + line + "\n";
    return out;
  };
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n" + indent(cluster) +
         "users:\n- name: u\n  user:\n" + indent(user) +
         "contexts:\n- name: x\n  context: {cluster: c, user: u" + context_extra +
         "}\ncurrent-context: x\n";
}

const std::string kCluster = "server: {SERVER}\ncertificate-authority: {CA}";
const std::string kToken = "token: test-token";
// A cluster only the proxy can reach: its name resolves nowhere but in the test proxy.
const std::string kProxiedCluster =
    "server: https://kubernetes.test:{PORT}\ncertificate-authority: {CA}";
// 0.0.0.0 is not loopback for Go's proxy rules, but Linux connects to it locally.
const std::string kZeroCluster =
    "server: https://0.0.0.0:{PORT}\ncertificate-authority: {CA}\ntls-server-name: kubernetes.test";

std::string plugin_user(const std::string& tokens, const std::string& expiries = "-",
                        const std::string& more = {}) {
  return "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: {PLUGIN}\n"
         "  interactiveMode: Never\n  env:\n  - {name: PLUGIN_STATE, value: {STATE}}\n"
         "  - {name: PLUGIN_INFO, value: {INFO}}\n  - {name: PLUGIN_TOKENS, value: '" +
         tokens + "'}\n  - {name: PLUGIN_EXPIRY, value: '" + expiries + "'}\n" + more;
}

std::vector<Scenario> scenarios() {
  const auto proxy_env = [](std::map<std::string, std::string> more = {}) {
    more["HTTPS_PROXY"] = "{PROXY}";
    return more;
  };
  std::vector<Scenario> list = {
      // Credentials and what wins.
      {"token", kubeconfig(kCluster, kToken)},
      {"client certificate files",
       kubeconfig(kCluster, "client-certificate: {CERT}\nclient-key: {KEY}")},
      {"client certificate data",
       kubeconfig(kCluster, "client-certificate-data: {CERTDATA}\nclient-key-data: {KEYDATA}")},
      {"basic auth", kubeconfig(kCluster, "username: alice\npassword: pw")},
      {"token file", kubeconfig(kCluster, "tokenFile: {DIR}/token.txt")},
      {"token file wins over token",
       kubeconfig(kCluster, "token: wrong\ntokenFile: {DIR}/token.txt")},
      {"certificate and token both sent",
       kubeconfig(kCluster, "client-certificate: {CERT}\nclient-key: {KEY}\ntoken: test-token")},
      {"token and basic auth",
       kubeconfig(kCluster, "token: test-token\nusername: alice\npassword: pw"),
       {},
       "more than one authentication method"},
      {"token file and basic auth",
       kubeconfig(kCluster, "tokenFile: {DIR}/token.txt\nusername: alice\npassword: pw")},
      {"certificate data and file",
       kubeconfig(kCluster,
                  "client-certificate: {CERT}\nclient-certificate-data: {CERTDATA}\n"
                  "client-key: {KEY}"),
       {},
       "are both specified"},
      {"key data and file",
       kubeconfig(kCluster,
                  "client-certificate: {CERT}\nclient-key: {KEY}\nclient-key-data: {KEYDATA}"),
       {},
       "are both specified"},
      {"certificate without key",
       kubeconfig(kCluster, "client-certificate: {CERT}"),
       {},
       "client-key must be specified"},
      {"credentials in the server URL win over the token",
       kubeconfig("server: https://alice:pw@127.0.0.1:{PORT}\ncertificate-authority: {CA}",
                  kToken)},
      {"context namespace", kubeconfig(kCluster, kToken, ", namespace: apps")},
      // Duplicate names within one file.
      {"duplicate clusters",
       "clusters:\n- {name: c, cluster: {server: '{SERVER}', certificate-authority: '{CA}'}}\n"
       "- {name: c, cluster: {server: '{OTHER}', certificate-authority: '{CA}'}}\n"
       "users:\n- {name: u, user: {token: test-token}}\n"
       "contexts:\n- {name: x, context: {cluster: c, user: u}}\ncurrent-context: x\n",
       {},
       "duplicate name \"c\""},
      {"duplicate users",
       "clusters:\n- {name: c, cluster: {server: '{SERVER}', certificate-authority: '{CA}'}}\n"
       "users:\n- {name: u, user: {token: test-token}}\n- {name: u, user: {token: exec-token}}\n"
       "contexts:\n- {name: x, context: {cluster: c, user: u}}\ncurrent-context: x\n",
       {},
       "duplicate name \"u\""},
      {"duplicate contexts",
       "clusters:\n- {name: c, cluster: {server: '{SERVER}', certificate-authority: '{CA}'}}\n"
       "- {name: d, cluster: {server: '{OTHER}', certificate-authority: '{CA}'}}\n"
       "users:\n- {name: u, user: {token: test-token}}\n"
       "contexts:\n- {name: x, context: {cluster: c, user: u}}\n- {name: x, context: {cluster: d, "
       "user: u}}\ncurrent-context: x\n",
       {},
       "duplicate name \"x\""},
      {"same name in two files: the first file's",
       "",
       {{"KUBECONFIG", "{DIR}/first:{DIR}/second"}},
       "",
       "",
       {{"first", kubeconfig(kCluster, kToken)},
        {"second",
         kubeconfig("server: {OTHER}\ncertificate-authority: {CA}", "token: exec-token")}}},
      // TLS.
      {"insecure with CA data",
       kubeconfig(
           "server: {SERVER}\ncertificate-authority-data: {CADATA}\ninsecure-skip-tls-verify: true",
           kToken),
       {},
       "specifying a root certificates file with the insecure flag is not allowed"},
      {"insecure with CA file",
       kubeconfig(kCluster + "\ninsecure-skip-tls-verify: true", kToken),
       {},
       "specifying a root certificates file with the insecure flag is not allowed"},
      {"insecure without CA",
       kubeconfig("server: {SERVER}\ninsecure-skip-tls-verify: true", kToken)},
      {"CA data and file",
       kubeconfig(kCluster + "\ncertificate-authority-data: {CADATA}", kToken),
       {},
       "certificate-authority-data and certificate-authority are both specified"},
      {"tls-server-name", kubeconfig(kCluster + "\ntls-server-name: kubernetes.test", kToken)},
      {"wrong tls-server-name", kubeconfig(kCluster + "\ntls-server-name: wrong.test", kToken)},
      // Impersonation.
      {"as", kubeconfig(kCluster, kToken + "\nas: bob")},
      {"as with uid, groups and extra",
       kubeconfig(kCluster, kToken + "\nas: bob\nas-uid: '1234'\nas-groups: [dev, ops]\n"
                                     "as-user-extra:\n  scopes: [read, write]\n"
                                     "  example.com/reason: [on call]")},
      {"as-groups without as",
       kubeconfig(kCluster, kToken + "\nas-groups: [dev]"),
       {},
       "without impersonating a user"},
      // Proxies: Go's httpproxy rules.
      {"HTTPS_PROXY for a named server", kubeconfig(kProxiedCluster, kToken), proxy_env()},
      {"lower-case https_proxy", kubeconfig(kProxiedCluster, kToken), {{"https_proxy", "{PROXY}"}}},
      {"HTTPS_PROXY before https_proxy", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"https_proxy", "http://127.0.0.1:{CLOSED}"}})},
      {"HTTP_PROXY is not for https",
       kubeconfig(kProxiedCluster, kToken),
       {{"HTTP_PROXY", "{PROXY}"}}},
      {"ALL_PROXY is not read", kubeconfig(kProxiedCluster, kToken), {{"ALL_PROXY", "{PROXY}"}}},
      {"HTTPS_PROXY skips 127.0.0.1", kubeconfig(kCluster, kToken), proxy_env()},
      {"HTTPS_PROXY skips localhost",
       kubeconfig("server: https://localhost:{PORT}\ncertificate-authority: {CA}", kToken),
       proxy_env()},
      {"NO_PROXY names the host", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", "example.com, kubernetes.test"}})},
      {"NO_PROXY domain suffix", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", "test"}})},
      {"NO_PROXY leading dot", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", ".test"}})},
      {"NO_PROXY wildcard", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", "*.test"}})},
      {"NO_PROXY star", kubeconfig(kProxiedCluster, kToken), proxy_env({{"NO_PROXY", "*"}})},
      {"NO_PROXY other host", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", "kubernetes.example,other.test"}})},
      {"NO_PROXY with the server's port", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", "kubernetes.test:{PORT}"}})},
      {"NO_PROXY with another port", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"NO_PROXY", "kubernetes.test:1"}})},
      {"lower-case no_proxy", kubeconfig(kProxiedCluster, kToken),
       proxy_env({{"no_proxy", "kubernetes.test"}})},
      {"NO_PROXY is matched against the host, not tls-server-name",
       kubeconfig(kProxiedCluster + "\ntls-server-name: localhost", kToken),
       proxy_env({{"NO_PROXY", "localhost"}})},
      {"NO_PROXY host with tls-server-name",
       kubeconfig(kProxiedCluster + "\ntls-server-name: localhost", kToken),
       proxy_env({{"NO_PROXY", "kubernetes.test"}})},
      {"HTTPS_PROXY for an IP server", kubeconfig(kZeroCluster, kToken), proxy_env()},
      {"NO_PROXY CIDR", kubeconfig(kZeroCluster, kToken), proxy_env({{"NO_PROXY", "0.0.0.0/8"}})},
      {"NO_PROXY other CIDR", kubeconfig(kZeroCluster, kToken),
       proxy_env({{"NO_PROXY", "10.0.0.0/8"}})},
      {"NO_PROXY IP", kubeconfig(kZeroCluster, kToken), proxy_env({{"NO_PROXY", "0.0.0.0"}})},
      {"proxy-url", kubeconfig(kProxiedCluster + "\nproxy-url: {PROXY}", kToken)},
      {"proxy-url ignores NO_PROXY",
       kubeconfig(kProxiedCluster + "\nproxy-url: {PROXY}", kToken),
       {{"NO_PROXY", "kubernetes.test"}}},
      {"proxy-url for 127.0.0.1", kubeconfig(kCluster + "\nproxy-url: {PROXY}", kToken)},
      {"proxy-url with another scheme",
       kubeconfig(kCluster + "\nproxy-url: ftp://127.0.0.1:1", kToken),
       {},
       "invalid 'proxy-url'"},
      // Credential plugins.
      {"exec plugin", kubeconfig(kCluster, plugin_user("test-token"))},
      {"static token wins over exec",
       kubeconfig(kCluster, kToken + "\n" + plugin_user("exec-token"))},
      {"client certificate wins over exec",
       kubeconfig(kCluster,
                  "client-certificate: {CERT}\nclient-key: {KEY}\n" + plugin_user("exec-token"))},
      {"basic auth wins over exec",
       kubeconfig(kCluster, "username: alice\npassword: pw\n" + plugin_user("exec-token"))},
      {"exec with cluster info",
       kubeconfig("server: {SERVER}\ncertificate-authority-data: {CADATA}\n"
                  "tls-server-name: kubernetes.test\nextensions:\n"
                  "- name: client.authentication.k8s.io/exec\n"
                  "  extension: {audience: prod, retries: 3, nested: {flag: true}}\n"
                  "- name: other\n  extension: {x: y}",
                  plugin_user("test-token", "-", "  provideClusterInfo: true\n"))},
      {"exec credential expired",
       kubeconfig(kCluster, plugin_user("stale test-token", "past future"))},
      {"exec credential valid",
       kubeconfig(kCluster, plugin_user("test-token exec-token", "future future"))},
      {"exec credential rejected once", kubeconfig(kCluster, plugin_user("wrong test-token"))},
      {"exec expiry not RFC 3339", kubeconfig(kCluster, plugin_user("test-token", "bad"))},
      {"exec plugin fails",
       kubeconfig(kCluster, plugin_user("test-token", "-",
                                        "  - {name: PLUGIN_FAIL, value: '1'}\n"
                                        "  args: [--oidc-client-secret=SUPERSECRET-42]\n"
                                        "  provideClusterInfo: false\n")),
       {},
       "",
       "SUPERSECRET-42"},
      // auth-provider.
      {"oidc id-token",
       kubeconfig(kCluster,
                  "auth-provider:\n  name: oidc\n  config:\n    client-id: getmesh\n"
                  "    idp-issuer-url: https://127.0.0.1:{CLOSED}\n    id-token: {JWT}")},
      {"gcp auth-provider",
       kubeconfig(kCluster, "auth-provider: {name: gcp}"),
       {},
       "gcp auth plugin has been removed"},
      {"azure auth-provider",
       kubeconfig(kCluster, "auth-provider: {name: azure}"),
       {},
       "azure auth plugin has been removed"},
      {"unknown auth-provider",
       kubeconfig(kCluster, "auth-provider: {name: custom}"),
       {},
       "no Auth Provider found for name"},
      // Where getmesh is stricter (see kStricter).
      {"undefined user",
       "clusters:\n- {name: c, cluster: {server: '{SERVER}', certificate-authority: '{CA}'}}\n"
       "contexts:\n- {name: x, context: {cluster: c, user: nobody}}\ncurrent-context: x\n"},
      {"server without scheme",
       kubeconfig("server: 127.0.0.1:{PORT}\ncertificate-authority: {CA}", kToken)},
      {"YAML 1.1 boolean", kubeconfig("server: {SERVER}\ninsecure-skip-tls-verify: yes", kToken)},
  };
  return list;
}

// Scenarios where getmesh refuses what kubectl accepts, each documented in docs/kubernetes.md.
const std::map<std::string, std::string> kStricter = {
    {"YAML 1.1 boolean", "only true and false are booleans"},
};

class KubectlDifferential : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!program_on_path("kubectl")) GTEST_SKIP() << "kubectl is not installed";
    KubeApiServerOptions options;
    options.tokens = {"test-token", "exec-token", jwt()};
    options.basic = "alice:pw";
    main_ = std::make_unique<KubeApiServer>(options);
    other_ = std::make_unique<KubeApiServer>(options);
    proxy_ = std::make_unique<ConnectProxy>(
        std::map<std::string, std::string>{{"kubernetes.test", "127.0.0.1"}});
    dir_.write("token.txt", "test-token\n");
    const auto plugin = dir_.write("plugin.sh", R"(#!/bin/sh
# A credential plugin whose runs print the tokens (and expiries) of PLUGIN_TOKENS one after another.
n=$(cat "$PLUGIN_STATE" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$PLUGIN_STATE"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$PLUGIN_INFO"
if [ -n "$PLUGIN_FAIL" ]; then echo "login failed" >&2; exit 1; fi
pick() { i=$1; shift; while [ "$i" -gt 1 ] && [ $# -gt 1 ]; do shift; i=$((i - 1)); done; echo "$1"; }
token=$(pick "$n" $PLUGIN_TOKENS)
case $(pick "$n" $PLUGIN_EXPIRY) in
  past) expiry=',"expirationTimestamp":"2020-01-01T00:00:00Z"' ;;
  future) expiry=',"expirationTimestamp":"2099-01-01T00:00:00Z"' ;;
  bad) expiry=',"expirationTimestamp":"2099-01-01 00:00:00"' ;;
  *) expiry='' ;;
esac
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"%s}}\n' "$token" "$expiry"
)");
    fs::permissions(plugin, fs::perms::owner_all);
  }

  // An unsigned JWT for user "oidc" that expires in 2100.
  static std::string jwt() {
    return base64url_encode(R"({"alg":"RS256","typ":"JWT"})") + "." +
           base64url_encode(R"({"iss":"https://issuer.test","sub":"oidc","exp":4102444800})") +
           ".c2lnbmF0dXJl";
  }

  std::string expand(std::string text) const {
    const auto& certificates = TestCertificates::get();
    const std::map<std::string, std::string> values = {
        {"{SERVER}", main_->url()},
        {"{OTHER}", other_->url()},
        {"{PORT}", std::to_string(main_->port())},
        {"{CLOSED}", std::to_string(closed_port())},
        {"{CA}", certificates.ca_cert.string()},
        {"{CADATA}", base64_encode(*read_file(certificates.ca_cert))},
        {"{CERT}", certificates.client_cert.string()},
        {"{KEY}", certificates.client_key.string()},
        {"{CERTDATA}", base64_encode(*read_file(certificates.client_cert))},
        {"{KEYDATA}", base64_encode(*read_file(certificates.client_key))},
        {"{PROXY}", proxy_->url()},
        {"{PLUGIN}", (dir_.path() / "plugin.sh").string()},
        {"{STATE}", (dir_.path() / "plugin.state").string()},
        {"{INFO}", (dir_.path() / "plugin.info").string()},
        {"{DIR}", dir_.path().string()},
        {"{JWT}", jwt()},
    };
    for (const auto& [key, value] : values) {
      for (auto at = text.find(key); at != std::string::npos;
           at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
    }
    return text;
  }

  // Runs one client (`run` returns whether it was accepted and what it said) and collects what the
  // servers, the proxy and the plugin saw meanwhile.
  template <typename Run>
  Outcome observe(Run run) {
    fs::remove(dir_.path() / "plugin.state");
    fs::remove(dir_.path() / "plugin.info");
    const auto main_before = main_->requests().size();
    const auto other_before = other_->requests().size();
    const auto proxy_before = proxy_->targets().size();
    Outcome outcome;
    std::tie(outcome.accepted, outcome.said) = run();
    const auto find_pods = [&](const KubeApiServer& server, std::size_t before, const char* name) {
      const auto requests = server.requests();
      for (auto i = requests.size(); i > before; --i) {
        const auto& request = requests[i - 1];
        if (!request["path"].get<std::string>().ends_with("/pods")) continue;
        outcome.server = name;
        outcome.path = request["path"];
        outcome.authorization = request["authorization"];
        outcome.user = request["user"].is_string() ? request["user"].get<std::string>() : "";
        outcome.impersonate = request["impersonate"];
        return true;
      }
      return false;
    };
    if (!find_pods(*main_, main_before, "main")) find_pods(*other_, other_before, "other");
    outcome.proxied = proxy_->targets().size() > proxy_before;
    if (const auto info = read_file(dir_.path() / "plugin.info"); info && !info->empty()) {
      const auto document = nlohmann::json::parse(*info, nullptr, false);
      if (document.contains("spec") && document["spec"].contains("cluster"))
        outcome.exec_cluster = document["spec"]["cluster"];
    }
    return outcome;
  }

  std::pair<bool, std::string> run_kubectl(const fs::path& config, const Scenario& scenario) {
    std::vector<std::string> argv{*program_on_path("kubectl")};
    if (!scenario.kubeconfig.empty()) argv.insert(argv.end(), {"--kubeconfig", config.string()});
    argv.insert(argv.end(), {"--request-timeout=5s", "get", "pods", "-o", "name"});
    RunOptions options;
    options.env["HOME"] = home_.path().string();
    for (const auto& [name, value] : scenario.env) options.env[name] = expand(value);
    options.cwd = home_.path();
    options.timeout = std::chrono::seconds(20);
    const auto result = run_program(argv, options);
    return {result.exit_code == 0, result.err};
  }

  std::pair<bool, std::string> run_ours(const fs::path& config, const Scenario& scenario) {
    Environment environment;
    environment.set("HOME", home_.path().string());
    if (const char* path = std::getenv("PATH")) environment.set("PATH", path);
    for (const auto& [name, value] : scenario.env) environment.set(name, expand(value));
    const auto failed = [](const Error& error) {
      return std::pair{false, error.message + "\nhint: " + error.hint};
    };
    auto rest =
        rest_config_for(scenario.kubeconfig.empty() ? "" : config.string(), "", environment);
    if (!rest) return failed(rest.error());
    ClientOptions options;
    options.request_timeout_ms = 5000;
    auto client = Client::connect(*rest, net::Client(net::Settings::from_environment(environment)),
                                  environment, options);
    if (!client) return failed(client.error());
    auto pods = client->list(resource_path("v1", "pods", client->config().namespace_name));
    if (!pods) return failed(pods.error());
    return {true, ""};
  }

  TempDir dir_;
  TempDir home_;
  std::unique_ptr<KubeApiServer> main_;
  std::unique_ptr<KubeApiServer> other_;
  std::unique_ptr<ConnectProxy> proxy_;
};

TEST_F(KubectlDifferential, GetmeshActsAsKubectlOnEveryScenario) {
  const auto all = scenarios();
  std::map<std::string, std::string> differences;  // scenario -> what differed
  for (const auto& scenario : all) {
    SCOPED_TRACE(scenario.name);
    const auto config = dir_.write("kubeconfig", expand(scenario.kubeconfig));
    for (const auto& [name, text] : scenario.files) dir_.write(name, expand(text));
    const auto theirs = observe([&] { return run_kubectl(config, scenario); });
    const auto ours = observe([&] { return run_ours(config, scenario); });
    std::string difference;
    if (theirs.observed() != ours.observed()) {
      difference = "kubectl " + theirs.observed().dump() + " (" + std::string(trim(theirs.said)) +
                   ")\ngetmesh " + ours.observed().dump() + " (" + ours.said + ")";
    } else if (!scenario.reason.empty()) {
      for (const auto* outcome : {&theirs, &ours}) {
        if (to_lower(outcome->said).find(to_lower(scenario.reason)) == std::string::npos)
          difference += "does not say " + quote(scenario.reason) + ": " + outcome->said + "\n";
      }
    }
    if (!scenario.secret.empty()) {
      EXPECT_EQ(ours.said.find(scenario.secret), std::string::npos) << ours.said;
      EXPECT_EQ(theirs.said.find(scenario.secret), std::string::npos) << theirs.said;
    }
    if (!difference.empty()) differences[scenario.name] = difference;
  }

  for (const auto& [name, difference] : differences) {
    EXPECT_TRUE(kStricter.contains(name)) << name << ":\n" << difference;
  }
  for (const auto& [name, why] : kStricter) {
    // A listed exception that no longer differs must leave the list (and the docs).
    EXPECT_TRUE(differences.contains(name)) << name << " (" << why << ") no longer differs";
  }
  std::cout << all.size() << " kubeconfig scenarios, " << differences.size()
            << " differ (documented stricter cases)\n";
}

}  // namespace
}  // namespace getmesh::kube
