#include "ca/encoding.hpp"

#include <getmesh/ca/cert_manager_resources.hpp>
#include <getmesh/ca/check.hpp>
#include <getmesh/ca/local.hpp>
#include <getmesh/ca/secret.hpp>
#include <getmesh/core/base64.hpp>

#include <gtest/gtest.h>

namespace getmesh::ca {
namespace {

IssueRequest ecdsa_request() {
  IssueRequest request;
  request.subject.common_name = "Istio CA";
  request.subject.organization = {"Istio"};
  request.subject.country = {"US"};
  request.dns_names = {"ca.istio.io"};
  request.emails = {"pki@example.com"};
  request.key = {KeyType::kEcdsa, 384};
  request.validity_days = 365;
  return request;
}

TEST(CertManagerResources, CertificateAsksForACaWithTheRequestedKey) {
  const CertManagerOptions options{"mesh-root", "ClusterIssuer", "pki"};
  const auto certificate = certificate_resource(ecdsa_request(), options, "getmesh-istio-ca-abc");
  EXPECT_EQ(certificate, nlohmann::json::parse(R"({
    "apiVersion": "cert-manager.io/v1",
    "kind": "Certificate",
    "metadata": {"name": "getmesh-istio-ca-abc", "namespace": "pki",
                 "labels": {"app.kubernetes.io/managed-by": "getmesh"}},
    "spec": {
      "isCA": true,
      "secretName": "getmesh-istio-ca-abc",
      "secretTemplate": {"labels": {"app.kubernetes.io/managed-by": "getmesh"}},
      "duration": "8760h",
      "usages": ["cert sign", "crl sign", "digital signature", "key encipherment"],
      "privateKey": {"algorithm": "ECDSA", "size": 384, "encoding": "PKCS8",
                     "rotationPolicy": "Always"},
      "issuerRef": {"name": "mesh-root", "kind": "ClusterIssuer", "group": "cert-manager.io"},
      "commonName": "Istio CA",
      "subject": {"countries": ["US"], "organizations": ["Istio"]},
      "dnsNames": ["ca.istio.io"],
      "emailAddresses": ["pki@example.com"]
    }})"));

  auto rsa = ecdsa_request();
  rsa.key = {KeyType::kRsa, 3072};
  rsa.subject = {};
  rsa.emails = {};
  const auto spec = certificate_resource(rsa, options, "x")["spec"];
  EXPECT_EQ(spec["privateKey"]["algorithm"], "RSA");
  EXPECT_EQ(spec["privateKey"]["size"], 3072);
  EXPECT_FALSE(spec.contains("subject"));
  EXPECT_FALSE(spec.contains("commonName"));
  EXPECT_FALSE(spec.contains("emailAddresses"));
}

TEST(CertManagerResources, ProgressFollowsTheConditions) {
  const auto none = certificate_progress(nlohmann::json::object());
  EXPECT_FALSE(none.ready);
  EXPECT_FALSE(none.failed);
  EXPECT_EQ(none.summary, "no status yet");

  const auto issuing = certificate_progress(nlohmann::json::parse(R"({"status": {"conditions": [
      {"type": "Ready", "status": "False", "reason": "DoesNotExist", "message": "Issuing certificate as Secret does not exist"},
      {"type": "Issuing", "status": "True", "reason": "DoesNotExist"}]}})"));
  EXPECT_FALSE(issuing.ready);
  EXPECT_FALSE(issuing.failed);
  EXPECT_EQ(issuing.summary,
            "Ready False (DoesNotExist): Issuing certificate as Secret does not exist; "
            "Issuing True (DoesNotExist)");

  const auto failed = certificate_progress(nlohmann::json::parse(R"({"status": {"conditions": [
      {"type": "Ready", "status": "False", "reason": "DoesNotExist"},
      {"type": "Issuing", "status": "False", "reason": "Failed", "message": "The certificate request has failed to complete and will be retried: issuer not ready"}]}})"));
  EXPECT_TRUE(failed.failed);
  EXPECT_FALSE(failed.ready);
  EXPECT_EQ(failed.summary,
            "Ready False (DoesNotExist); Issuing False (Failed): The certificate request has "
            "failed to complete and will be retried: issuer not ready");

  const auto ready = certificate_progress(nlohmann::json::parse(
      R"({"status": {"conditions": [{"type": "Ready", "status": "True"}, 7]}})"));
  EXPECT_TRUE(ready.ready);
  EXPECT_FALSE(ready.failed);
}

TEST(CertManagerResources, IssuerReadiness) {
  EXPECT_EQ(issuer_unready(nlohmann::json::object()), "");
  EXPECT_EQ(issuer_unready(nlohmann::json::parse(
                R"({"status": {"conditions": [{"type": "Ready", "status": "True"}]}})")),
            "");
  EXPECT_EQ(issuer_unready(nlohmann::json::parse(R"({"status": {"conditions": [
                {"type": "Ready", "status": "False", "reason": "ErrGetKeyPair",
                 "message": "Error getting keypair for CA issuer"}]}})")),
            "Ready False (ErrGetKeyPair): Error getting keypair for CA issuer");
}

class TlsSecret : public ::testing::Test {
 protected:
  void SetUp() override {
    auto root = generate_local_root(ecdsa_request(), 730, std::chrono::system_clock::now());
    ASSERT_TRUE(root.ok());
    root_ = *root;
    auto issued = make_local_provider(*root)->issue(ecdsa_request());
    ASSERT_TRUE(issued.ok());
    issued_ = *issued;
  }

  static nlohmann::json secret(const std::string& tls_crt, const std::string& tls_key,
                               const std::string& ca_crt) {
    nlohmann::json data = nlohmann::json::object();
    if (!tls_crt.empty()) data["tls.crt"] = base64_encode(tls_crt);
    if (!tls_key.empty()) data["tls.key"] = base64_encode(tls_key);
    if (!ca_crt.empty()) data["ca.crt"] = base64_encode(ca_crt);
    return {{"type", "kubernetes.io/tls"}, {"data", data}};
  }

  LocalRoot root_;
  CaBundle issued_;
};

TEST_F(TlsSecret, CertificateAndCaCrtBecomeTheBundle) {
  auto bundle =
      bundle_from_tls_secret(secret(issued_.ca_cert, issued_.ca_key, root_.chain_pem), "the s");
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ(bundle->ca_cert, issued_.ca_cert);
  EXPECT_EQ(bundle->ca_key, issued_.ca_key);
  EXPECT_EQ(bundle->root_cert, issued_.root_cert);
  EXPECT_EQ(bundle->cert_chain, issued_.cert_chain);
  EXPECT_TRUE(check_bundle(*bundle, {}).ok());
}

TEST_F(TlsSecret, AChainInTlsCrtIsNotRepeatedFromCaCrt) {
  // tls.crt already carries the root after the CA; ca.crt repeats it.
  auto bundle = bundle_from_tls_secret(
      secret(issued_.ca_cert + root_.chain_pem, issued_.ca_key, root_.chain_pem), "the s");
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ(bundle->cert_chain, issued_.ca_cert + root_.chain_pem);
  // Without ca.crt the chain in tls.crt is enough.
  auto without_ca = bundle_from_tls_secret(
      secret(issued_.ca_cert + root_.chain_pem, issued_.ca_key, ""), "the s");
  ASSERT_TRUE(without_ca.ok()) << without_ca.error().message;
  EXPECT_EQ(without_ca->root_cert, issued_.root_cert);
}

TEST_F(TlsSecret, MissingOrBrokenFieldsAreNamed) {
  const auto no_key = bundle_from_tls_secret(secret(issued_.ca_cert, "", ""), "the Secret s");
  ASSERT_FALSE(no_key.ok());
  EXPECT_EQ(no_key.error().message, "the Secret s has no tls.key");

  const auto no_issuer =
      bundle_from_tls_secret(secret(issued_.ca_cert, issued_.ca_key, ""), "the Secret s");
  ASSERT_FALSE(no_issuer.ok());
  EXPECT_EQ(no_issuer.error().message, "the Secret s holds neither the issuer's chain nor ca.crt");

  auto not_base64 = secret(issued_.ca_cert, issued_.ca_key, root_.chain_pem);
  not_base64["data"]["tls.crt"] = "***";
  const auto broken = bundle_from_tls_secret(not_base64, "the Secret s");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message, "the Secret s holds tls.crt that is not base64");
}

TEST(CacertsSecret, ObjectCarriesTheFourDocuments) {
  const CaBundle bundle{"cert", "key", "root", "chain"};
  const auto secret = secret_object(bundle, "mesh");
  EXPECT_EQ(secret["metadata"], (nlohmann::json{{"name", "cacerts"}, {"namespace", "mesh"}}));
  EXPECT_EQ(secret["type"], "Opaque");
  EXPECT_EQ(secret["data"], (nlohmann::json{{"ca-cert.pem", base64_encode("cert")},
                                            {"ca-key.pem", base64_encode("key")},
                                            {"cert-chain.pem", base64_encode("chain")},
                                            {"root-cert.pem", base64_encode("root")}}));
}

}  // namespace
}  // namespace getmesh::ca
