// gen-ca creating Istio's cacerts Secret in a cluster (the test Kubernetes API server), with the
// local provider so that only the cluster side is under test.
#include "integration/ca/ca_cli.hpp"
#include "integration/ca/ca_cluster.hpp"

#include <getmesh/core/fs.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

KubeApiServerOptions cluster(nlohmann::json extra = nlohmann::json::array()) {
  KubeApiServerOptions options;
  options.objects =
      nlohmann::json::array({namespace_object("istio-system"), namespace_object("mesh")});
  for (auto& object : extra) options.objects.push_back(std::move(object));
  return options;
}

class GenCaCluster : public ::testing::Test {
 protected:
  RunResult run(const KubeApiServer& server, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--kubeconfig",
                                  write_kubeconfig(temp_, {server.url()}),
                                  "--provider",
                                  "local",
                                  "--generate-root",
                                  "--key-type",
                                  "ecdsa"};
    args.insert(args.end(), extra.begin(), extra.end());
    return gen_ca(temp_, args);
  }

  void expect_nothing_in_home() const {
    EXPECT_THAT(files_below(temp_.path() / "home" / "secret"), IsEmpty());
  }

  TempDir temp_;
};

TEST_F(GenCaCluster, CreatesTheSecretInTheConfiguredNamespace) {
  KubeApiServer server(cluster());
  const auto result = run(server, {"--istio-ca-namespace", "mesh"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto kubeconfig = (temp_.path() / "kubeconfig").string();
  EXPECT_THAT(result.out,
              HasSubstr("Kubernetes Secret created successfully with name: cacerts, in namespace: "
                        "mesh (context \"ctx0\" (" +
                        server.url() + "))\n"));
  EXPECT_THAT(result.out, HasSubstr("Then restart istiod so that it picks up the new CA: kubectl "
                                    "--kubeconfig " +
                                    kubeconfig + " rollout restart deployment/istiod -n mesh\n"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_THAT(writes(server), ElementsAre("POST /api/v1/namespaces/mesh/secrets"));

  const auto client = client_of(temp_, server);
  EXPECT_FALSE(read_object(client, kCacerts).has_value());
  const auto secret = read_object(client, "/api/v1/namespaces/mesh/secrets/cacerts");
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ((*secret)["type"], "Opaque");
  EXPECT_EQ((*secret)["data"].size(), 4u);
  write_secret_documents(*secret, temp_.path() / "decoded");
  expect_bundle_verifies(temp_.path() / "decoded");
  expect_nothing_in_home();
}

TEST_F(GenCaCluster, AnExistingSecretIsRefusedBeforeIssuing) {
  KubeApiServer server(cluster({existing_cacerts("istio-system")}));
  const auto result = run(server);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: the secret cacerts already exists in namespace "
                                    "istio-system on context \"ctx0\""));
  EXPECT_THAT(result.err, HasSubstr("hint: give --override-existing-ca-cert-secret to replace it"));
  EXPECT_THAT(result.out, IsEmpty());
  EXPECT_THAT(writes(server), IsEmpty());
  const auto secret = read_object(client_of(temp_, server), kCacerts);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ((*secret)["data"], existing_cacerts("istio-system")["data"]);
}

// Local inputs first: a --root-cert that does not exist is the error, not the existing Secret.
TEST_F(GenCaCluster, AMissingRootCertIsReportedBeforeTheExistingSecret) {
  KubeApiServer server(cluster({existing_cacerts("istio-system")}));
  const auto missing = (temp_.path() / "missing-root-cert.pem").string();
  const auto result = gen_ca(temp_, {"--kubeconfig", write_kubeconfig(temp_, {server.url()}),
                                     "--provider", "local", "--root-cert", missing, "--root-key",
                                     (temp_.path() / "missing-root-key.pem").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: cannot read the root certificate: "));
  EXPECT_THAT(result.err, HasSubstr(missing));
  EXPECT_THAT(result.err, Not(HasSubstr("already exists")));
  EXPECT_THAT(writes(server), IsEmpty());
}

TEST_F(GenCaCluster, OverrideReplacesTheSecretKeepingItsLabels) {
  KubeApiServer server(cluster({existing_cacerts("istio-system")}));
  const auto before = read_object(client_of(temp_, server), kCacerts);
  const auto result = run(server, {"--override-existing-ca-cert-secret"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Kubernetes Secret replaced successfully with name: cacerts, "
                                    "in namespace: istio-system"));
  // One PUT, no delete: the old Secret is never missing.
  EXPECT_THAT(writes(server), ElementsAre("PUT " + kCacerts));
  const auto secret = read_object(client_of(temp_, server), kCacerts);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ((*secret)["metadata"]["labels"], (nlohmann::json{{"team", "mesh"}}));
  EXPECT_EQ((*secret)["metadata"]["uid"], (*before)["metadata"]["uid"]);
  write_secret_documents(*secret, temp_.path() / "decoded");
  expect_bundle_verifies(temp_.path() / "decoded");
}

TEST_F(GenCaCluster, AnExistingSecretOfAnotherTypeIsNotReplaced) {
  KubeApiServer server(cluster({existing_cacerts("istio-system", "kubernetes.io/tls")}));
  const auto result = run(server, {"--override-existing-ca-cert-secret"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("has type kubernetes.io/tls, which cannot be changed to Opaque"));
  EXPECT_THAT(result.err, HasSubstr("hint: delete it first: kubectl delete secret cacerts -n "
                                    "istio-system"));
  EXPECT_THAT(writes(server), IsEmpty());
}

TEST_F(GenCaCluster, AMissingNamespaceIsRefused) {
  KubeApiServer server(cluster());
  const auto result = run(server, {"--istio-ca-namespace", "istio-prod"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: the namespace istio-prod does not exist on context "
                                    "\"ctx0\" (" +
                                    server.url() + "); nothing was issued\n"));
  EXPECT_THAT(result.err,
              HasSubstr("hint: give the namespace of istiod with --istio-ca-namespace"));
  EXPECT_THAT(writes(server), IsEmpty());
  expect_nothing_in_home();
}

TEST_F(GenCaCluster, ForbiddenSecretsGiveOneClearError) {
  auto options = cluster();
  options.forbid = {"secrets"};
  KubeApiServer server(options);
  const auto result = run(server);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: user \"ctx0-user\" may not get secrets \"cacerts\" in "
                                    "namespace istio-system on context \"ctx0\""));
  EXPECT_THAT(result.err, HasSubstr("hint: ask the cluster's administrator for permission"));
  EXPECT_THAT(writes(server), IsEmpty());
}

TEST_F(GenCaCluster, RejectedCredentialsAndAnUnreachableOrUnknownClusterFailBeforeIssuing) {
  auto options = cluster();
  options.fault = "unauthorized";
  KubeApiServer server(options);
  const auto rejected = run(server);
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_THAT(rejected.err, HasSubstr("rejected the credentials of user \"ctx0-user\""));

  const auto config =
      write_kubeconfig(temp_, {"https://127.0.0.1:" + std::to_string(closed_port())});
  const auto unreachable =
      gen_ca(temp_, {"--kubeconfig", config, "--provider", "local", "--generate-root"});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_THAT(unreachable.err, HasSubstr("error: cannot reach the Kubernetes API server of context "
                                         "\"ctx0\""));

  const auto no_kubeconfig = gen_ca(temp_, {"--provider", "local", "--generate-root"});
  EXPECT_EQ(no_kubeconfig.exit_code, 1);
  EXPECT_THAT(no_kubeconfig.err, HasSubstr("error: no kubeconfig found"));
  EXPECT_THAT(no_kubeconfig.err, HasSubstr("or write the CA to files instead with --output-dir"));
  expect_nothing_in_home();
}

TEST_F(GenCaCluster, TheContextFlagPicksTheCluster) {
  KubeApiServer first(cluster());
  KubeApiServer second(cluster());
  const auto config = write_kubeconfig(temp_, {first.url(), second.url()});
  const auto result = gen_ca(temp_, {"--kubeconfig", config, "--context", "ctx1", "--provider",
                                     "local", "--generate-root"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("kubectl --kubeconfig " + config +
                                    " --context ctx1 rollout restart deployment/istiod -n "
                                    "istio-system"));
  EXPECT_THAT(first.requests(), IsEmpty());
  EXPECT_TRUE(read_object(client_of(temp_, second), kCacerts).has_value());

  const auto unknown = gen_ca(temp_, {"--kubeconfig", config, "--context", "nope", "--provider",
                                      "local", "--generate-root"});
  EXPECT_EQ(unknown.exit_code, 2) << "an undefined context is a usage error";
  EXPECT_THAT(unknown.err, HasSubstr("nope"));
}

// --disable-secret-creation writes the manifest and says how to apply it; it neither talks to the
// cluster nor runs kubectl (a kubectl on PATH records any call).
TEST_F(GenCaCluster, DisabledSecretCreationOnlyWritesTheManifest) {
  KubeApiServer server(cluster());
  temp_.write("bin/kubectl",
              "#!/bin/sh\necho \"$@\" > \"" + (temp_.path() / "kubectl-ran").string() + "\"\n");
  fs::permissions(temp_.path() / "bin/kubectl", fs::perms(0755));
  const auto result = gen_ca(temp_,
                             {"--kubeconfig", write_kubeconfig(temp_, {server.url()}), "--provider",
                              "local", "--generate-root", "--disable-secret-creation"},
                             {{"PATH", (temp_.path() / "bin").string() + ":/usr/bin:/bin"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto written = files_below(temp_.path() / "home" / "secret");
  ASSERT_EQ(written.size(), 1u);
  const auto manifest = temp_.path() / "home" / "secret" / written.front();
  EXPECT_EQ(file_mode(manifest), 0600u);
  EXPECT_THAT(result.out,
              HasSubstr("Create the secret with: kubectl apply -f " + manifest.string() + "\n"));
  EXPECT_FALSE(fs::exists(temp_.path() / "kubectl-ran"));
  EXPECT_THAT(server.requests(), IsEmpty());
}

}  // namespace
}  // namespace getmesh::testing
