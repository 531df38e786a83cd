// Checks the test API server and getmesh's kubeconfig resolution against the real kubectl.
#include "support/kube_api_server.hpp"
#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <gtest/gtest.h>

namespace getmesh::kube {
namespace {

using namespace getmesh::testing;

// kubectl prints paths as written; it resolves relative ones against the folder of the file that
// defined the entry when it uses them.
std::string resolved(const std::string& raw, const std::filesystem::path& defining_file) {
  if (raw.empty() || std::filesystem::path(raw).is_absolute()) return raw;
  return (std::filesystem::absolute(defining_file).parent_path() / raw).lexically_normal().string();
}

class KubectlCrossCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!program_on_path("kubectl")) GTEST_SKIP() << "kubectl is not installed";
  }

  // Runs kubectl with a hermetic HOME and the given KUBECONFIG (may be empty).
  RunResult kubectl(const std::vector<std::string>& args, const std::string& kubeconfig_list = {}) {
    std::vector<std::string> argv{*program_on_path("kubectl")};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.env["HOME"] = home_.path().string();
    if (!kubeconfig_list.empty()) options.env["KUBECONFIG"] = kubeconfig_list;
    options.cwd = home_.path();
    options.timeout = std::chrono::seconds(30);
    return run_program(argv, options);
  }

  // What getmesh resolves for the same inputs.
  RestConfig getmesh_view(const std::string& flag, const std::string& context,
                          const std::string& kubeconfig_list) {
    Environment environment;
    environment.set("HOME", home_.path().string());
    // kubectl ran in home_: relative KUBECONFIG entries are taken from there.
    std::vector<std::string> entries;
    for (const auto& entry : split(kubeconfig_list, ':')) {
      entries.push_back(entry.empty() || entry.starts_with("/") ? entry
                                                                : (home_.path() / entry).string());
    }
    if (!kubeconfig_list.empty()) environment.set("KUBECONFIG", join(entries, ":"));
    auto loaded = load_kubeconfig(locate_kubeconfig(flag, environment));
    EXPECT_TRUE(loaded.ok());
    auto selection = select_context(*loaded, context);
    RestConfig view;
    if (!selection.ok()) {
      ADD_FAILURE() << selection.error().message;
      return view;
    }
    view.context = selection->context->name;
    view.cluster = selection->cluster->name;
    view.server = selection->cluster->server;
    view.namespace_name = selection->context->namespace_name;
    view.tls.ca_file = selection->cluster->certificate_authority;
    cluster_file_ = selection->cluster->file;
    view.tls.insecure_skip_verify = selection->cluster->insecure_skip_tls_verify;
    view.tls.server_name = selection->cluster->tls_server_name;
    view.proxy = selection->cluster->proxy_url;
    if (selection->user != nullptr) {
      view.user = selection->user->name;
      view.user_file = selection->user->file;
      view.tls.client_cert_file = selection->user->client_certificate;
      view.tls.client_key_file = selection->user->client_key;
      view.token = selection->user->token;
      view.token_file = selection->user->token_file;
      view.exec = selection->user->exec;
    }
    return view;
  }

  void expect_same_resolution(const std::string& flag, const std::string& context,
                              const std::string& kubeconfig_list) {
    std::vector<std::string> args{"config", "view", "--minify", "--raw", "-o", "json"};
    if (!flag.empty()) args.insert(args.end(), {"--kubeconfig", flag});
    if (!context.empty()) args.insert(args.end(), {"--context", context});
    const auto result = kubectl(args, kubeconfig_list);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto kubectl_view = nlohmann::json::parse(result.out);
    const auto ours = getmesh_view(flag, context, kubeconfig_list);
    SCOPED_TRACE("flag=" + flag + " context=" + context + " KUBECONFIG=" + kubeconfig_list);

    const auto& kubectl_context = kubectl_view["contexts"][0];
    EXPECT_EQ(kubectl_view["current-context"], ours.context);
    EXPECT_EQ(kubectl_context["name"], ours.context);
    EXPECT_EQ(kubectl_context["context"]["cluster"], ours.cluster);
    EXPECT_EQ(kubectl_context["context"].value("namespace", ""), ours.namespace_name);
    const auto& cluster = kubectl_view["clusters"][0]["cluster"];
    EXPECT_EQ(cluster["server"], ours.server);
    EXPECT_EQ(resolved(cluster.value("certificate-authority", ""), cluster_file_),
              ours.tls.ca_file);
    EXPECT_EQ(cluster.value("insecure-skip-tls-verify", false), ours.tls.insecure_skip_verify);
    EXPECT_EQ(cluster.value("tls-server-name", ""), ours.tls.server_name);
    EXPECT_EQ(cluster.value("proxy-url", ""), ours.proxy);
    if (ours.user.empty()) return;
    EXPECT_EQ(kubectl_view["users"][0]["name"], ours.user);
    const auto& user = kubectl_view["users"][0]["user"];
    EXPECT_EQ(resolved(user.value("client-certificate", ""), ours.user_file),
              ours.tls.client_cert_file);
    EXPECT_EQ(resolved(user.value("client-key", ""), ours.user_file), ours.tls.client_key_file);
    EXPECT_EQ(user.value("token", ""), ours.token);
    EXPECT_EQ(resolved(user.value("tokenFile", ""), ours.user_file), ours.token_file);
    EXPECT_EQ(user.contains("exec"), ours.exec.has_value());
    if (ours.exec) {
      const std::string command = user["exec"]["command"];
      EXPECT_EQ(
          command.find('/') == std::string::npos ? command : resolved(command, ours.user_file),
          ours.exec->command);
      const auto& exec_args = user["exec"]["args"];
      EXPECT_EQ(exec_args.is_array() ? exec_args.get<std::vector<std::string>>()
                                     : std::vector<std::string>{},
                ours.exec->args);
      EXPECT_EQ(user["exec"]["apiVersion"], ours.exec->api_version);
      const auto& env = user["exec"]["env"];
      ASSERT_EQ(env.is_array() ? env.size() : 0u, ours.exec->env.size());
      for (std::size_t i = 0; i < ours.exec->env.size(); ++i) {
        EXPECT_EQ(user["exec"]["env"][i]["name"], ours.exec->env[i].first);
        EXPECT_EQ(user["exec"]["env"][i]["value"], ours.exec->env[i].second);
      }
    }
  }

  TempDir home_;
  std::filesystem::path cluster_file_;
};

TEST_F(KubectlCrossCheck, KubectlReadsTheTestApiServer) {
  KubeApiServerOptions options;
  options.objects = nlohmann::json::array(
      {namespace_object("istio-system"),
       istiod_pod("istiod-canary-1", "docker.io/istio/pilot:1.30.5", "canary"),
       istiod_pod("istiod-1", "docker.io/istio/pilot:1.29.8"),
       pod_object("istio-system", "other", {{"app", "prometheus"}}, "prometheus",
                  "prom/prometheus:v3")});
  KubeApiServer server(options);
  const auto config = home_.write(
      "config", make_kubeconfig(
                    {{"test", server.url(), client_certificate_user(TestCertificates::get()), ""}},
                    TestCertificates::get().ca_cert));
  auto pods = kubectl({"--kubeconfig", config.string(), "get", "pods", "-n", "istio-system", "-l",
                       "app=istiod", "-o", "json"});
  ASSERT_EQ(pods.exit_code, 0) << pods.err;
  const auto list = nlohmann::json::parse(pods.out);
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["metadata"]["name"], "istiod-1");
  EXPECT_EQ(list["items"][1]["metadata"]["name"], "istiod-canary-1");

  auto table = kubectl({"--kubeconfig", config.string(), "get", "pods", "-n", "istio-system", "-l",
                        "app=istiod,istio.io/rev in (canary)"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("istiod-canary-1"), std::string::npos);
  EXPECT_EQ(table.out.find("istiod-1 "), std::string::npos);

  auto version = kubectl({"--kubeconfig", config.string(), "version", "-o", "json"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(nlohmann::json::parse(version.out)["serverVersion"]["gitVersion"], "v1.32.4");

  // Relative certificate paths are taken from the kubeconfig's folder, not the working directory.
  const auto& certificates = TestCertificates::get();
  for (const auto& file :
       {certificates.ca_cert, certificates.client_cert, certificates.client_key}) {
    std::filesystem::create_directories(home_.path() / "pki");
    std::filesystem::copy_file(file, home_.path() / "pki" / file.filename());
  }
  const auto nested = home_.write(
      "nested/deeper/config",
      "clusters:\n- name: c\n  cluster:\n    server: " + server.url() +
          "\n    certificate-authority: ../../pki/ca.crt\n"
          "users:\n- name: u\n  user:\n    client-certificate: ../../pki/client.crt\n"
          "    client-key: ../../pki/client.key\n"
          "contexts:\n- name: nested\n  context: {cluster: c, user: u}\ncurrent-context: nested\n");
  auto relative =
      kubectl({"--kubeconfig", nested.string(), "get", "pods", "-n", "istio-system", "-o", "name"});
  ASSERT_EQ(relative.exit_code, 0) << relative.err;
  EXPECT_NE(relative.out.find("pod/istiod-1"), std::string::npos);
  Environment environment;
  auto ours = rest_config_for(nested.string(), "", environment);
  ASSERT_TRUE(ours.ok()) << ours.error().message;

  auto denied = kubectl(
      {"--kubeconfig", config.string(), "--token", "wrong", "--user", "nobody", "get", "pods"});
  EXPECT_NE(denied.exit_code, 0);
}

TEST_F(KubectlCrossCheck, ResolvesKubeconfigsLikeKubectl) {
  // Two files in different folders with relative paths and overlapping names.
  home_.write("a/certs/ca.crt", "ca");
  home_.write("a/config", R"(apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster:
    server: https://a.example.com:6443
    certificate-authority: certs/ca.crt
    tls-server-name: api.a.internal
- name: only-a
  cluster:
    server: https://only-a.example.com
    proxy-url: http://proxy.a:3128
users:
- name: shared-user
  user:
    client-certificate: ../pki/client.crt
    client-key: ./client.key
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
      env:
      - {name: AWS_PROFILE, value: prod}
contexts:
- name: alpha
  context: {cluster: shared, user: shared-user, namespace: apps}
- name: eks
  context: {cluster: only-a, user: eks}
)");
  home_.write("b/config", R"(apiVersion: v1
kind: Config
current-context: beta
clusters:
- name: shared
  cluster:
    server: https://b.example.com
    insecure-skip-tls-verify: true
- name: only-b
  cluster:
    server: https://only-b.example.com
    certificate-authority: ../b-ca.crt
users:
- name: shared-user
  user: {token: from-b}
- name: b-user
  user:
    tokenFile: tokens/b.txt
- name: plugin-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/login
      interactiveMode: Never
contexts:
- name: alpha
  context: {cluster: only-b, user: b-user}
- name: beta
  context: {cluster: only-b, user: b-user}
- name: gamma
  context: {cluster: shared, user: shared-user}
- name: plugin
  context: {cluster: only-b, user: plugin-user}
)");
  const auto a = (home_.path() / "a/config").string();
  const auto b = (home_.path() / "b/config").string();
  const auto missing = (home_.path() / "missing/config").string();
  expect_same_resolution("", "", a + ":" + b);
  expect_same_resolution("", "alpha", a + ":" + b);
  expect_same_resolution("", "alpha", b + ":" + a);
  expect_same_resolution("", "gamma", a + ":" + b);
  expect_same_resolution("", "eks", missing + ":" + a + ":" + b);
  expect_same_resolution("", "plugin", a + ":" + b);
  expect_same_resolution(b, "", a);  // the flag wins over KUBECONFIG
  expect_same_resolution("", "", b + "::" + a);
  // Relative KUBECONFIG entries are taken from the working directory.
  expect_same_resolution("", "", "b/config:a/config");
  // ~/.kube/config when nothing else is given.
  home_.write(".kube/config",
              "current-context: home\nclusters:\n- name: h\n  cluster: {server: "
              "https://home.example.com, certificate-authority: ca.pem}\n"
              "contexts:\n- name: home\n  context: {cluster: h}\n");
  expect_same_resolution("", "", "");
}

}  // namespace
}  // namespace getmesh::kube
