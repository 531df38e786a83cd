#include "cli/cluster.hpp"
#include "cli/commands/commands.hpp"

#include <getmesh/ca/config_file.hpp>
#include <getmesh/ca/gen_ca.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::cli {

namespace {

// Binds flags to optional settings: a field is set only when its flag was given, so values from
// the config file survive absent flags.
class OptionalBinder {
 public:
  explicit OptionalBinder(CLI::App& app) : app_(app) {}

  template <typename T>
  CLI::Option* option(const std::string& name, std::optional<T>& target,
                      const std::string& description) {
    auto value = std::make_shared<T>();
    auto* added = app_.add_option(name, *value, description);
    apply_.push_back([added, value, &target] {
      if (added->count() > 0) target = *value;
    });
    return added;
  }

  // A repeatable flag; every occurrence adds one value.
  CLI::Option* list(const std::string& name, std::optional<std::vector<std::string>>& target,
                    const std::string& description) {
    auto* added = option(name, target, description);
    added->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    return added;
  }

  CLI::Option* flag(const std::string& name, std::optional<bool>& target,
                    const std::string& description) {
    auto* added = app_.add_flag(name, description);
    apply_.push_back([added, &target] {
      if (added->count() > 0) target = true;
    });
    return added;
  }

  // Copies the given flags into their targets; call after parsing.
  void apply() const {
    for (const auto& step : apply_) step();
  }

 private:
  CLI::App& app_;
  std::vector<std::function<void()>> apply_;
};

struct GenCaFlags {
  std::string config_file;
  std::string provider;
  std::string key_type;
  std::string timeout;
  std::optional<std::int64_t> max_issuer_path_len;  // the original's name for --path-len
  ca::PartialSettings settings;
  std::shared_ptr<OptionalBinder> binder;
};

Result<ca::PartialSettings> command_line_settings(const GenCaFlags& flags) {
  flags.binder->apply();
  auto settings = flags.settings;
  if (flags.max_issuer_path_len) {
    if (settings.path_len && *settings.path_len != *flags.max_issuer_path_len) {
      return usage_error("--path-len and --max-issuer-path-len disagree",
                         "give only one of them; they set the same path length");
    }
    settings.path_len = flags.max_issuer_path_len;
  }
  if (!flags.provider.empty()) {
    auto provider = ca::parse_provider(flags.provider, "--provider");
    if (!provider) return provider.error();
    settings.provider = *provider;
  }
  if (!flags.key_type.empty()) {
    auto type = ca::parse_key_type(flags.key_type, "--key-type");
    if (!type) return type.error();
    settings.key_type = *type;
  }
  if (!flags.timeout.empty()) {
    auto seconds = parse_duration_seconds(flags.timeout, "--timeout");
    if (!seconds) return seconds.error();
    settings.timeout_seconds = *seconds;
  }
  return settings;
}

// `kubectl [--kubeconfig F] [--context C] rollout restart deployment/istiod -n NS`
std::string restart_command(Context& context, const std::string& ns) {
  std::string command = "kubectl";
  if (!context.options().kubeconfig.empty()) {
    command += " --kubeconfig " + context.options().kubeconfig;
  }
  if (!context.options().context.empty()) command += " --context " + context.options().context;
  return command + " rollout restart deployment/istiod -n " + ns;
}

void report_success(Context& context, const ca::Settings& settings,
                    const ca::GenCaOutcome& outcome) {
  auto& output = context.output();
  auto& out = output.out();
  const auto restart = restart_command(context, outcome.namespace_name);
  if (settings.dry_run) {
    out << outcome.dry_run_yaml;
    output.note("dry run: nothing was written and no secret was created; ca-key.pem is redacted");
    return;
  }
  for (const auto& file : outcome.files) {
    if (file == outcome.secret_yaml_file) continue;
    out << "Wrote " << file.string() << "\n";
  }
  if (outcome.secret_write != ca::SecretWrite::kNone) {
    out << "Kubernetes Secret "
        << (outcome.secret_write == ca::SecretWrite::kCreated ? "created" : "replaced")
        << " successfully with name: cacerts, in namespace: " << outcome.namespace_name << " ("
        << outcome.cluster << ")\n";
  }
  if (!outcome.secret_yaml_file.empty()) {
    out << "Kubernetes Secret YAML created successfully in " << outcome.secret_yaml_file.string()
        << "\n";
    out << "Create the secret with: kubectl apply -f " << outcome.secret_yaml_file.string() << "\n";
  }
  if (!settings.output_dir.empty()) {
    out << "Create the secret from the files with: kubectl create secret generic cacerts -n "
        << outcome.namespace_name << " --from-file=" << settings.output_dir
        << "/ca-cert.pem --from-file=" << settings.output_dir
        << "/ca-key.pem --from-file=" << settings.output_dir
        << "/root-cert.pem --from-file=" << settings.output_dir << "/cert-chain.pem\n";
  }
  out << "Then restart istiod so that it picks up the new CA: " << restart << "\n";
  if (outcome.root_key_discarded) {
    output.note(
        "the generated root's private key was not kept; use --output-dir to keep it and "
        "sign more clusters' CAs under the same root");
  }
}

Result<int> run_gen_ca(Context& context, const GenCaFlags& flags) {
  ca::PartialSettings file_settings;
  if (!flags.config_file.empty()) {
    auto loaded = ca::load_config_file(flags.config_file);
    if (!loaded) return loaded.error();
    file_settings = std::move(*loaded);
  }
  auto command_line = command_line_settings(flags);
  if (!command_line) return command_line.error();
  auto settings = ca::resolve_settings(file_settings, *command_line);
  if (!settings) return settings.error();

  auto home = context.home();
  if (!home) return home.error();
  const auto http = context.http();
  auto& output = context.output();
  ca::GenCaServices services;
  services.environment = &context.environment();
  services.http = &http;
  services.home_secret_dir = (*home)->secret_dir();
  services.notify = [&output](std::string_view text) { output.note(text); };
  services.warn = [&output](std::string_view text) { output.warn(text); };
  services.connect_cluster = [&context] { return connect_cluster(context); };
  auto outcome = ca::generate_ca(*settings, services);
  if (!outcome) return outcome.error();
  report_success(context, *settings, *outcome);
  return 0;
}

}  // namespace

Command add_gen_ca_command(CLI::App& parent, Context& context) {
  auto flags = std::make_shared<GenCaFlags>();
  auto* command = parent.add_subcommand(
      "gen-ca",
      "Create Istio's intermediate CA (the cacerts secret) from a local root, "
      "cert-manager, AWS Private CA or Google CAS");
  flags->binder = std::make_shared<OptionalBinder>(*command);
  auto& bind = *flags->binder;
  auto& s = flags->settings;
  command->add_option("--config-file", flags->config_file, "gen-ca YAML config file")
      ->type_name("FILE");
  command->add_option("-p,--provider", flags->provider, "Who signs the CA")
      ->type_name("local|cert-manager|aws|gcp");
  bind.flag("--disable-secret-creation", s.disable_secret_creation,
            "Write the secret YAML into <home>/secret/ instead of creating it in the cluster");
  bind.option("--istio-ca-namespace", s.istio_ca_namespace, "Namespace of istiod (istio-system)");
  bind.option("--secret-file-path", s.secret_file_path,
              "Write the secret YAML to this new file instead of the cluster")
      ->type_name("FILE");
  bind.option("--output-dir", s.output_dir,
              "Write ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem to this directory "
              "instead of the cluster")
      ->type_name("DIR");
  bind.flag("--override-existing-ca-cert-secret", s.override_existing_secret,
            "Replace an existing cacerts secret");
  bind.flag("--dry-run", s.dry_run,
            "Issue and check the CA, print the secret YAML with the key redacted, write nothing");
  command->add_option("--timeout", flags->timeout,
                      "Longest wait for an issuance, e.g. 90s or 5m (5m)");

  bind.option("--common-name", s.common_name, "Subject common name (Istio CA)");
  bind.list("--country", s.country, "Subject country, repeatable (US)");
  bind.list("--province", s.province, "Subject province, repeatable (California)");
  bind.list("--locality", s.locality, "Subject locality, repeatable (Sunnyvale)");
  bind.list("--organization", s.organization, "Subject organization, repeatable (Istio)");
  bind.list("--organizational-unit", s.organizational_unit,
            "Subject organizational unit, repeatable");
  bind.list("--email", s.emails, "E-mail subject alternative name, repeatable");
  bind.list("--dns-name", s.dns_names, "DNS subject alternative name, repeatable (ca.istio.io)");
  bind.option("--validity-days", s.validity_days, "Validity of the CA in days (3650)");
  command->add_option("--key-type", flags->key_type, "Key type (rsa)")->type_name("rsa|ecdsa");
  bind.option("--key-length", s.key_length,
              "RSA: 2048, 3072 or 4096 (2048); ECDSA: 256 or 384 (256)");
  bind.option("--path-len", s.path_len,
              "Path length of the CA: how many CA levels it may create below it (0)");
  bind.option("--max-issuer-path-len", flags->max_issuer_path_len,
              "Same as --path-len (the original's GCP flag)");

  bind.option("--root-cert", s.root_cert_file, "local: root CA certificate (PEM)")
      ->type_name("FILE");
  bind.option("--root-key", s.root_key_file, "local: root CA private key (PEM)")->type_name("FILE");
  bind.option("--root-key-passphrase-file", s.root_key_passphrase_file,
              "local: file whose first line is the root key's passphrase")
      ->type_name("FILE");
  bind.flag("--generate-root", s.generate_root, "local: sign with a new self-signed root");
  bind.option("--signing-ca", s.aws_signing_ca_arn, "aws: ARN of the ACM Private CA that signs");
  bind.option("--template-arn", s.aws_template_arn,
              "aws: certificate template (SubordinateCACertificate_PathLen<n>/V1)");
  bind.option("--signing-algorithm", s.aws_signing_algorithm, "aws: e.g. SHA256WITHRSA (default)");
  bind.option("--aws-endpoint", s.aws_endpoint,
              "aws: ACM PCA endpoint (https://acm-pca.<region>.amazonaws.com)");
  bind.option("--cas-ca-name", s.gcp_ca_name,
              "gcp: projects/<p>/locations/<l>/caPools/<pool>[/certificateAuthorities/<ca>]");
  bind.option("--gcp-endpoint", s.gcp_endpoint,
              "gcp: CA Service endpoint (https://privateca.googleapis.com)");
  bind.option("--issuer-name", s.issuer_name, "cert-manager: name of the Issuer or ClusterIssuer");
  bind.option("--issuer-kind", s.issuer_kind, "cert-manager: the issuer's kind (Issuer)")
      ->type_name("Issuer|ClusterIssuer");
  bind.option("--certificate-namespace", s.certificate_namespace,
              "cert-manager: namespace of the temporary Certificate (the Istio namespace)");
  return {command, [&context, flags] { return run_gen_ca(context, *flags); }, true};
}

}  // namespace getmesh::cli
