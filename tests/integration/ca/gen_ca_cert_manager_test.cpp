// gen-ca's cert-manager provider against the test Kubernetes API server, with
// tests/servers/cert_manager_controller.py issuing Certificates as cert-manager's CA issuer does.
#include "integration/ca/ca_cli.hpp"
#include "integration/ca/ca_cluster.hpp"
#include "support/background_process.hpp"
#include "support/loopback_server.hpp"

#include <getmesh/ca/certificate_info.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

namespace getmesh::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

const std::string kCertificates = "/apis/cert-manager.io/v1/certificates";

nlohmann::json crd(const std::string& kind, const std::string& plural, bool namespaced) {
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", plural + ".cert-manager.io"}}},
          {"spec",
           {{"group", "cert-manager.io"},
            {"names", {{"kind", kind}, {"plural", plural}}},
            {"scope", namespaced ? "Namespaced" : "Cluster"},
            {"versions", {{{"name", "v1"}, {"served", true}, {"storage", true}}}}}}};
}

nlohmann::json issuer(const std::string& kind, const std::string& name,
                      const std::string& namespace_name, bool ready = true) {
  nlohmann::json metadata = {{"name", name}};
  if (!namespace_name.empty()) metadata["namespace"] = namespace_name;
  const nlohmann::json condition =
      ready ? nlohmann::json{{"type", "Ready"}, {"status", "True"}, {"reason", "KeyPairVerified"}}
            : nlohmann::json{{"type", "Ready"},
                             {"status", "False"},
                             {"reason", "ErrGetKeyPair"},
                             {"message", "Error getting keypair for CA issuer: secret not found"}};
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", kind},
          {"metadata", metadata},
          {"spec", {{"ca", {{"secretName", "root-ca"}}}}},
          {"status", {{"conditions", {condition}}}}};
}

// Namespaces istio-system and pki; Issuers mesh-ca, stuck-ca, broken-ca and unready-ca in
// istio-system, ClusterIssuer cluster-ca.
KubeApiServerOptions cert_manager_cluster(nlohmann::json extra = nlohmann::json::array()) {
  KubeApiServerOptions options;
  options.objects = {namespace_object("istio-system"),
                     namespace_object("pki"),
                     crd("Certificate", "certificates", true),
                     crd("Issuer", "issuers", true),
                     crd("ClusterIssuer", "clusterissuers", false),
                     issuer("Issuer", "mesh-ca", "istio-system"),
                     issuer("Issuer", "stuck-ca", "istio-system"),
                     issuer("Issuer", "broken-ca", "istio-system"),
                     issuer("Issuer", "unready-ca", "istio-system", false),
                     issuer("ClusterIssuer", "cluster-ca", "")};
  for (auto& object : extra) options.objects.push_back(std::move(object));
  return options;
}

class GenCaCertManager : public ::testing::Test {
 protected:
  void start(KubeApiServerOptions options) {
    server_ = std::make_unique<KubeApiServer>(std::move(options));
    const auto python = python_with({"json", "ssl"});
    ASSERT_FALSE(python.empty()) << "no python3";
    const auto controller_dir = temp_.path() / "controller";
    fs::create_directories(controller_dir);
    controller_ = std::make_unique<LoopbackServer>(
        std::vector<std::string>{
            python, "-B", std::string(GETMESH_TEST_SERVERS_DIR) + "/cert_manager_controller.py",
            "--api", server_->url(), "--ca-cert", TestCertificates::get().ca_cert.string(),
            "--token", "test-token", "--dir", controller_dir.string()},
        controller_dir / "controller.log");
    kubeconfig_ = write_kubeconfig(temp_, {server_->url()});
  }

  [[nodiscard]] std::vector<std::string> args(const std::string& issuer_name,
                                              std::vector<std::string> extra = {}) const {
    std::vector<std::string> all{"--kubeconfig", kubeconfig_,     "--provider",
                                 "cert-manager", "--issuer-name", issuer_name};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }

  RunResult run(const std::string& issuer_name, std::vector<std::string> extra = {}) {
    return gen_ca(temp_, args(issuer_name, std::move(extra)));
  }

  // The Certificates the controller saw, as first created by getmesh.
  [[nodiscard]] std::vector<nlohmann::json> certificates_seen() const {
    std::vector<nlohmann::json> seen;
    const auto text = read_file(temp_.path() / "controller" / "certificates.jsonl");
    if (!text) return seen;
    for (const auto& line : split(*text, '\n')) {
      if (!line.empty()) seen.push_back(nlohmann::json::parse(line));
    }
    return seen;
  }

  // No Certificate and no Secret but `kept` anywhere.
  void expect_no_leftovers(const std::vector<std::string>& kept = {}) const {
    const auto client = client_of(temp_, *server_);
    EXPECT_THAT(object_names(client, kCertificates), IsEmpty());
    EXPECT_EQ(object_names(client, "/api/v1/secrets"), kept);
  }

  TempDir temp_;
  std::unique_ptr<KubeApiServer> server_;
  std::unique_ptr<LoopbackServer> controller_;
  std::string kubeconfig_;
};

TEST_F(GenCaCertManager, IssuesThroughACertificateAndCreatesCacerts) {
  start(cert_manager_cluster());
  const auto result =
      run("mesh-ca", {"--key-type", "ecdsa", "--key-length", "384", "--validity-days", "30",
                      "--dns-name", "ca.mesh.example", "--email", "pki@example.com"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Kubernetes Secret created successfully with name: cacerts, "
                                    "in namespace: istio-system"));
  EXPECT_THAT(result.out, HasSubstr("rollout restart deployment/istiod -n istio-system"));
  EXPECT_THAT(result.err, HasSubstr("waiting up to 300 seconds for cert-manager to issue "
                                    "Certificate istio-system/getmesh-istio-ca-"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("PRIVATE KEY")));

  const auto seen = certificates_seen();
  ASSERT_EQ(seen.size(), 1u);
  const auto& metadata = seen[0]["metadata"];
  EXPECT_THAT(metadata["name"].get<std::string>(), MatchesRegex("getmesh-istio-ca-[a-z0-9]{10}"));
  EXPECT_EQ(metadata["namespace"], "istio-system");
  EXPECT_EQ(metadata["labels"], (nlohmann::json{{"app.kubernetes.io/managed-by", "getmesh"}}));
  const auto& spec = seen[0]["spec"];
  EXPECT_EQ(spec["isCA"], true);
  EXPECT_EQ(spec["duration"], "720h");
  EXPECT_EQ(spec["usages"],
            (nlohmann::json{"cert sign", "crl sign", "digital signature", "key encipherment"}));
  EXPECT_EQ(spec["privateKey"]["algorithm"], "ECDSA");
  EXPECT_EQ(spec["privateKey"]["size"], 384);
  EXPECT_EQ(
      spec["issuerRef"],
      (nlohmann::json{{"name", "mesh-ca"}, {"kind", "Issuer"}, {"group", "cert-manager.io"}}));
  EXPECT_EQ(spec["commonName"], "Istio CA");
  EXPECT_EQ(spec["subject"]["organizations"], nlohmann::json{"Istio"});
  EXPECT_EQ(spec["dnsNames"], nlohmann::json{"ca.mesh.example"});
  EXPECT_EQ(spec["emailAddresses"], nlohmann::json{"pki@example.com"});
  EXPECT_EQ(spec["secretName"], metadata["name"]);

  // The temporary Certificate and its Secret are gone; cacerts holds the CA.
  expect_no_leftovers({"cacerts"});
  const auto secret = read_object(client_of(temp_, *server_), kCacerts);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ((*secret)["type"], "Opaque");
  const auto decoded = temp_.path() / "decoded";
  write_secret_documents(*secret, decoded);
  expect_bundle_verifies(decoded);
  const auto text = x509_text(decoded / "ca-cert.pem");
  EXPECT_THAT(text, HasSubstr("CA:TRUE"));
  EXPECT_THAT(text, HasSubstr("Digital Signature, Key Encipherment, Certificate Sign, CRL Sign"));
  EXPECT_THAT(text, HasSubstr("ASN1 OID: secp384r1"));
  EXPECT_THAT(text, HasSubstr("DNS:ca.mesh.example, email:pki@example.com"));
  EXPECT_THAT(text, HasSubstr("Subject: C = US, ST = California, L = Sunnyvale, O = Istio, "
                              "CN = Istio CA"));
  EXPECT_EQ(
      openssl({"x509", "-in", "ca-cert.pem", "-noout", "-checkend", std::to_string(29 * 86400)},
              decoded)
          .exit_code,
      0);
  EXPECT_EQ(
      openssl({"x509", "-in", "ca-cert.pem", "-noout", "-checkend", std::to_string(31 * 86400)},
              decoded)
          .exit_code,
      1);
  // The chain runs ca-cert -> the issuer's CA -> its root.
  const auto chain = ca::split_certificates(*read_file(decoded / "cert-chain.pem"), "chain");
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(chain->size(), 3u);
}

TEST_F(GenCaCertManager, TheIstioNamespaceHoldsTheCertificateAndTheSecret) {
  start(cert_manager_cluster({namespace_object("mesh"), issuer("Issuer", "mesh-ca", "mesh")}));
  const auto result = run("mesh-ca", {"--istio-ca-namespace", "mesh"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("rollout restart deployment/istiod -n mesh\n"));
  const auto seen = certificates_seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["metadata"]["namespace"], "mesh");
  const auto client = client_of(temp_, *server_);
  EXPECT_TRUE(read_object(client, "/api/v1/namespaces/mesh/secrets/cacerts").has_value());
  expect_no_leftovers({"cacerts"});
  EXPECT_FALSE(read_object(client, kCacerts).has_value());
}

TEST_F(GenCaCertManager, AClusterIssuerFromAConfigFileIntoFiles) {
  start(cert_manager_cluster());
  temp_.write("gen-ca.yaml", R"(providerName: cert-manager
providerConfig:
  certManager: {issuerName: cluster-ca, issuerKind: ClusterIssuer, certificateNamespace: pki}
certificateParameters:
  caOptions:
    certSigningRequestParams:
      subject: {commonname: Mesh CA, organization: [Example]}
    keyLength: 3072
)");
  const auto result = gen_ca(
      temp_, {"--kubeconfig", kubeconfig_, "--config-file", "gen-ca.yaml", "--output-dir", "out"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_bundle_verifies(temp_.path() / "out");
  EXPECT_EQ(file_mode(temp_.path() / "out" / "ca-key.pem"), 0600u);
  const auto text = x509_text(temp_.path() / "out" / "ca-cert.pem");
  EXPECT_THAT(text, HasSubstr("Public-Key: (3072 bit)"));
  EXPECT_THAT(text, HasSubstr("O = Example, CN = Mesh CA"));
  const auto seen = certificates_seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["metadata"]["namespace"], "pki");
  EXPECT_EQ(seen[0]["spec"]["issuerRef"]["kind"], "ClusterIssuer");
  EXPECT_EQ(seen[0]["spec"]["privateKey"]["algorithm"], "RSA");
  // Files only: no cacerts Secret, and nothing of the issuance is left.
  expect_no_leftovers();
}

TEST_F(GenCaCertManager, ACertificateThatNeverBecomesReadyTimesOut) {
  start(cert_manager_cluster());
  const auto result = run("stuck-ca", {"--timeout", "3s"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, MatchesRegex("(.|\n)*error: cert-manager did not issue Certificate "
                                       "istio-system/getmesh-istio-ca-[a-z0-9]{10} within 3 "
                                       "seconds; last seen: Ready False \\(DoesNotExist\\): "
                                       "Issuing certificate as Secret does not exist; Issuing "
                                       "True \\(DoesNotExist\\)(.|\n)*"));
  EXPECT_THAT(result.err, HasSubstr("hint: raise --timeout, or check the Issuer \"stuck-ca\" in "
                                    "namespace istio-system"));
  EXPECT_THAT(result.out, IsEmpty());
  EXPECT_EQ(certificates_seen().size(), 1u);
  expect_no_leftovers();
}

TEST_F(GenCaCertManager, AFailedCertificateIsReportedWithItsReason) {
  start(cert_manager_cluster());
  const auto result = run("broken-ca");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("Issuing False (Failed): The certificate request has failed "
                                    "to complete and will be retried: Error signing certificate: "
                                    "the CA issuer's key pair is not valid; nothing was written"));
  EXPECT_THAT(result.err, HasSubstr("error: cert-manager could not issue Certificate "
                                    "istio-system/getmesh-istio-ca-"));
  expect_no_leftovers();
}

TEST_F(GenCaCertManager, AnExistingCacertsIsRefusedBeforeAnythingIsCreated) {
  start(cert_manager_cluster({existing_cacerts("istio-system")}));
  const auto result = run("mesh-ca");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: the secret cacerts already exists in namespace "
                                    "istio-system"));
  // Give the controller a moment: it must have nothing to see.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_THAT(certificates_seen(), IsEmpty());
  EXPECT_THAT(writes(*server_), IsEmpty());
  const auto secret = read_object(client_of(temp_, *server_), kCacerts);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ((*secret)["data"], existing_cacerts("istio-system")["data"]);
}

TEST_F(GenCaCertManager, OverrideReplacesCacerts) {
  start(cert_manager_cluster({existing_cacerts("istio-system")}));
  const auto result = run("mesh-ca", {"--override-existing-ca-cert-secret"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Kubernetes Secret replaced successfully"));
  const auto secret = read_object(client_of(temp_, *server_), kCacerts);
  ASSERT_TRUE(secret.has_value());
  write_secret_documents(*secret, temp_.path() / "decoded");
  expect_bundle_verifies(temp_.path() / "decoded");
  expect_no_leftovers({"cacerts"});
}

TEST_F(GenCaCertManager, MissingOrUnreadyIssuersAndNamespacesAreRefusedBeforeIssuing) {
  start(cert_manager_cluster());
  const auto missing = run("nope", {"--dry-run"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("error: the Issuer \"nope\" in namespace istio-system does "
                                     "not exist on context \"ctx0\""));
  EXPECT_THAT(missing.err, HasSubstr("hint: see the issuers with: kubectl get issuers -n "
                                     "istio-system; a cluster-wide one needs --issuer-kind "
                                     "ClusterIssuer"));

  const auto unready = run("unready-ca", {"--dry-run"});
  EXPECT_EQ(unready.exit_code, 1);
  EXPECT_THAT(unready.err, HasSubstr("error: the Issuer \"unready-ca\" in namespace istio-system "
                                     "is not ready: Ready False (ErrGetKeyPair): Error getting "
                                     "keypair for CA issuer: secret not found; nothing was "
                                     "issued"));

  const auto no_namespace = run("mesh-ca", {"--certificate-namespace", "certs", "--dry-run"});
  EXPECT_EQ(no_namespace.exit_code, 1);
  EXPECT_THAT(no_namespace.err, HasSubstr("error: the namespace certs does not exist"));
  EXPECT_THAT(no_namespace.err, HasSubstr("--certificate-namespace"));

  EXPECT_THAT(writes(*server_), IsEmpty());
}

TEST_F(GenCaCertManager, ForbiddenSecretsStopTheRunBeforeIssuing) {
  auto options = cert_manager_cluster();
  options.forbid = {"secrets"};
  start(std::move(options));
  const auto result = run("mesh-ca");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("may not get secrets \"cacerts\" in namespace istio-system"));
  EXPECT_THAT(writes(*server_), IsEmpty());
}

TEST_F(GenCaCertManager, AnInterruptedWaitDeletesTheCertificate) {
  start(cert_manager_cluster());
  std::vector<std::string> argv{"/usr/bin/env",
                                "-i",
                                "PATH=/usr/bin:/bin",
                                "HOME=" + (temp_.path() / "user").string(),
                                "GETMESH_HOME=" + (temp_.path() / "home").string(),
                                GETMESH_BINARY,
                                "gen-ca"};
  for (auto& arg : args("stuck-ca")) argv.push_back(std::move(arg));
  const auto output = temp_.path() / "getmesh.log";
  BackgroundProcess getmesh(argv, output);
  const auto client = client_of(temp_, *server_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (certificates_seen().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(certificates_seen().size(), 1u) << *read_file(output);
  getmesh.stop();  // SIGTERM
  EXPECT_THAT(*read_file(output), HasSubstr("error: interrupted while waiting for cert-manager"));
  expect_no_leftovers();
}

}  // namespace
}  // namespace getmesh::testing
