#include "ca/settings_checks.hpp"

#include <getmesh/ca/aws_arn.hpp>
#include <getmesh/ca/endpoint.hpp>
#include <getmesh/ca/gcp_name.hpp>
#include <getmesh/ca/keys.hpp>
#include <getmesh/ca/settings.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::ca {

namespace {

constexpr std::int64_t kMaxValidityDays = 36500;
constexpr std::int64_t kMaxPathLen = 10;

template <typename T>
const std::optional<T>& pick(const std::optional<T>& flag, const std::optional<T>& file) {
  return flag ? flag : file;
}

// Lists the command-line options that belong to a provider other than `chosen`.
std::vector<std::string> foreign_flags(const PartialSettings& flags, ProviderKind chosen) {
  const std::pair<ProviderKind, std::vector<std::pair<const char*, bool>>> groups[] = {
      {ProviderKind::kAws,
       {{"--signing-ca", flags.aws_signing_ca_arn.has_value()},
        {"--template-arn", flags.aws_template_arn.has_value()},
        {"--signing-algorithm", flags.aws_signing_algorithm.has_value()},
        {"--aws-endpoint", flags.aws_endpoint.has_value()}}},
      {ProviderKind::kGcp,
       {{"--cas-ca-name", flags.gcp_ca_name.has_value()},
        {"--gcp-endpoint", flags.gcp_endpoint.has_value()}}},
      {ProviderKind::kLocal,
       {{"--root-cert", flags.root_cert_file.has_value()},
        {"--root-key", flags.root_key_file.has_value()},
        {"--root-key-passphrase-file", flags.root_key_passphrase_file.has_value()},
        {"--generate-root", flags.generate_root.value_or(false)}}},
      {ProviderKind::kCertManager,
       {{"--issuer-name", flags.issuer_name.has_value()},
        {"--issuer-kind", flags.issuer_kind.has_value()},
        {"--certificate-namespace", flags.certificate_namespace.has_value()}}},
  };
  std::vector<std::string> found;
  for (const auto& [kind, options] : groups) {
    if (kind == chosen) continue;
    for (const auto& [name, given] : options) {
      if (given) found.push_back(std::string(name) + " (" + to_string(kind) + ")");
    }
  }
  return found;
}

Result<int> checked_range(std::int64_t value, std::int64_t low, std::int64_t high,
                          const std::string& what, const std::string& hint) {
  if (value < low || value > high) {
    return usage_error(what + " " + std::to_string(value) + " is out of range (" +
                           std::to_string(low) + " to " + std::to_string(high) + ")",
                       hint);
  }
  return static_cast<int>(value);
}

Status resolve_request(const PartialSettings& file, const PartialSettings& flags,
                       IssueRequest& request) {
  auto& subject = request.subject;
  subject.common_name = pick(flags.common_name, file.common_name).value_or("Istio CA");
  subject.country = pick(flags.country, file.country).value_or(std::vector<std::string>{"US"});
  subject.province =
      pick(flags.province, file.province).value_or(std::vector<std::string>{"California"});
  subject.locality =
      pick(flags.locality, file.locality).value_or(std::vector<std::string>{"Sunnyvale"});
  subject.organization =
      pick(flags.organization, file.organization).value_or(std::vector<std::string>{"Istio"});
  subject.organizational_unit = pick(flags.organizational_unit, file.organizational_unit)
                                    .value_or(std::vector<std::string>{});
  subject.street_address =
      pick(flags.street_address, file.street_address).value_or(std::vector<std::string>{});
  subject.postal_code =
      pick(flags.postal_code, file.postal_code).value_or(std::vector<std::string>{});
  subject.serial_number = pick(flags.serial_number, file.serial_number).value_or("");
  request.dns_names =
      pick(flags.dns_names, file.dns_names).value_or(std::vector<std::string>{"ca.istio.io"});
  request.emails = pick(flags.emails, file.emails).value_or(std::vector<std::string>{});
  if (auto checked = check_subject(subject); !checked) return checked;
  for (const auto& name : request.dns_names) {
    if (auto checked = check_dns_name(name); !checked) return checked;
  }
  for (const auto& email : request.emails) {
    if (auto checked = check_email(email); !checked) return checked;
  }

  auto days = checked_range(pick(flags.validity_days, file.validity_days).value_or(3650), 1,
                            kMaxValidityDays, "the validity in days",
                            "give --validity-days (validityDays) in days, e.g. 3650");
  if (!days) return days.error();
  request.validity_days = *days;
  auto path_len = checked_range(pick(flags.path_len, file.path_len).value_or(0), 0, kMaxPathLen,
                                "the path length",
                                "give --path-len 0 unless the CA must "
                                "create further CAs below it");
  if (!path_len) return path_len.error();
  request.path_len = *path_len;

  request.key.type = pick(flags.key_type, file.key_type).value_or(KeyType::kRsa);
  const std::int64_t default_bits = request.key.type == KeyType::kRsa ? 2048 : 256;
  auto bits = checked_range(pick(flags.key_length, file.key_length).value_or(default_bits), 1,
                            65536, "the key length",
                            "give --key-length 2048, 3072 or 4096 for RSA, 256 or 384 for ECDSA");
  if (!bits) return bits.error();
  request.key.bits = *bits;
  return validate_key_spec(request.key);
}

Status resolve_aws(const PartialSettings& file, const PartialSettings& flags, Settings& settings) {
  auto& aws = settings.aws;
  aws.signing_ca_arn = pick(flags.aws_signing_ca_arn, file.aws_signing_ca_arn).value_or("");
  if (aws.signing_ca_arn.empty()) {
    return usage_error("the aws provider needs the ARN of the signing CA",
                       "give --signing-ca arn:aws:acm-pca:<region>:<account>:"
                       "certificate-authority/<id> (signingCAArn in the config file)");
  }
  auto arn = parse_ca_arn(aws.signing_ca_arn);
  if (!arn) return arn.error();
  const auto algorithm = pick(flags.aws_signing_algorithm, file.aws_signing_algorithm);
  if (algorithm) aws.signing_algorithm = *algorithm;
  if (auto checked = check_signing_algorithm(aws.signing_algorithm); !checked) return checked;

  const auto explicit_path_len = pick(flags.path_len, file.path_len);
  aws.template_arn = pick(flags.aws_template_arn, file.aws_template_arn).value_or("");
  if (aws.template_arn.empty()) {
    if (settings.request.path_len > 3) {
      return usage_error(
          "AWS Private CA's subordinate CA templates allow path lengths 0 to 3, not " +
              std::to_string(settings.request.path_len),
          "give --path-len 0 to 3, or a template of your own with --template-arn");
    }
    aws.template_arn = subordinate_template_arn(*arn, settings.request.path_len);
  } else if (const auto from_template = template_path_len(aws.template_arn)) {
    if (explicit_path_len && *explicit_path_len != *from_template) {
      return usage_error("the template " + aws.template_arn + " issues CAs with path length " +
                             std::to_string(*from_template) + ", not " +
                             std::to_string(*explicit_path_len),
                         "drop --path-len, or pick the template with the path length you want");
    }
    settings.request.path_len = *from_template;
  }
  if (const auto endpoint = pick(flags.aws_endpoint, file.aws_endpoint)) {
    auto checked = check_endpoint(*endpoint, "the AWS endpoint");
    if (!checked) return checked.error();
    aws.endpoint = *checked;
  } else {
    aws.endpoint = default_pca_endpoint(*arn);
  }
  return {};
}

Status resolve_gcp(const PartialSettings& file, const PartialSettings& flags, Settings& settings) {
  settings.gcp.ca_name = pick(flags.gcp_ca_name, file.gcp_ca_name).value_or("");
  if (settings.gcp.ca_name.empty()) {
    return usage_error("the gcp provider needs a CA pool",
                       "give --cas-ca-name projects/<project>/locations/<location>/caPools/<pool> "
                       "(casCAName in the config file)");
  }
  if (auto name = parse_cas_name(settings.gcp.ca_name); !name) return name.error();
  if (const auto endpoint = pick(flags.gcp_endpoint, file.gcp_endpoint)) {
    auto checked = check_endpoint(*endpoint, "the GCP endpoint");
    if (!checked) return checked.error();
    settings.gcp.endpoint = *checked;
  }
  return {};
}

Status resolve_local(const PartialSettings& file, const PartialSettings& flags,
                     Settings& settings) {
  auto& local = settings.local;
  local.root_cert_file = pick(flags.root_cert_file, file.root_cert_file).value_or("");
  local.root_key_file = pick(flags.root_key_file, file.root_key_file).value_or("");
  local.root_key_passphrase_file =
      pick(flags.root_key_passphrase_file, file.root_key_passphrase_file).value_or("");
  local.generate_root = pick(flags.generate_root, file.generate_root).value_or(false);
  const bool files = !local.root_cert_file.empty() || !local.root_key_file.empty();
  if (local.generate_root && files) {
    return usage_error("--generate-root and --root-cert/--root-key exclude each other",
                       "sign with your root files, or drop them to generate a new root");
  }
  if (!local.generate_root && (local.root_cert_file.empty() || local.root_key_file.empty())) {
    return usage_error("the local provider needs --root-cert and --root-key, or --generate-root",
                       "for example: getmesh gen-ca --provider local --root-cert root-cert.pem "
                       "--root-key root-key.pem");
  }
  return {};
}

Status resolve_cert_manager(const PartialSettings& file, const PartialSettings& flags,
                            Settings& settings) {
  auto& options = settings.cert_manager;
  options.issuer_name = pick(flags.issuer_name, file.issuer_name).value_or("");
  if (options.issuer_name.empty()) {
    return usage_error("the cert-manager provider needs an issuer",
                       "give --issuer-name <name> of an Issuer in the Istio namespace, or of a "
                       "ClusterIssuer with --issuer-kind ClusterIssuer (issuerName in the "
                       "config file)");
  }
  options.issuer_kind = pick(flags.issuer_kind, file.issuer_kind).value_or("Issuer");
  if (options.issuer_kind != "Issuer" && options.issuer_kind != "ClusterIssuer") {
    return usage_error("the issuer kind " + quote(options.issuer_kind) + " is not supported",
                       "give --issuer-kind Issuer or ClusterIssuer (cert-manager.io)");
  }
  if (const auto path_len = pick(flags.path_len, file.path_len)) {
    return usage_error("cert-manager cannot ask for a path length, so " +
                           std::to_string(*path_len) + " cannot be honoured",
                       "drop --path-len (caOptions.pathLen or providerConfig.gcp.maxIssuerPathLen "
                       "in the config file); the issuer decides the CA's path length");
  }
  options.certificate_namespace =
      pick(flags.certificate_namespace, file.certificate_namespace)
          .value_or(
              pick(flags.istio_ca_namespace, file.istio_ca_namespace).value_or("istio-system"));
  return check_namespace(options.certificate_namespace);
}

Status resolve_destination(const PartialSettings& file, const PartialSettings& flags,
                           Settings& settings) {
  settings.istio_ca_namespace =
      pick(flags.istio_ca_namespace, file.istio_ca_namespace).value_or("istio-system");
  if (auto checked = check_namespace(settings.istio_ca_namespace); !checked) return checked;
  settings.secret_file_path = pick(flags.secret_file_path, file.secret_file_path).value_or("");
  settings.output_dir = pick(flags.output_dir, file.output_dir).value_or("");
  settings.override_existing_secret =
      pick(flags.override_existing_secret, file.override_existing_secret).value_or(false);
  settings.disable_secret_creation =
      pick(flags.disable_secret_creation, file.disable_secret_creation).value_or(false);
  settings.dry_run = pick(flags.dry_run, file.dry_run).value_or(false);
  const auto timeout = pick(flags.timeout_seconds, file.timeout_seconds).value_or(300);
  if (timeout < 1 || timeout > 24 * 3600) {
    return usage_error("a timeout of " + std::to_string(timeout) + " seconds is out of range",
                       "give --timeout between 1s and 24h, e.g. --timeout 5m");
  }
  settings.timeout = std::chrono::seconds(timeout);
  return {};
}

}  // namespace

std::string to_string(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::kLocal:
      return "local";
    case ProviderKind::kCertManager:
      return "cert-manager";
    case ProviderKind::kAws:
      return "aws";
    case ProviderKind::kGcp:
      return "gcp";
  }
  return "?";
}

Result<ProviderKind> parse_provider(std::string_view text, std::string_view origin) {
  for (const auto kind :
       {ProviderKind::kLocal, ProviderKind::kCertManager, ProviderKind::kAws, ProviderKind::kGcp}) {
    if (text == to_string(kind)) return kind;
  }
  return usage_error("unknown provider " + quote(text) + " (" + std::string(origin) + ")",
                     "choose one of local, cert-manager, aws and gcp (lower case)");
}

Result<KeyType> parse_key_type(std::string_view text, std::string_view origin) {
  if (text == "rsa") return KeyType::kRsa;
  if (text == "ecdsa") return KeyType::kEcdsa;
  return usage_error("unknown key type " + quote(text) + " (" + std::string(origin) + ")",
                     "choose rsa or ecdsa");
}

Result<Settings> resolve_settings(const PartialSettings& file, const PartialSettings& flags) {
  Settings settings;
  const auto provider = pick(flags.provider, file.provider);
  if (!provider) {
    return usage_error("no provider was chosen",
                       "give --provider local, cert-manager, aws or gcp (providerName in the "
                       "config file)");
  }
  settings.provider = *provider;
  if (const auto foreign = foreign_flags(flags, settings.provider); !foreign.empty()) {
    return usage_error(join(foreign, ", ") + " cannot be used with the " +
                           to_string(settings.provider) + " provider",
                       "drop them, or choose the provider they belong to with --provider");
  }
  settings.validity_chosen = pick(flags.validity_days, file.validity_days).has_value();
  if (auto request = resolve_request(file, flags, settings.request); !request) {
    return request.error();
  }
  Status provider_status;
  switch (settings.provider) {
    case ProviderKind::kAws:
      provider_status = resolve_aws(file, flags, settings);
      break;
    case ProviderKind::kGcp:
      provider_status = resolve_gcp(file, flags, settings);
      break;
    case ProviderKind::kLocal:
      provider_status = resolve_local(file, flags, settings);
      break;
    case ProviderKind::kCertManager:
      provider_status = resolve_cert_manager(file, flags, settings);
      break;
  }
  if (!provider_status) return provider_status.error();
  if (auto destination = resolve_destination(file, flags, settings); !destination) {
    return destination.error();
  }
  return settings;
}

}  // namespace getmesh::ca
