#include <getmesh/ca/settings.hpp>

#include <gtest/gtest.h>

namespace getmesh::ca {
namespace {

const std::string kArn = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/abc";

PartialSettings local_flags() {
  PartialSettings flags;
  flags.provider = ProviderKind::kLocal;
  flags.generate_root = true;
  return flags;
}

Settings resolve(const PartialSettings& file, const PartialSettings& flags) {
  auto settings = resolve_settings(file, flags);
  EXPECT_TRUE(settings.ok()) << settings.error().message;
  return settings.ok() ? *settings : Settings{};
}

Error resolve_error(const PartialSettings& file, const PartialSettings& flags) {
  auto settings = resolve_settings(file, flags);
  EXPECT_FALSE(settings.ok());
  return settings.ok() ? Error{} : settings.error();
}

TEST(Settings, AppliesTheOriginalsDefaults) {
  const auto settings = resolve({}, local_flags());
  const auto& request = settings.request;
  EXPECT_EQ(request.subject.common_name, "Istio CA");
  EXPECT_EQ(request.subject.country, std::vector<std::string>{"US"});
  EXPECT_EQ(request.subject.province, std::vector<std::string>{"California"});
  EXPECT_EQ(request.subject.locality, std::vector<std::string>{"Sunnyvale"});
  EXPECT_EQ(request.subject.organization, std::vector<std::string>{"Istio"});
  EXPECT_EQ(request.dns_names, std::vector<std::string>{"ca.istio.io"});
  EXPECT_EQ(request.validity_days, 3650);
  EXPECT_EQ(request.key.type, KeyType::kRsa);
  EXPECT_EQ(request.key.bits, 2048);
  EXPECT_EQ(request.path_len, 0);
  EXPECT_EQ(settings.istio_ca_namespace, "istio-system");
  EXPECT_EQ(settings.timeout, std::chrono::seconds(300));
}

TEST(Settings, FileSubjectFieldsSurviveWhenNoFlagIsGiven) {
  PartialSettings file;
  file.country = {"DE"};
  file.organization = {"Example"};
  file.locality = std::vector<std::string>{};
  file.common_name = "Example CA";
  const auto settings = resolve(file, local_flags());
  EXPECT_EQ(settings.request.subject.country, std::vector<std::string>{"DE"});
  EXPECT_EQ(settings.request.subject.organization, std::vector<std::string>{"Example"});
  EXPECT_EQ(settings.request.subject.locality, std::vector<std::string>{});
  EXPECT_EQ(settings.request.subject.common_name, "Example CA");
  EXPECT_EQ(settings.request.subject.province, std::vector<std::string>{"California"});
}

TEST(Settings, FlagsWinFieldByField) {
  PartialSettings file;
  file.provider = ProviderKind::kAws;
  file.aws_signing_ca_arn = kArn;
  file.country = {"DE"};
  file.organization = {"Example"};
  file.validity_days = 100;
  file.istio_ca_namespace = "mesh";
  auto flags = local_flags();
  flags.organization = {"Other", "Second"};
  flags.validity_days = 30;
  const auto settings = resolve(file, flags);
  EXPECT_EQ(settings.provider, ProviderKind::kLocal);
  EXPECT_EQ(settings.request.subject.organization, (std::vector<std::string>{"Other", "Second"}));
  EXPECT_EQ(settings.request.subject.country, std::vector<std::string>{"DE"});
  EXPECT_EQ(settings.request.validity_days, 30);
  EXPECT_EQ(settings.istio_ca_namespace, "mesh");
}

TEST(Settings, TheFilesProviderIsUsedWithoutTheFlag) {
  PartialSettings file;
  file.provider = ProviderKind::kAws;
  file.aws_signing_ca_arn = kArn;
  const auto settings = resolve(file, {});
  EXPECT_EQ(settings.provider, ProviderKind::kAws);
  EXPECT_EQ(settings.aws.endpoint, "https://acm-pca.eu-west-1.amazonaws.com");
  EXPECT_EQ(settings.aws.signing_algorithm, "SHA256WITHRSA");
  EXPECT_EQ(settings.aws.template_arn,
            "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1");
}

TEST(Settings, NeedsAProvider) {
  const auto error = resolve_error({}, {});
  EXPECT_EQ(error.message, "no provider was chosen");
  EXPECT_EQ(error.kind, ErrorKind::kUsage);
}

TEST(Settings, AwsTemplateFollowsThePathLength) {
  PartialSettings flags;
  flags.provider = ProviderKind::kAws;
  flags.aws_signing_ca_arn = "arn:aws-cn:acm-pca:cn-north-1:123456789012:certificate-authority/x";
  flags.path_len = 2;
  const auto settings = resolve({}, flags);
  EXPECT_EQ(settings.aws.template_arn,
            "arn:aws-cn:acm-pca:::template/SubordinateCACertificate_PathLen2/V1");
  EXPECT_EQ(settings.aws.endpoint, "https://acm-pca.cn-north-1.amazonaws.com.cn");
  flags.path_len = 4;
  EXPECT_NE(resolve_error({}, flags).message.find("path lengths 0 to 3"), std::string::npos);
}

TEST(Settings, AwsPathLengthComesFromAnExplicitTemplate) {
  PartialSettings flags;
  flags.provider = ProviderKind::kAws;
  flags.aws_signing_ca_arn = kArn;
  flags.aws_template_arn = "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen1/V1";
  EXPECT_EQ(resolve({}, flags).request.path_len, 1);
  flags.path_len = 0;
  EXPECT_NE(resolve_error({}, flags).message.find("issues CAs with path length 1, not 0"),
            std::string::npos);
}

TEST(Settings, AwsNeedsAValidSigningCa) {
  PartialSettings flags;
  flags.provider = ProviderKind::kAws;
  EXPECT_EQ(resolve_error({}, flags).message, "the aws provider needs the ARN of the signing CA");
  flags.aws_signing_ca_arn = "dummy";
  EXPECT_EQ(resolve_error({}, flags).message, "the AWS signing CA ARN \"dummy\" is not an ARN");
  flags.aws_signing_ca_arn = "arn:aws:acm-pca::123456789012:certificate-authority/x";
  EXPECT_EQ(resolve_error({}, flags).message,
            "the AWS signing CA ARN \"arn:aws:acm-pca::123456789012:certificate-authority/x\" "
            "has no region");
  flags.aws_signing_ca_arn = kArn;
  flags.aws_signing_algorithm = "dummy-algorithm";
  EXPECT_NE(resolve_error({}, flags).message.find("\"dummy-algorithm\""), std::string::npos);
}

TEST(Settings, EndpointsMustBeHttpsUnlessLoopback) {
  PartialSettings flags;
  flags.provider = ProviderKind::kAws;
  flags.aws_signing_ca_arn = kArn;
  flags.aws_endpoint = "http://pca.example.com";
  EXPECT_NE(resolve_error({}, flags).message.find("plain http"), std::string::npos);
  flags.aws_endpoint = "http://127.0.0.1:4566/";
  EXPECT_EQ(resolve({}, flags).aws.endpoint, "http://127.0.0.1:4566");
  flags.aws_endpoint = "ftp://x";
  EXPECT_NE(resolve_error({}, flags).message.find("is not an http(s) URL"), std::string::npos);
}

TEST(Settings, GcpTakesTheMaxIssuerPathLengthAndAPool) {
  PartialSettings file;
  file.provider = ProviderKind::kGcp;
  file.gcp_ca_name = "projects/p/locations/us-east1/caPools/pool";
  file.path_len = 1;
  const auto settings = resolve(file, {});
  EXPECT_EQ(settings.request.path_len, 1);
  EXPECT_EQ(settings.gcp.endpoint, "https://privateca.googleapis.com");
  file.gcp_ca_name = "projects/p/locations/us-east1/certificateAuthorities/ca";
  const auto error = resolve_error(file, {});
  EXPECT_NE(error.message.find("has no CA pool"), std::string::npos);
  file.gcp_ca_name.reset();
  EXPECT_EQ(resolve_error(file, {}).message, "the gcp provider needs a CA pool");
}

TEST(Settings, RefusesFlagsOfAnotherProvider) {
  auto flags = local_flags();
  flags.aws_signing_ca_arn = kArn;
  flags.gcp_ca_name = "projects/p/locations/l/caPools/x";
  const auto error = resolve_error({}, flags);
  EXPECT_EQ(error.message,
            "--signing-ca (aws), --cas-ca-name (gcp) cannot be used with the local provider");
}

TEST(Settings, ProviderSectionsOfOtherProvidersInTheFileAreFine) {
  PartialSettings file;
  file.aws_signing_ca_arn = kArn;
  file.gcp_ca_name = "projects/p/locations/l/caPools/x";
  EXPECT_EQ(resolve(file, local_flags()).provider, ProviderKind::kLocal);
}

TEST(Settings, LocalNeedsRootFilesOrGenerateRoot) {
  PartialSettings flags;
  flags.provider = ProviderKind::kLocal;
  EXPECT_NE(resolve_error({}, flags).message.find("needs --root-cert and --root-key"),
            std::string::npos);
  flags.root_cert_file = "root.pem";
  EXPECT_NE(resolve_error({}, flags).message.find("needs --root-cert and --root-key"),
            std::string::npos);
  flags.generate_root = true;
  EXPECT_NE(resolve_error({}, flags).message.find("exclude each other"), std::string::npos);
}

TEST(Settings, CertManagerNeedsAnIssuerOfAKnownKind) {
  PartialSettings flags;
  flags.provider = ProviderKind::kCertManager;
  EXPECT_EQ(resolve_error({}, flags).message, "the cert-manager provider needs an issuer");
  flags.issuer_name = "root";
  EXPECT_EQ(resolve({}, flags).cert_manager.issuer_kind, "Issuer");
  flags.issuer_kind = "Cluster";
  EXPECT_NE(resolve_error({}, flags).message.find("\"Cluster\""), std::string::npos);
}

TEST(Settings, CertManagerCertificateNamespaceFollowsTheIstioNamespace) {
  PartialSettings flags;
  flags.provider = ProviderKind::kCertManager;
  flags.issuer_name = "root";
  EXPECT_EQ(resolve({}, flags).cert_manager.certificate_namespace, "istio-system");
  PartialSettings file;
  file.istio_ca_namespace = "mesh";
  EXPECT_EQ(resolve(file, flags).cert_manager.certificate_namespace, "mesh");
  file.certificate_namespace = "pki";
  EXPECT_EQ(resolve(file, flags).cert_manager.certificate_namespace, "pki");
  flags.certificate_namespace = "Bad_Name";
  EXPECT_NE(resolve_error(file, flags).message.find("\"Bad_Name\" is not a valid Kubernetes"),
            std::string::npos);
}

TEST(Settings, CertManagerTakesNoPathLength) {
  PartialSettings flags;
  flags.provider = ProviderKind::kCertManager;
  flags.issuer_name = "root";
  flags.path_len = 0;
  EXPECT_NE(resolve_error({}, flags).message.find("cert-manager cannot ask for a path length"),
            std::string::npos);
}

TEST(Settings, KeyTypesAndLengths) {
  auto flags = local_flags();
  flags.key_type = KeyType::kEcdsa;
  EXPECT_EQ(resolve({}, flags).request.key.bits, 256);
  flags.key_length = 384;
  EXPECT_EQ(resolve({}, flags).request.key.bits, 384);
  flags.key_length = 2048;
  EXPECT_NE(resolve_error({}, flags).message.find("ECDSA key of 2048 bits"), std::string::npos);
  flags.key_type = KeyType::kRsa;
  flags.key_length = 20;
  EXPECT_NE(resolve_error({}, flags).message.find("RSA key of 20 bits"), std::string::npos);
  flags.key_length = 1 << 20;
  EXPECT_NE(resolve_error({}, flags).message.find("out of range"), std::string::npos);
}

TEST(Settings, ChecksValues) {
  const auto with = [](auto change) {
    auto flags = local_flags();
    change(flags);
    return resolve_error({}, flags).message;
  };
  EXPECT_NE(with([](auto& f) { f.validity_days = 0; }).find("validity in days 0 is out of range"),
            std::string::npos);
  EXPECT_NE(with([](auto& f) { f.istio_ca_namespace = "Istio_System"; }).find("namespace"),
            std::string::npos);
  EXPECT_NE(with([](auto& f) { f.country = {"USA"}; }).find("two-letter"), std::string::npos);
  EXPECT_NE(with([](auto& f) { f.dns_names = {"bad name"}; }).find("DNS name"), std::string::npos);
  EXPECT_NE(with([](auto& f) { f.emails = {"nobody"}; }).find("e-mail"), std::string::npos);
  EXPECT_NE(with([](auto& f) { f.timeout_seconds = 0; }).find("timeout"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::ca
