#include "integration/ca/ca_cli.hpp"
#include "support/loopback_server.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace getmesh::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEmail = "istio-ca@mesh-project.iam.gserviceaccount.com";
constexpr const char* kKeyId = "test-key-1";
constexpr const char* kGcloudToken = "ya29.from-gcloud";
const std::string kPool = "projects/mesh-project/locations/europe-west1/caPools/";

// Runs the CA Service and token test endpoint (tests/servers/gcp_cas_server.py) with a fresh
// service-account key whose public half it verifies JWTs with.
class GenCaGcp : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto python = python_with({"json"});
    ASSERT_FALSE(python.empty()) << "no python3";
    const auto server_dir = temp_.path() / "server";
    fs::create_directories(server_dir);
    make_key("sa-key.pem");
    ASSERT_EQ(openssl({"pkey", "-in", "sa-key.pem", "-pubout", "-out", "sa-pub.pem"}, temp_.path())
                  .exit_code,
              0);
    server_ = std::make_unique<LoopbackServer>(
        std::vector<std::string>{
            python, "-B", std::string(GETMESH_TEST_SERVERS_DIR) + "/gcp_cas_server.py", "--dir",
            server_dir.string(), "--public-key", (temp_.path() / "sa-pub.pem").string(), "--email",
            kEmail, "--key-id", kKeyId, "--gcloud-token", kGcloudToken},
        server_dir / "server.log");
    write_key_file("sa.json", "sa-key.pem");
  }

  void make_key(const std::string& name) const {
    ASSERT_EQ(
        openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name},
                temp_.path())
            .exit_code,
        0);
  }

  // A service-account key file as Google Cloud issues them, pointing at the test token URI.
  void write_key_file(const std::string& name, const std::string& key_pem) const {
    const nlohmann::json key = {
        {"type", "service_account"}, {"project_id", "mesh-project"},
        {"private_key_id", kKeyId},  {"private_key", *read_file(temp_.path() / key_pem)},
        {"client_email", kEmail},    {"token_uri", server_->url() + "/token"}};
    temp_.write(name, key.dump(2));
  }

  RunResult run(const std::string& ca_name, std::vector<std::string> extra = {},
                std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args{"--provider",     "gcp",         "--cas-ca-name", ca_name,
                                  "--gcp-endpoint", server_->url()};
    args.insert(args.end(), extra.begin(), extra.end());
    env["GETMESH_CA_BUNDLE"] = server_->announcement().at("ca_bundle").get<std::string>();
    if (!env.contains("PATH")) {
      env["GOOGLE_APPLICATION_CREDENTIALS"] = (temp_.path() / "sa.json").string();
    }
    return gen_ca(temp_, args, env);
  }

  std::vector<nlohmann::json> requests() const {
    return read_request_log(temp_.path() / "server" / "requests.jsonl");
  }

  // A fake gcloud in its own PATH directory that records its arguments.
  std::string fake_gcloud(const std::string& script_body) const {
    temp_.write("bin/gcloud", "#!/bin/sh\nprintf '%s\\n' \"$*\" > \"" +
                                  (temp_.path() / "gcloud-args").string() + "\"\n" + script_body);
    fs::permissions(temp_.path() / "bin/gcloud", fs::perms(0755));
    return (temp_.path() / "bin").string();
  }

  void expect_nothing_written() const { getmesh::testing::expect_nothing_written(temp_); }

  TempDir temp_;
  std::unique_ptr<LoopbackServer> server_;
};

TEST_F(GenCaGcp, IssuesFromACaPoolWithAServiceAccountKey) {
  const auto result =
      run(kPool + "mesh", {"--validity-days", "200", "--key-type", "ecdsa", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(result.err.find("ya29."), std::string::npos);
  const auto out = temp_.path() / "out";
  const auto verified = openssl(
      {"verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "ca-cert.pem"}, out);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const auto text = x509_text(out / "ca-cert.pem");
  EXPECT_NE(text.find("CA:TRUE, pathlen:0"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject: C = US, O = Istio, L = Sunnyvale, ST = California, CN = Istio CA"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("DNS:ca.istio.io"), std::string::npos);
  EXPECT_EQ(openssl({"x509", "-in", "ca-cert.pem", "-noout", "-checkend",
                     std::to_string(200 * 86400 - 3600)},
                    out)
                .exit_code,
            0);
  EXPECT_EQ(
      openssl({"x509", "-in", "ca-cert.pem", "-noout", "-checkend", std::to_string(201 * 86400)},
              out)
          .exit_code,
      1);

  const auto seen = requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].at("path"), "/token");
  EXPECT_EQ(seen[0].at("status"), 200);
  EXPECT_EQ(seen[1].at("path"), "/v1/" + kPool + "mesh/certificates");
  EXPECT_FALSE(seen[1].at("query").contains("issuingCertificateAuthorityId"));
  const auto& body = seen[1].at("request");
  EXPECT_EQ(body.at("lifetime"), "17280000s");  // 200 days, not 200 years
  EXPECT_EQ(body.at("config").at("x509Config").at("caOptions"),
            (nlohmann::json{{"isCa", true}, {"maxIssuerPathLength", 0}}));
}

TEST_F(GenCaGcp, IssuesFromANamedCaWithAPathLength) {
  const auto result = run(kPool + "mesh/certificateAuthorities/ca-1",
                          {"--path-len", "1", "--secret-file-path", "cacerts.yaml"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(file_mode(temp_.path() / "cacerts.yaml"), 0600u);
  const auto seen = requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].at("query").at("issuingCertificateAuthorityId"), nlohmann::json{"ca-1"});
  EXPECT_EQ(
      seen[1].at("request").at("config").at("x509Config").at("caOptions").at("maxIssuerPathLength"),
      1);
}

TEST_F(GenCaGcp, UsesGcloudWithoutAKeyFile) {
  const auto path = fake_gcloud("echo " + std::string(kGcloudToken) + "\n");
  const auto result = run(kPool + "mesh", {"--output-dir", "out"}, {{"PATH", path}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(*read_file(temp_.path() / "gcloud-args"), "auth print-access-token\n");
  const auto seen = requests();
  ASSERT_EQ(seen.size(), 1u);  // no token exchange
  EXPECT_EQ(seen[0].at("status"), 200);
}

TEST_F(GenCaGcp, GcloudWithoutALogin) {
  const auto path = fake_gcloud(
      "echo 'ERROR: (gcloud.auth.print-access-token) You do not currently have an active account "
      "selected.' >&2\nexit 1\n");
  const auto result = run(kPool + "mesh", {"--output-dir", "out"}, {{"PATH", path}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: gcloud auth print-access-token failed (exit code 1): ERROR: "
                            "(gcloud.auth.print-access-token) You do not currently have an active "
                            "account selected."),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("hint: log in with: gcloud auth login"), std::string::npos);
  EXPECT_EQ(requests().size(), 0u);
  expect_nothing_written();
}

TEST_F(GenCaGcp, PermissionDenied) {
  const auto result = run(kPool + "denied", {"--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: Certificate Authority Service refused to create the CA "
                            "certificate in " +
                            kPool +
                            "denied: HTTP 403 Forbidden PERMISSION_DENIED: Permission "
                            "'privateca.certificates.create' denied"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("hint: grant the service account " + std::string(kEmail) +
                            " the role roles/privateca.certificateRequester"),
            std::string::npos)
      << result.err;
  expect_nothing_written();
}

TEST_F(GenCaGcp, AJwtSignedWithAnotherKeyIsRefused) {
  make_key("other-key.pem");
  write_key_file("sa.json", "other-key.pem");
  const auto result = run(kPool + "mesh", {"--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("/token refused the key of " + std::string(kEmail) +
                            ": HTTP 400 Bad Request: invalid_grant: Invalid JWT Signature."),
            std::string::npos)
      << result.err;
  ASSERT_EQ(requests().size(), 1u);
  expect_nothing_written();
}

TEST_F(GenCaGcp, UnavailableIsRetried) {
  const auto result = run(kPool + "unavailable", {"--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("HTTP 503 Service Unavailable; retrying in"), std::string::npos);
  const auto seen = requests();
  ASSERT_EQ(seen.size(), 4u);
  // Every attempt carries the same request id, so CAS never issues twice.
  EXPECT_EQ(seen[1].at("query").at("requestId"), seen[3].at("query").at("requestId"));
}

TEST_F(GenCaGcp, OneValuePerSubjectField) {
  const auto result =
      run(kPool + "mesh", {"--organization", "A", "--organization", "B", "--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("error: Certificate Authority Service takes one organization, not 2"),
            std::string::npos)
      << result.err;
  expect_nothing_written();
}

TEST_F(GenCaGcp, TheOriginalsV1beta1NameIsExplained) {
  const auto result =
      run("projects/mesh-project/locations/europe-west1/certificateAuthorities/ca-1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("has no CA pool: Certificate Authority Service v1 issues from pools"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace getmesh::testing
