#include <getmesh/ca/certificate_info.hpp>
#include <getmesh/ca/check.hpp>
#include <getmesh/ca/csr.hpp>
#include <getmesh/ca/keys.hpp>
#include <getmesh/ca/local.hpp>

#include <gtest/gtest.h>

namespace getmesh::ca {
namespace {

using Clock = std::chrono::system_clock;

IssueRequest sample_request(KeySpec key = {KeyType::kEcdsa, 256}) {
  IssueRequest request;
  request.subject.common_name = "Istio CA";
  request.subject.organization = {"Istio"};
  request.subject.country = {"US"};
  request.dns_names = {"ca.istio.io"};
  request.emails = {"ops@example.com"};
  request.key = key;
  request.validity_days = 30;
  request.path_len = 0;
  return request;
}

CaBundle issue_with_new_root(const IssueRequest& request, int root_days = 60) {
  auto root = generate_local_root(request, root_days, Clock::now());
  EXPECT_TRUE(root.ok()) << root.error().message;
  auto bundle = make_local_provider(*root)->issue(request);
  EXPECT_TRUE(bundle.ok()) << bundle.error().message;
  return *bundle;
}

TEST(Keys, GeneratesPkcs8KeysOfEverySupportedKind) {
  for (const KeySpec spec : {KeySpec{KeyType::kRsa, 2048}, KeySpec{KeyType::kEcdsa, 256},
                             KeySpec{KeyType::kEcdsa, 384}}) {
    auto key = generate_private_key(spec);
    ASSERT_TRUE(key.ok()) << describe(spec);
    EXPECT_TRUE(key->starts_with("-----BEGIN PRIVATE KEY-----\n")) << describe(spec);
    auto public_key = public_key_of(*key);
    ASSERT_TRUE(public_key.ok());
    EXPECT_TRUE(public_key->starts_with("-----BEGIN PUBLIC KEY-----\n"));
  }
}

TEST(Keys, RejectsUnsupportedSizes) {
  for (const KeySpec spec : {KeySpec{KeyType::kRsa, 1024}, KeySpec{KeyType::kRsa, 20},
                             KeySpec{KeyType::kEcdsa, 521}, KeySpec{KeyType::kEcdsa, 2048}}) {
    const auto key = generate_private_key(spec);
    ASSERT_FALSE(key.ok()) << describe(spec);
    EXPECT_EQ(key.error().kind, ErrorKind::kUsage);
    EXPECT_NE(key.error().hint, "");
  }
}

TEST(Csr, IsAPemCertificateRequest) {
  auto key = generate_private_key({KeyType::kEcdsa, 256});
  ASSERT_TRUE(key.ok());
  auto csr = create_csr(sample_request(), *key);
  ASSERT_TRUE(csr.ok()) << csr.error().message;
  EXPECT_TRUE(csr->starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
}

TEST(LocalProvider, IssuesACaThatPassesTheBundleChecks) {
  const auto request = sample_request();
  const auto bundle = issue_with_new_root(request);
  EXPECT_TRUE(check_bundle(bundle, {0, Clock::now()}).ok());

  auto info = inspect_certificate(bundle.ca_cert, "ca-cert.pem");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->subject, "CN=Istio CA,O=Istio,C=US");
  EXPECT_EQ(info->issuer, "CN=Root CA,O=Istio");
  EXPECT_TRUE(info->is_ca);
  EXPECT_EQ(info->path_len, 0);
  EXPECT_TRUE(info->key_cert_sign);
  EXPECT_TRUE(info->crl_sign);
  EXPECT_EQ(info->dns_names, std::vector<std::string>{"ca.istio.io"});
  EXPECT_EQ(info->emails, std::vector<std::string>{"ops@example.com"});
  const auto lifetime = info->not_after - Clock::now();
  EXPECT_GT(lifetime, std::chrono::hours(30 * 24) - std::chrono::minutes(1));
  EXPECT_LE(lifetime, std::chrono::hours(30 * 24));
  EXPECT_EQ(bundle.cert_chain, bundle.ca_cert + bundle.root_cert);
}

TEST(LocalProvider, HonoursThePathLength) {
  auto request = sample_request({KeyType::kRsa, 2048});
  request.path_len = 2;
  const auto bundle = issue_with_new_root(request);
  EXPECT_TRUE(check_bundle(bundle, {2, Clock::now()}).ok());
  auto info = inspect_certificate(bundle.ca_cert, "ca-cert.pem");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->path_len, 2);
}

TEST(LocalProvider, RefusesAValidityPastTheRootsEnd) {
  auto request = sample_request();
  auto root = generate_local_root(request, 10, Clock::now());
  ASSERT_TRUE(root.ok());
  const auto bundle = make_local_provider(*root)->issue(request);
  ASSERT_FALSE(bundle.ok());
  EXPECT_NE(bundle.error().message.find("would outlive the root certificate"), std::string::npos)
      << bundle.error().message;
  EXPECT_NE(bundle.error().hint.find("--validity-days 9"), std::string::npos)
      << bundle.error().hint;
}

TEST(LocalProvider, FitsTheValidityToTheRootWhenAskedAndSaysSo) {
  auto request = sample_request();
  request.validity_days = 3650;
  auto root = generate_local_root(request, 10, Clock::now());
  ASSERT_TRUE(root.ok());
  std::string note;
  const auto bundle =
      make_local_provider(*root, true, [&](std::string_view text) { note = text; })->issue(request);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  const auto ca = inspect_certificate(bundle->ca_cert, "ca-cert.pem");
  const auto root_info = inspect_certificate(bundle->root_cert, "root-cert.pem");
  ASSERT_TRUE(ca.ok() && root_info.ok());
  EXPECT_EQ(ca->not_after, root_info->not_after);
  EXPECT_NE(note.find("the CA is valid until the root certificate expires on"), std::string::npos)
      << note;
  EXPECT_NE(note.find("(9 days instead of 3650)"), std::string::npos) << note;
}

TEST(BundleCheck, CatchesAKeyThatIsNotTheCertificates) {
  auto bundle = issue_with_new_root(sample_request());
  auto other = generate_private_key({KeyType::kEcdsa, 256});
  ASSERT_TRUE(other.ok());
  bundle.ca_key = *other;
  const auto checked = check_bundle(bundle, {0, Clock::now()});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message, "ca-key.pem is not the private key of ca-cert.pem");
}

TEST(BundleCheck, CatchesAChainFromAnotherRoot) {
  auto bundle = issue_with_new_root(sample_request());
  const auto stranger = issue_with_new_root(sample_request());
  bundle.root_cert = stranger.root_cert;
  bundle.cert_chain = bundle.ca_cert + stranger.root_cert;
  const auto checked = check_bundle(bundle, {0, Clock::now()});
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("does not verify against root-cert.pem"),
            std::string::npos)
      << checked.error().message;
}

TEST(BundleCheck, CatchesAChainThatDoesNotStartWithTheCa) {
  auto bundle = issue_with_new_root(sample_request());
  bundle.cert_chain = bundle.root_cert;
  const auto checked = check_bundle(bundle, {0, Clock::now()});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message, "cert-chain.pem does not start with ca-cert.pem");
}

TEST(BundleCheck, CatchesTheWrongPathLength) {
  const auto bundle = issue_with_new_root(sample_request());
  const auto checked = check_bundle(bundle, {1, Clock::now()});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message,
            "ca-cert.pem has path length 0 where path length 1 was asked for");
}

TEST(BundleCheck, CatchesAnExpiredChain) {
  const auto bundle = issue_with_new_root(sample_request());
  const auto checked = check_bundle(bundle, {0, Clock::now() + std::chrono::hours(24 * 31)});
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("certificate has expired"), std::string::npos)
      << checked.error().message;
}

}  // namespace
}  // namespace getmesh::ca
