#include "ca/encoding.hpp"
#include "integration/ca/ca_cli.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace getmesh::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCaFiles[] = {"ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"};

void expect_no_private_key_shown(const RunResult& result) {
  EXPECT_EQ(result.out.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(result.err.find("PRIVATE KEY"), std::string::npos);
}

// openssl verify -CAfile root -untrusted chain ca-cert
void expect_chain_verifies(const fs::path& directory) {
  const auto verified =
      openssl({"verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "ca-cert.pem"},
              directory);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_EQ(verified.out, "ca-cert.pem: OK\n");
}

// The public key of ca-key.pem is the one in ca-cert.pem.
void expect_key_matches(const fs::path& directory) {
  const auto from_key = openssl({"pkey", "-in", "ca-key.pem", "-pubout"}, directory);
  const auto from_cert = openssl({"x509", "-in", "ca-cert.pem", "-noout", "-pubkey"}, directory);
  EXPECT_EQ(from_key.exit_code, 0) << from_key.err;
  EXPECT_EQ(from_key.out, from_cert.out);
}

// The certificate is valid for `days` days from now (within an hour).
void expect_validity_days(const fs::path& certificate, int days) {
  const auto seconds = static_cast<long>(days) * 86400;
  const auto before_end = openssl(
      {"x509", "-in", certificate.string(), "-noout", "-checkend", std::to_string(seconds - 3600)},
      certificate.parent_path());
  const auto after_end = openssl(
      {"x509", "-in", certificate.string(), "-noout", "-checkend", std::to_string(seconds + 3600)},
      certificate.parent_path());
  EXPECT_EQ(before_end.exit_code, 0) << "expires too early";
  EXPECT_EQ(after_end.exit_code, 1) << "lives too long";
}

TEST(GenCaLocal, GeneratedRootAndCaPassOpensslsChecks) {
  TempDir temp;
  const auto result =
      gen_ca(temp, {"--provider", "local", "--generate-root", "--output-dir", "out", "--key-type",
                    "ecdsa", "--key-length", "384", "--validity-days", "400", "--dns-name",
                    "ca.mesh.example", "--email", "sec@example.com", "--organization", "Example"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_no_private_key_shown(result);
  const auto out = temp.path() / "out";
  EXPECT_EQ(files_below(out),
            (std::vector<std::string>{"ca-cert.pem", "ca-key.pem", "cert-chain.pem",
                                      "root-cert.pem", "root-key.pem"}));
  expect_chain_verifies(out);
  expect_key_matches(out);
  expect_validity_days(out / "ca-cert.pem", 400);

  const auto text = x509_text(out / "ca-cert.pem");
  EXPECT_NE(text.find("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("X509v3 Key Usage: critical\n                Digital Signature, "
                      "Certificate Sign, CRL Sign"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("DNS:ca.mesh.example, email:sec@example.com"), std::string::npos) << text;
  EXPECT_NE(
      text.find("Subject: C = US, O = Example, L = Sunnyvale, ST = California, CN = Istio CA"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("NIST CURVE: P-384"), std::string::npos) << text;
  EXPECT_NE(text.find("Signature Algorithm: ecdsa-with-SHA384"), std::string::npos) << text;

  EXPECT_EQ(file_mode(out / "ca-key.pem"), 0600u);
  EXPECT_EQ(file_mode(out / "root-key.pem"), 0600u);
  EXPECT_EQ(file_mode(out / "ca-cert.pem"), 0644u);
  EXPECT_EQ(file_mode(out), 0700u);
  EXPECT_NE(result.out.find("kubectl rollout restart deployment/istiod -n istio-system"),
            std::string::npos);
}

TEST(GenCaLocal, SignsWithAGivenRootAndPathLength) {
  TempDir temp;
  const auto root = make_root(
      temp.path(), "root", 3650,
      {"basicConstraints=critical,CA:TRUE,pathlen:2", "keyUsage=critical,keyCertSign,cRLSign"});
  const auto result =
      gen_ca(temp, {"--provider", "local", "--root-cert", root.cert.string(), "--root-key",
                    root.key.string(), "--path-len", "1", "--key-type", "rsa", "--key-length",
                    "3072", "--validity-days", "365", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto out = temp.path() / "out";
  expect_chain_verifies(out);
  expect_key_matches(out);
  expect_validity_days(out / "ca-cert.pem", 365);
  const auto text = x509_text(out / "ca-cert.pem");
  EXPECT_NE(text.find("CA:TRUE, pathlen:1"), std::string::npos) << text;
  EXPECT_NE(text.find("Public-Key: (3072 bit)"), std::string::npos) << text;
  EXPECT_NE(text.find("Issuer: O = Test, CN = root"), std::string::npos) << text;
  EXPECT_EQ(*read_file(out / "root-cert.pem"), *read_file(root.cert));
  EXPECT_FALSE(fs::exists(out / "root-key.pem"));
}

TEST(GenCaLocal, WithoutValidityDaysTheCaEndsWithTheRoot) {
  // Roots made with Istio's own tools expire before now + 3650 days: no reason to refuse.
  TempDir temp;
  const auto root = make_root(temp.path(), "root", 30, {"basicConstraints=critical,CA:TRUE"});
  const auto result = gen_ca(temp, {"--provider", "local", "--root-cert", root.cert.string(),
                                    "--root-key", root.key.string(), "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("note: the CA is valid until the root certificate expires on "),
            std::string::npos)
      << result.err;
  expect_chain_verifies(temp.path() / "out");
  expect_validity_days(temp.path() / "out" / "ca-cert.pem", 30);
}

TEST(GenCaLocal, SignsWithAnIntermediateWhoseChainIsInTheRootFile) {
  TempDir temp;
  const auto root = make_root(temp.path(), "root", 3650,
                              {"basicConstraints=critical,CA:TRUE", "keyUsage=keyCertSign"});
  // An offline root signs an intermediate, which signs the Istio CA.
  ASSERT_EQ(gen_ca(temp, {"--provider", "local", "--root-cert", root.cert.string(), "--root-key",
                          root.key.string(), "--path-len", "1", "--validity-days", "1000",
                          "--common-name", "Intermediate", "--output-dir", "intermediate"})
                .exit_code,
            0);
  const auto result = gen_ca(
      temp, {"--provider", "local", "--root-cert", "intermediate/cert-chain.pem", "--root-key",
             "intermediate/ca-key.pem", "--validity-days", "100", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto out = temp.path() / "out";
  expect_chain_verifies(out);
  EXPECT_EQ(*read_file(out / "root-cert.pem"), *read_file(root.cert));
  EXPECT_EQ(
      *read_file(out / "cert-chain.pem"),
      *read_file(out / "ca-cert.pem") + *read_file(temp.path() / "intermediate/cert-chain.pem"));
}

TEST(GenCaLocal, WritesTheSecretYamlWithTheConfiguredNamespace) {
  TempDir temp;
  const auto result =
      gen_ca(temp, {"--provider", "local", "--generate-root", "--disable-secret-creation",
                    "--istio-ca-namespace", "mesh-a", "--key-type", "ecdsa"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_no_private_key_shown(result);
  const auto secrets = temp.path() / "home" / "secret";
  const auto files = files_below(secrets);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].starts_with("getmesh-") && files[0].ends_with(".yaml")) << files[0];
  EXPECT_EQ(file_mode(secrets / files[0]), 0600u);
  EXPECT_EQ(file_mode(secrets), 0700u);
  EXPECT_NE(result.out.find("Kubernetes Secret YAML created successfully in " +
                            (secrets / files[0]).string()),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("kubectl apply -f " + (secrets / files[0]).string()),
            std::string::npos);
  EXPECT_NE(result.out.find("kubectl rollout restart deployment/istiod -n mesh-a"),
            std::string::npos);

  const auto secret = YAML::LoadFile((secrets / files[0]).string());
  EXPECT_EQ(secret["kind"].as<std::string>(), "Secret");
  EXPECT_EQ(secret["metadata"]["name"].as<std::string>(), "cacerts");
  EXPECT_EQ(secret["metadata"]["namespace"].as<std::string>(), "mesh-a");
  fs::create_directory(temp.path() / "decoded");
  for (const char* name : kCaFiles) {
    const auto decoded = base64_decode(secret["data"][name].as<std::string>());
    ASSERT_TRUE(decoded.has_value()) << name;
    temp.write(std::string("decoded/") + name, *decoded);
  }
  expect_chain_verifies(temp.path() / "decoded");
  expect_key_matches(temp.path() / "decoded");
}

TEST(GenCaLocal, WritesTheSecretYamlToTheGivenPath) {
  TempDir temp;
  const auto result = gen_ca(temp, {"--provider", "local", "--generate-root", "--key-type", "ecdsa",
                                    "--secret-file-path", "cacerts.yaml"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(file_mode(temp.path() / "cacerts.yaml"), 0600u);
  EXPECT_EQ(files_below(temp.path() / "home" / "secret"), std::vector<std::string>{});
  EXPECT_NE(read_file(temp.path() / "cacerts.yaml")->find("namespace: istio-system"),
            std::string::npos);
}

TEST(GenCaLocal, DryRunPrintsTheSecretWithoutTheKeyAndWritesNothing) {
  TempDir temp;
  const auto result =
      gen_ca(temp, {"--provider", "local", "--generate-root", "--key-type", "ecdsa", "--dry-run",
                    "--output-dir", "out", "--disable-secret-creation"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto secret = YAML::Load(result.out);
  EXPECT_EQ(secret["metadata"]["namespace"].as<std::string>(), "istio-system");
  EXPECT_EQ(secret["data"]["ca-key.pem"].as<std::string>(), "<redacted>");
  EXPECT_TRUE(base64_decode(secret["data"]["ca-cert.pem"].as<std::string>())
                  ->starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_NE(result.err.find("dry run: nothing was written"), std::string::npos) << result.err;
  expect_no_private_key_shown(result);
  EXPECT_FALSE(fs::exists(temp.path() / "out"));
  EXPECT_EQ(files_below(temp.path() / "home"), std::vector<std::string>{});
}

TEST(GenCaLocal, ConfigFileSubjectSurvivesAndFlagsOverrideIt) {
  TempDir temp;
  temp.write("gen-ca.yaml", R"(providerName: local
providerConfig:
  local: {generateRoot: true}
certificateParameters:
  caOptions:
    certSigningRequestParams:
      subject:
        commonname: File CA
        country: [DE]
        organization: [FileOrg]
        organizationalunit: [Mesh]
        locality: [Berlin]
        province: [Berlin]
      dnsnames: [ca.file.example]
    validityDays: 90
    keyType: ecdsa
)");
  const auto result = gen_ca(
      temp, {"--config-file", "gen-ca.yaml", "--organization", "FlagOrg", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto text = x509_text(temp.path() / "out" / "ca-cert.pem");
  EXPECT_NE(
      text.find("Subject: C = DE, O = FlagOrg, OU = Mesh, L = Berlin, ST = Berlin, CN = File CA"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("DNS:ca.file.example"), std::string::npos);
  expect_validity_days(temp.path() / "out" / "ca-cert.pem", 90);
}

}  // namespace
}  // namespace getmesh::testing
