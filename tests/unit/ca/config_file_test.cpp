#include <getmesh/ca/config_file.hpp>

#include <gtest/gtest.h>

namespace getmesh::ca {
namespace {

constexpr const char* kOriginalAwsConfig = R"(providerName: aws
disableSecretCreation: false
providerConfig:
  aws:
    signingCAArn: arn:aws:acm-pca:us-west-2:123456789012:certificate-authority/abc
    templateArn: arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1
    signingAlgorithm: SHA256WITHRSA
certificateParameters:
  secretOptions:
    istioCANamespace: istio-system
    secretFilePath: /tmp/secret.yaml
    overrideExistingCACertsSecret: true
  caOptions:
    certSigningRequestParams:
      subject:
        commonname: Istio CA
        country: [DE]
        organization: [Example]
        organizationalunit: [Mesh]
        locality: [Berlin]
        province: [Berlin]
        streetaddress: []
        postalcode: []
        serialnumber: ""
      dnsnames: [ca.example.com]
      emailaddresses: [sec@example.com]
    validityDays: 365
    keyLength: 4096
)";

PartialSettings parse(const std::string& text) {
  auto parsed = parse_config_file(text, "gen-ca.yaml");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : PartialSettings{};
}

Error parse_error(const std::string& text) {
  auto parsed = parse_config_file(text, "gen-ca.yaml");
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? Error{} : parsed.error();
}

TEST(ConfigFile, ReadsTheOriginalFormat) {
  const auto settings = parse(kOriginalAwsConfig);
  EXPECT_EQ(settings.provider, ProviderKind::kAws);
  EXPECT_EQ(settings.disable_secret_creation, false);
  EXPECT_EQ(settings.aws_signing_ca_arn,
            "arn:aws:acm-pca:us-west-2:123456789012:certificate-authority/abc");
  EXPECT_EQ(settings.aws_signing_algorithm, "SHA256WITHRSA");
  EXPECT_EQ(settings.istio_ca_namespace, "istio-system");
  EXPECT_EQ(settings.secret_file_path, "/tmp/secret.yaml");
  EXPECT_EQ(settings.override_existing_secret, true);
  EXPECT_EQ(settings.common_name, "Istio CA");
  EXPECT_EQ(settings.country, std::vector<std::string>{"DE"});
  EXPECT_EQ(settings.organizational_unit, std::vector<std::string>{"Mesh"});
  EXPECT_EQ(settings.street_address, std::vector<std::string>{});
  EXPECT_EQ(settings.serial_number, "");
  EXPECT_EQ(settings.dns_names, std::vector<std::string>{"ca.example.com"});
  EXPECT_EQ(settings.emails, std::vector<std::string>{"sec@example.com"});
  EXPECT_EQ(settings.validity_days, 365);
  EXPECT_EQ(settings.key_length, 4096);
}

TEST(ConfigFile, MatchesFieldNamesIgnoringCase) {
  const auto settings = parse(
      "certificateParameters:\n  caOptions:\n    certSigningRequestParams:\n"
      "      subject: {commonName: Mesh CA, organizationalUnit: [A]}\n      dnsNames: [x.y]\n");
  EXPECT_EQ(settings.common_name, "Mesh CA");
  EXPECT_EQ(settings.organizational_unit, std::vector<std::string>{"A"});
  EXPECT_EQ(settings.dns_names, std::vector<std::string>{"x.y"});
}

TEST(ConfigFile, ReadsOurAdditions) {
  const auto settings = parse(R"(providerName: local
providerConfig:
  local: {rootCert: r.pem, rootKey: k.pem, rootKeyPassphraseFile: p.txt, generateRoot: false}
  certManager: {issuerName: root, issuerKind: ClusterIssuer, certificateNamespace: pki}
  aws: {endpoint: "https://pca.example.com"}
  gcp: {endpoint: "https://cas.example.com", maxIssuerPathLen: 1}
certificateParameters:
  caOptions: {keyType: ecdsa, keyLength: 384, pathLen: 1}
)");
  EXPECT_EQ(settings.provider, ProviderKind::kLocal);
  EXPECT_EQ(settings.root_cert_file, "r.pem");
  EXPECT_EQ(settings.root_key_passphrase_file, "p.txt");
  EXPECT_EQ(settings.generate_root, false);
  EXPECT_EQ(settings.issuer_kind, "ClusterIssuer");
  EXPECT_EQ(settings.certificate_namespace, "pki");
  EXPECT_EQ(settings.aws_endpoint, "https://pca.example.com");
  EXPECT_EQ(settings.key_type, KeyType::kEcdsa);
  EXPECT_EQ(settings.key_length, 384);
  EXPECT_EQ(settings.path_len, 1);
}

TEST(ConfigFile, AnEmptyFileSetsNothing) {
  const auto settings = parse("");
  EXPECT_FALSE(settings.provider.has_value());
  EXPECT_FALSE(settings.common_name.has_value());
  EXPECT_FALSE(parse("# only a comment\n").provider.has_value());
}

TEST(ConfigFile, RejectsUnknownFieldsNamingThemAndTheirLine) {
  const auto error = parse_error("providerName: aws\nproviderConfig:\n  aws:\n    signingCA: x\n");
  EXPECT_EQ(error.message, "gen-ca.yaml: unknown field \"providerConfig.aws.signingCA\" (line 4)");
  EXPECT_EQ(error.hint,
            "the fields under providerConfig.aws are: signingCAArn, templateArn, signingAlgorithm, "
            "endpoint");
  EXPECT_EQ(error.kind, ErrorKind::kUsage);
  EXPECT_EQ(parse_error("colour: blue\n").message,
            "gen-ca.yaml: unknown field \"colour\" (line 1)");
  EXPECT_NE(parse_error("certificateParameters:\n  caOptions:\n    certSigningRequestParams:\n"
                        "      ipaddresses: []\n")
                .message.find("certSigningRequestParams.ipaddresses"),
            std::string::npos);
}

TEST(ConfigFile, RejectsUnknownProviders) {
  const auto error = parse_error("providerName: azure\n");
  EXPECT_EQ(error.message, "unknown provider \"azure\" (providerName in gen-ca.yaml)");
  EXPECT_EQ(error.hint, "choose one of local, cert-manager, aws and gcp (lower case)");
  EXPECT_NE(parse_error("providerName: AWS\n").message.find("\"AWS\""), std::string::npos);
}

TEST(ConfigFile, RejectsWhatIsNotYaml) {
  const auto error = parse_error("providerName: [aws\n");
  EXPECT_NE(error.message.find("gen-ca.yaml is not valid YAML"), std::string::npos)
      << error.message;
  EXPECT_NE(parse_error("just text").message.find("must be a mapping"), std::string::npos);
}

TEST(ConfigFile, RejectsWrongTypes) {
  EXPECT_EQ(parse_error("disableSecretCreation: maybe\n").message,
            "gen-ca.yaml: disableSecretCreation must be true or false (line 1)");
  EXPECT_EQ(parse_error("certificateParameters:\n  caOptions:\n    validityDays: ten\n").message,
            "gen-ca.yaml: certificateParameters.caOptions.validityDays must be a whole number "
            "(line 3)");
  EXPECT_NE(parse_error("certificateParameters:\n  caOptions:\n    certSigningRequestParams:\n"
                        "      subject: {country: US}\n")
                .message.find("must be a list"),
            std::string::npos);
  EXPECT_NE(parse_error("providerConfig: [aws]\n").message.find("must be a mapping"),
            std::string::npos);
  EXPECT_NE(parse_error("providerName: aws\nprovidername: gcp\n").message.find("given twice"),
            std::string::npos);
}

TEST(ConfigFile, RejectsContradictoryPathLengths) {
  EXPECT_NE(parse_error("providerConfig:\n  gcp: {maxIssuerPathLen: 1}\ncertificateParameters:\n"
                        "  caOptions: {pathLen: 2}\n")
                .message.find("contradicts"),
            std::string::npos);
}

TEST(ConfigFile, ReportsAMissingFile) {
  const auto loaded = load_config_file("/nonexistent/gen-ca.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("cannot read the config file"), std::string::npos);
  EXPECT_NE(loaded.error().message.find("/nonexistent/gen-ca.yaml"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::ca
