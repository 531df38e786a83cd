#include "support/temp_dir.hpp"

#include <getmesh/kube/kubeconfig.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <gtest/gtest.h>

namespace getmesh::kube {
namespace {

using testing::TempDir;

constexpr const char* kFull = R"(apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://prod.example.com:6443/
    certificate-authority: certs/ca.crt
    tls-server-name: kubernetes.internal
    proxy-url: http://proxy.example.com:3128
- name: lab-cluster
  cluster:
    server: https://lab.example.com
    insecure-skip-tls-verify: true
users:
- name: prod-user
  user:
    client-certificate: ../pki/client.crt
    client-key: /abs/client.key
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
      env:
      - name: AWS_PROFILE
        value: prod
      interactiveMode: IfAvailable
      provideClusterInfo: true
- name: local-plugin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      interactiveMode: Never
- name: file-token
  user:
    tokenFile: token.txt
contexts:
- name: prod
  context: {cluster: prod-cluster, user: prod-user, namespace: apps}
- name: lab
  context: {cluster: lab-cluster, user: eks}
)";

TEST(Kubeconfig, ParsesEveryField) {
  auto parsed = parse_kubeconfig(kFull, "/home/me/.kube/config");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->current_context, "prod");
  const auto* prod = parsed->cluster("prod-cluster");
  ASSERT_NE(prod, nullptr);
  EXPECT_EQ(prod->server, "https://prod.example.com:6443/");
  EXPECT_EQ(prod->certificate_authority, "/home/me/.kube/certs/ca.crt");
  EXPECT_EQ(prod->tls_server_name, "kubernetes.internal");
  EXPECT_EQ(prod->proxy_url, "http://proxy.example.com:3128");
  EXPECT_FALSE(prod->insecure_skip_tls_verify);
  EXPECT_TRUE(parsed->cluster("lab-cluster")->insecure_skip_tls_verify);

  const auto* user = parsed->user("prod-user");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->client_certificate, "/home/me/pki/client.crt");
  EXPECT_EQ(user->client_key, "/abs/client.key");
  EXPECT_EQ(parsed->user("file-token")->token_file, "/home/me/.kube/token.txt");

  const auto& eks = parsed->user("eks")->exec;
  ASSERT_TRUE(eks.has_value());
  EXPECT_EQ(eks->command, "aws");  // a bare name stays a PATH lookup
  EXPECT_EQ(eks->args, (std::vector<std::string>{"eks", "get-token", "--cluster-name", "prod"}));
  ASSERT_EQ(eks->env.size(), 1u);
  EXPECT_EQ(eks->env[0].first, "AWS_PROFILE");
  EXPECT_EQ(eks->env[0].second, "prod");
  EXPECT_EQ(eks->interactive_mode, "IfAvailable");
  EXPECT_TRUE(eks->provide_cluster_info);
  EXPECT_EQ(parsed->user("local-plugin")->exec->command, "/home/me/.kube/bin/plugin");

  const auto* context = parsed->context("prod");
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->cluster, "prod-cluster");
  EXPECT_EQ(context->user, "prod-user");
  EXPECT_EQ(context->namespace_name, "apps");
}

TEST(Kubeconfig, EmptyFileIsAnEmptyConfiguration) {
  auto parsed = parse_kubeconfig("", "/k/config");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->contexts.empty());
}

TEST(Kubeconfig, BadInputNamesTheFileAndTheField) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"clusters: [\n  - name: a\n", "is not YAML"},
      {"- just\n- a list\n", "is not a map"},
      {"clusters: {a: b}\n", "clusters must be a list"},
      {"clusters:\n- cluster: {server: https://x}\n", "clusters[0].name is missing"},
      {"clusters:\n- name: a\n  cluster: {server: [1, 2]}\n",
       "clusters[0].cluster.server must be a string"},
      {"clusters:\n- name: a\n  cluster: {insecure-skip-tls-verify: maybe}\n",
       "clusters[0].cluster.insecure-skip-tls-verify must be true or false"},
      {"users:\n- name: u\n  user: {exec: {command: x, args: {a: b}}}\n",
       "users[0].user.exec.args must be a list of strings"},
      {"users:\n- name: u\n  user: {exec: {command: x, env: [{value: v}]}}\n",
       "users[0].user.exec.env[0].name is missing"},
      {"contexts:\n- name: c\n  context: nope\n", "contexts[0].context must be a map"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_kubeconfig(c.text, "/k/bad-config");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_NE(parsed.error().message.find("/k/bad-config"), std::string::npos)
        << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(c.expected), std::string::npos) << parsed.error().message;
    EXPECT_FALSE(parsed.error().hint.empty());
  }
}

TEST(Kubeconfig, MergesLikeKubectlFirstFileWins) {
  auto first = parse_kubeconfig(R"(
clusters:
- name: shared
  cluster: {server: https://first}
users:
- name: shared-user
  user: {token: first-token}
contexts:
- name: a
  context: {cluster: shared, user: shared-user}
)",
                                "/one/config");
  auto second = parse_kubeconfig(R"(
current-context: b
clusters:
- name: shared
  cluster: {server: https://second, insecure-skip-tls-verify: true}
- name: only-second
  cluster: {server: https://only-second}
contexts:
- name: a
  context: {cluster: only-second}
- name: b
  context: {cluster: only-second}
)",
                                 "/two/config");
  auto third = parse_kubeconfig("current-context: a\n", "/three/config");
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  const auto merged = merge_kubeconfigs({*first, *second, *third});
  EXPECT_EQ(merged.current_context, "b");  // the first file that sets it
  ASSERT_EQ(merged.clusters.size(), 2u);
  EXPECT_EQ(merged.cluster("shared")->server, "https://first");  // taken whole from the first file
  EXPECT_FALSE(merged.cluster("shared")->insecure_skip_tls_verify);
  EXPECT_EQ(merged.context("a")->cluster, "shared");
  EXPECT_EQ(merged.context("b")->file, "/two/config");
  EXPECT_EQ(merged.describe_files(), "/one/config:/two/config:/three/config");
}

TEST(Kubeconfig, LocatesFlagThenKubeconfigListThenHome) {
  Environment environment;
  environment.set("HOME", "/home/me");
  auto location = locate_kubeconfig("", environment);
  EXPECT_EQ(location.origin, Location::Origin::kDefault);
  ASSERT_EQ(location.files.size(), 1u);
  EXPECT_EQ(location.files[0], "/home/me/.kube/config");

  environment.set("KUBECONFIG", "/a:/b::/a:/c");
  location = locate_kubeconfig("", environment);
  EXPECT_EQ(location.origin, Location::Origin::kEnvironment);
  EXPECT_EQ(location.files, (std::vector<std::filesystem::path>{"/a", "/b", "/c"}));

  location = locate_kubeconfig("/flag/config", environment);
  EXPECT_EQ(location.origin, Location::Origin::kFlag);
  EXPECT_EQ(location.files, (std::vector<std::filesystem::path>{"/flag/config"}));
}

TEST(Kubeconfig, MissingFilesAreSkippedUnlessNamedByTheFlag) {
  TempDir dir;
  const auto present = dir.write("present", "current-context: x\n");
  Location list{{dir.path() / "missing", present}, Location::Origin::kEnvironment};
  auto loaded = load_kubeconfig(list);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->current_context, "x");

  Location flag{{dir.path() / "missing"}, Location::Origin::kFlag};
  auto missing = load_kubeconfig(flag);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find((dir.path() / "missing").string()), std::string::npos);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
}

TEST(Kubeconfig, SelectionErrorsNameWhatIsMissing) {
  auto config = parse_kubeconfig(R"(
current-context: ghost
clusters:
- name: c1
  cluster: {server: https://c1}
- name: no-server
  cluster: {}
contexts:
- name: good
  context: {cluster: c1}
- name: no-cluster
  context: {cluster: absent, user: u}
- name: no-user
  context: {cluster: c1, user: absent-user}
- name: empty-server
  context: {cluster: no-server}
)",
                                 "/k/config");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(select_context(*config, "good").ok());
  const std::pair<const char*, const char*> cases[] = {
      {"", "context \"ghost\" (current-context) is not defined in /k/config"},
      {"nope", "context \"nope\" is not defined in /k/config"},
      {"no-cluster", "names cluster \"absent\", which is not defined"},
      {"no-user", "names user \"absent-user\", which is not defined"},
      {"empty-server", "has no server"},
  };
  for (const auto& [name, expected] : cases) {
    auto selected = select_context(*config, name);
    ASSERT_FALSE(selected.ok()) << name;
    EXPECT_NE(selected.error().message.find(expected), std::string::npos)
        << selected.error().message;
  }
  auto missing = select_context(*config, "nope");
  EXPECT_NE(missing.error().hint.find("good, no-cluster, no-user, empty-server"),
            std::string::npos);

  Kubeconfig nothing;
  auto none = select_context(nothing, "");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no kubeconfig found"), std::string::npos);

  // The files looked for are named.
  Location location;
  location.files = {"/nonexistent/a", "/nonexistent/b"};
  location.origin = Location::Origin::kEnvironment;
  auto empty = load_kubeconfig(location);
  ASSERT_TRUE(empty.ok());
  auto unnamed = select_context(*empty, "");
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().message,
            "no kubeconfig found: /nonexistent/a, /nonexistent/b do not exist");
}

TEST(RestConfig, DecodesDataAndChecksFiles) {
  TempDir dir;
  const auto kubeconfig = dir.path() / "config";
  auto config = parse_kubeconfig(R"(
clusters:
- name: c
  cluster:
    server: https://c.example.com/
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    tls-server-name: k8s.internal
- name: bad-ca
  cluster: {server: https://c, certificate-authority-data: "not base64!"}
- name: missing-ca
  cluster: {server: https://c, certificate-authority: ca/missing.crt}
- name: plain
  cluster: {server: "c.example.com:6443"}
users:
- name: u
  user: {username: alice, password: secret}
- name: half
  user: {client-key-data: a2V5}
contexts:
- {name: good, context: {cluster: c, user: u, namespace: apps}}
- {name: bad-ca, context: {cluster: bad-ca}}
- {name: missing-ca, context: {cluster: missing-ca}}
- {name: plain, context: {cluster: plain}}
- {name: half, context: {cluster: c, user: half}}
)",
                                 kubeconfig);
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto good = make_rest_config(*select_context(*config, "good"));
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(good->server, "https://c.example.com");
  EXPECT_EQ(good->tls.ca_pem, "-----BEGIN CERTIFICATE-----\n");
  EXPECT_EQ(good->tls.server_name, "k8s.internal");
  EXPECT_EQ(good->username, "alice");
  EXPECT_EQ(good->namespace_name, "apps");
  EXPECT_EQ(good->describe(), "context \"good\" (https://c.example.com)");

  const std::pair<const char*, std::string> cases[] = {
      {"bad-ca", "clusters[\"bad-ca\"].cluster.certificate-authority-data in " +
                     kubeconfig.string() + " is not valid base64"},
      {"missing-ca", (dir.path() / "ca/missing.crt").string()},
      {"plain", "not an https:// URL"},
      {"half", "has a client certificate or a client key, but not both"},
  };
  for (const auto& [name, expected] : cases) {
    auto made = make_rest_config(*select_context(*config, name));
    ASSERT_FALSE(made.ok()) << name;
    EXPECT_NE(made.error().message.find(expected), std::string::npos) << made.error().message;
  }
}

}  // namespace
}  // namespace getmesh::kube
