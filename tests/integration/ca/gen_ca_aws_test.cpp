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

constexpr const char* kAccessKey = "AKIATESTEXAMPLE";
constexpr const char* kSecretKey = "test/secret+key=with/odd+chars";

std::string arn(const std::string& id, const std::string& region = "eu-central-1") {
  return "arn:aws:acm-pca:" + region + ":123456789012:certificate-authority/" + id;
}

// Runs the ACM PCA test endpoint (tests/servers/aws_pca_server.py), which checks every request's
// SigV4 signature with botocore.
class GenCaAws : public ::testing::Test {
 protected:
  void SetUp() override { start_server({}); }

  void start_server(const std::vector<std::string>& extra) {
    server_.reset();
    const auto python = python_with({"botocore"});
    ASSERT_FALSE(python.empty())
        << "no python3 with botocore: install python3-botocore (make deps)";
    server_dir_ = temp_.path() / ("server-" + std::to_string(++servers_));
    fs::create_directories(server_dir_);
    std::vector<std::string> argv{
        python,         "-B",       std::string(GETMESH_TEST_SERVERS_DIR) + "/aws_pca_server.py",
        "--access-key", kAccessKey, "--secret-key",
        kSecretKey,     "--dir",    server_dir_.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    server_ = std::make_unique<LoopbackServer>(argv, server_dir_ / "server.log");
  }

  std::map<std::string, std::string> tls_env() const {
    return {{"GETMESH_CA_BUNDLE", server_->announcement().at("ca_bundle").get<std::string>()}};
  }

  RunResult run(const std::string& ca_arn, std::vector<std::string> extra = {},
                std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", kAccessKey},
                                                          {"AWS_SECRET_ACCESS_KEY", kSecretKey}}) {
    std::vector<std::string> args{"--provider",     "aws",          "--signing-ca", ca_arn,
                                  "--aws-endpoint", server_->url(), "--key-type",   "ecdsa"};
    args.insert(args.end(), extra.begin(), extra.end());
    for (const auto& [name, value] : tls_env()) env[name] = value;
    return gen_ca(temp_, args, env);
  }

  // The requests the endpoint saw, in order.
  std::vector<nlohmann::json> requests() const {
    return read_request_log(server_dir_ / "requests.jsonl");
  }

  std::vector<std::string> targets() const {
    std::vector<std::string> names;
    for (const auto& request : requests()) {
      names.push_back(request.at("target").get<std::string>().substr(13) + ":" +
                      (request.contains("error") ? request.at("error").get<std::string>() : "ok"));
    }
    return names;
  }

  void expect_nothing_written() const { getmesh::testing::expect_nothing_written(temp_); }

  TempDir temp_;
  fs::path server_dir_;
  int servers_ = 0;
  std::unique_ptr<LoopbackServer> server_;
};

TEST_F(GenCaAws, IssuesASubordinateCaThroughPrivateCa) {
  const auto result = run(arn("good-1"), {"--validity-days", "100", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(
      result.err.find("waiting for AWS Private CA to issue " + arn("good-1") + "/certificate/"),
      std::string::npos)
      << result.err;
  const auto out = temp_.path() / "out";
  const auto verified = openssl(
      {"verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "ca-cert.pem"}, out);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const auto text = x509_text(out / "ca-cert.pem");
  EXPECT_NE(text.find("CA:TRUE, pathlen:0"), std::string::npos) << text;
  EXPECT_NE(text.find("Issuer: O = Fake Cloud, CN = Fake Issuing CA"), std::string::npos);
  EXPECT_NE(x509_text(out / "root-cert.pem").find("Subject: O = Fake Cloud, CN = Fake Root CA"),
            std::string::npos);
  EXPECT_EQ(file_mode(out / "ca-key.pem"), 0600u);

  EXPECT_EQ(targets(), (std::vector<std::string>{
                           "GetCertificateAuthorityCertificate:ok", "IssueCertificate:ok",
                           "GetCertificate:RequestInProgressException", "GetCertificate:ok"}));
  const auto issue = requests().at(1).at("request");
  EXPECT_EQ(issue.at("CertificateAuthorityArn"), arn("good-1"));
  EXPECT_EQ(issue.at("SigningAlgorithm"), "SHA256WITHRSA");
  EXPECT_EQ(issue.at("TemplateArn"),
            "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1");
  EXPECT_EQ(issue.at("Validity"), (nlohmann::json{{"Type", "DAYS"}, {"Value", 100}}));
  EXPECT_FALSE(issue.at("IdempotencyToken").get<std::string>().empty());
}

TEST_F(GenCaAws, ThePathLengthPicksTheTemplate) {
  const auto result = run(arn("good-2", "us-west-2"), {"--path-len", "1", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(x509_text(temp_.path() / "out" / "ca-cert.pem").find("CA:TRUE, pathlen:1"),
            std::string::npos);
  EXPECT_EQ(requests().at(1).at("request").at("TemplateArn"),
            "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen1/V1");
}

TEST_F(GenCaAws, CredentialsFromAProfileWithASessionToken) {
  start_server({"--session-token", "session/token+1=="});
  temp_.write("aws/credentials", std::string("[default]\naws_access_key_id = WRONG\n"
                                             "aws_secret_access_key = wrong\n[mesh]\n"
                                             "aws_access_key_id = ") +
                                     kAccessKey + "\naws_secret_access_key = " + kSecretKey +
                                     "\naws_session_token = session/token+1==\n");
  const auto result =
      run(arn("good-3"), {"--secret-file-path", "cacerts.yaml"},
          {{"AWS_PROFILE", "mesh"},
           {"AWS_SHARED_CREDENTIALS_FILE", (temp_.path() / "aws/credentials").string()},
           {"AWS_CONFIG_FILE", (temp_.path() / "aws/config").string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(file_mode(temp_.path() / "cacerts.yaml"), 0600u);
}

TEST_F(GenCaAws, AWrongSecretFailsTheSignatureCheck) {
  const auto result =
      run(arn("good-4"), {"--output-dir", "out"},
          {{"AWS_ACCESS_KEY_ID", kAccessKey}, {"AWS_SECRET_ACCESS_KEY", "not-the-secret"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: AWS Private CA refused GetCertificateAuthorityCertificate: "
                            "InvalidSignatureException"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("hint: check the credentials from the environment"), std::string::npos);
  expect_nothing_written();
}

TEST_F(GenCaAws, AccessDenied) {
  const auto result = run(arn("denied-1"), {"--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: AWS Private CA refused GetCertificateAuthorityCertificate: "
                            "AccessDeniedException: User: arn:aws:iam::123456789012:user/test is "
                            "not authorized"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("hint: allow acm-pca:GetCertificateAuthorityCertificate on the CA"),
            std::string::npos);
  EXPECT_EQ(requests().size(), 1u);
  expect_nothing_written();
}

TEST_F(GenCaAws, ThrottlingIsRetriedWithBackoff) {
  const auto result = run(arn("throttled-1"), {"--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("ThrottlingException; retrying in"), std::string::npos) << result.err;
  EXPECT_EQ(targets(),
            (std::vector<std::string>{
                "GetCertificateAuthorityCertificate:ThrottlingException",
                "GetCertificateAuthorityCertificate:ThrottlingException",
                "GetCertificateAuthorityCertificate:ok", "IssueCertificate:ThrottlingException",
                "IssueCertificate:ThrottlingException", "IssueCertificate:ok",
                "GetCertificate:ThrottlingException", "GetCertificate:ThrottlingException",
                "GetCertificate:RequestInProgressException", "GetCertificate:ok"}));
  // Retried requests reuse the idempotency token, so a retry never issues twice.
  EXPECT_EQ(requests().at(3).at("request").at("IdempotencyToken"),
            requests().at(5).at("request").at("IdempotencyToken"));
}

TEST_F(GenCaAws, ThrottlingThatNeverEndsGivesUp) {
  const auto result = run(arn("always-throttled-1"), {"--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: AWS Private CA refused GetCertificateAuthorityCertificate: "
                            "ThrottlingException: Rate exceeded"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("hint: AWS still refused after 5 attempts"), std::string::npos);
  EXPECT_EQ(requests().size(), 5u);
  expect_nothing_written();
}

TEST_F(GenCaAws, AnIssuanceThatNeverCompletesTimesOut) {
  const auto result = run(arn("never-issued-1"), {"--timeout", "3s", "--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: AWS Private CA did not issue " + arn("never-issued-1") +
                            "/certificate/"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("within 3 seconds"), std::string::npos);
  EXPECT_NE(result.err.find("hint: raise --timeout"), std::string::npos);
  expect_nothing_written();
}

TEST_F(GenCaAws, AResultWithTheWrongPathLengthIsNotWritten) {
  const auto result = run(arn("wrong-pathlen-1"), {"--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: the aws provider's result failed the checks: ca-cert.pem has "
                            "path length 3 where path length 0 was asked for"),
            std::string::npos)
      << result.err;
  expect_nothing_written();
}

TEST_F(GenCaAws, NoCredentialsFailsBeforeAnyRequest) {
  const auto result = run(arn("good-5"), {"--output-dir", "out"}, {});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: no AWS credentials were found for the aws provider"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(requests().size(), 0u);
  expect_nothing_written();
}

}  // namespace
}  // namespace getmesh::testing
