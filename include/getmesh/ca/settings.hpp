#pragma once

#include <getmesh/ca/local.hpp>
#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::ca {

enum class ProviderKind { kLocal, kCertManager, kAws, kGcp };

// "local", "cert-manager", "aws" or "gcp".
std::string to_string(ProviderKind kind);
// Exact lower-case names; `origin` (a flag or a config file field) goes into the message.
Result<ProviderKind> parse_provider(std::string_view text, std::string_view origin);
// "rsa" or "ecdsa".
Result<KeyType> parse_key_type(std::string_view text, std::string_view origin);

struct AwsOptions {
  std::string signing_ca_arn;
  std::string
      template_arn;  // default: SubordinateCACertificate_PathLen<n>/V1 of the CA's partition
  std::string signing_algorithm = "SHA256WITHRSA";
  std::string endpoint;  // default: https://acm-pca.<region>.amazonaws.com
};

struct GcpOptions {
  // projects/<p>/locations/<l>/caPools/<pool>, optionally /certificateAuthorities/<ca>
  std::string ca_name;
  std::string endpoint = "https://privateca.googleapis.com";
};

// A cert-manager.io Issuer or ClusterIssuer, and where the temporary Certificate goes.
struct CertManagerOptions {
  std::string issuer_name;
  std::string issuer_kind = "Issuer";  // or ClusterIssuer
  std::string certificate_namespace;   // the Istio namespace unless configured
};

// One run of gen-ca with every default applied and every value checked.
struct Settings {
  ProviderKind provider = ProviderKind::kLocal;
  AwsOptions aws;
  GcpOptions gcp;
  LocalOptions local;
  CertManagerOptions cert_manager;
  IssueRequest request;
  // Whether --validity-days (validityDays) was given. Without it the local provider shortens the
  // default validity to what the root has left, instead of refusing.
  bool validity_chosen = false;
  std::string istio_ca_namespace = "istio-system";
  std::string secret_file_path;  // write the secret YAML here instead of the cluster
  std::string output_dir;        // write the four PEM files here instead of the cluster
  bool override_existing_secret = false;
  bool disable_secret_creation = false;  // write the secret YAML into <home>/secret/ instead
  bool dry_run = false;                  // print the secret YAML (key redacted), write nothing
  std::chrono::seconds timeout{300};     // bound on waiting for an issuance
};

// What one source (the config file or the command line) said; unset fields leave the other
// source's value or the default in place.
struct PartialSettings {
  std::optional<ProviderKind> provider;
  std::optional<bool> disable_secret_creation;
  std::optional<std::string> aws_signing_ca_arn, aws_template_arn, aws_signing_algorithm,
      aws_endpoint;
  std::optional<std::string> gcp_ca_name, gcp_endpoint;
  std::optional<std::string> root_cert_file, root_key_file, root_key_passphrase_file;
  std::optional<bool> generate_root;
  std::optional<std::string> issuer_name, issuer_kind, certificate_namespace;
  std::optional<std::string> common_name, serial_number;
  std::optional<std::vector<std::string>> country, organization, organizational_unit, locality,
      province, street_address, postal_code, dns_names, emails;
  std::optional<std::string> istio_ca_namespace, secret_file_path, output_dir;
  std::optional<bool> override_existing_secret, dry_run;
  std::optional<std::int64_t> validity_days, key_length, path_len, timeout_seconds;
  std::optional<KeyType> key_type;
};

// Command-line values win over the config file's, field by field; lists from the command line
// replace the file's list. Then defaults are applied (those of the original getmesh: CN "Istio CA",
// O Istio, C US, ST California, L Sunnyvale, DNS ca.istio.io, 3650 days, RSA 2048) and everything
// is checked. Provider options given on the command line for another provider are an error.
Result<Settings> resolve_settings(const PartialSettings& file, const PartialSettings& flags);

}  // namespace getmesh::ca
