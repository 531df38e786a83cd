#include "ca/encoding.hpp"

#include <getmesh/ca/aws.hpp>
#include <getmesh/ca/cert_manager.hpp>
#include <getmesh/ca/check.hpp>
#include <getmesh/ca/cluster_secret.hpp>
#include <getmesh/ca/file_set.hpp>
#include <getmesh/ca/gcp.hpp>
#include <getmesh/ca/gen_ca.hpp>
#include <getmesh/ca/local.hpp>
#include <getmesh/ca/secret.hpp>

namespace getmesh::ca {

namespace fs = std::filesystem;

namespace {

constexpr auto kPrivate = fs::perms(0600);
constexpr auto kPublic = fs::perms(0644);

enum class Content { kCaCert, kCaKey, kRootCert, kCertChain, kRootKey, kSecretYaml };

struct PlannedFile {
  fs::path path;
  Content content;
  bool may_create_directory = true;  // --secret-file-path must name an existing directory
};

// Where the result goes, decided from the settings before anything is issued.
struct Plan {
  std::vector<PlannedFile> files;
  bool cluster = false;
};

Plan plan_destinations(const Settings& settings, const GenCaServices& services) {
  Plan plan;
  if (!settings.output_dir.empty()) {
    const fs::path directory(settings.output_dir);
    plan.files.push_back({directory / "ca-cert.pem", Content::kCaCert});
    plan.files.push_back({directory / "ca-key.pem", Content::kCaKey});
    plan.files.push_back({directory / "root-cert.pem", Content::kRootCert});
    plan.files.push_back({directory / "cert-chain.pem", Content::kCertChain});
    if (settings.provider == ProviderKind::kLocal && settings.local.generate_root) {
      plan.files.push_back({directory / "root-key.pem", Content::kRootKey});
    }
  }
  if (!settings.secret_file_path.empty()) {
    plan.files.push_back({settings.secret_file_path, Content::kSecretYaml, false});
  }
  if (settings.output_dir.empty() && settings.secret_file_path.empty()) {
    if (settings.disable_secret_creation) {
      plan.files.push_back({services.home_secret_dir / ("getmesh-" + random_token(10) + ".yaml"),
                            Content::kSecretYaml});
    } else {
      plan.cluster = true;
    }
  }
  return plan;
}

Status check_files(const Plan& plan) {
  for (const auto& file : plan.files) {
    if (auto checked = check_new_file(file.path, file.may_create_directory); !checked) {
      return checked.error().with_context("cannot write the result");
    }
  }
  return {};
}

// The cluster connection, made on first use.
class Cluster {
 public:
  explicit Cluster(const GenCaServices& services) : services_(services) {}

  Result<const kube::Client*> client() {
    if (!client_) {
      auto connected = services_.connect_cluster();
      if (!connected) return connected.error();
      client_.emplace(std::move(*connected));
    }
    return &*client_;
  }

  [[nodiscard]] std::string describe() const {
    return client_ ? client_->config().describe() : std::string();
  }

 private:
  const GenCaServices& services_;
  std::optional<kube::Client> client_;
};

NewFile render(const PlannedFile& file, const Settings& settings, const CaBundle& bundle,
               const std::optional<LocalRoot>& generated_root) {
  switch (file.content) {
    case Content::kCaCert:
      return {file.path, bundle.ca_cert, kPublic};
    case Content::kCaKey:
      return {file.path, bundle.ca_key, kPrivate};
    case Content::kRootCert:
      return {file.path, bundle.root_cert, kPublic};
    case Content::kCertChain:
      return {file.path, bundle.cert_chain, kPublic};
    case Content::kRootKey:
      return {file.path, generated_root ? generated_root->key_pem : std::string(), kPrivate};
    case Content::kSecretYaml:
      return {file.path, secret_yaml(bundle, settings.istio_ca_namespace, KeyVisibility::kIncluded),
              kPrivate};
  }
  return {};
}

Result<std::unique_ptr<Provider>> make_provider(const Settings& settings,
                                                const GenCaServices& services, Cluster& cluster,
                                                std::optional<LocalRoot>& generated_root) {
  switch (settings.provider) {
    case ProviderKind::kLocal: {
      if (settings.local.generate_root) {
        // The root outlives the intermediate comfortably: twice its validity.
        auto root = generate_local_root(settings.request, 2 * settings.request.validity_days,
                                        std::chrono::system_clock::now());
        if (!root) return root.error();
        generated_root = *root;
        return make_local_provider(*root);
      }
      auto root = load_local_root(settings.local);
      if (!root) return root.error();
      return make_local_provider(std::move(*root), !settings.validity_chosen, services.notify);
    }
    case ProviderKind::kAws:
      return make_aws_provider(settings.aws, *services.environment, *services.http,
                               settings.timeout, services.notify);
    case ProviderKind::kGcp:
      return make_gcp_provider(settings.gcp, *services.environment, *services.http,
                               services.notify);
    case ProviderKind::kCertManager: {
      auto client = cluster.client();
      if (!client) return client.error();
      return make_cert_manager_provider(settings.cert_manager, **client, settings.timeout,
                                        services.notify, services.warn);
    }
  }
  return runtime_error("unknown provider");
}

// cert-manager cannot set a path length: the issuer decides, so it is not checked.
BundleExpectations expectations_of(const Settings& settings) {
  BundleExpectations expectations;
  if (settings.provider != ProviderKind::kCertManager) {
    expectations.path_len = settings.request.path_len;
  }
  return expectations;
}

}  // namespace

Result<GenCaOutcome> generate_ca(const Settings& settings, const GenCaServices& services) {
  auto plan = plan_destinations(settings, services);
  Cluster cluster(services);
  std::optional<LocalRoot> generated_root;
  std::unique_ptr<Provider> provider;
  const auto make = [&]() -> Status {
    auto made = make_provider(settings, services, cluster, generated_root);
    if (!made) return made.error();
    provider = std::move(*made);
    return {};
  };
  // The local provider's inputs are files: a missing --root-cert is reported before the cluster
  // is asked anything (such as whether cacerts exists).
  if (settings.provider == ProviderKind::kLocal) {
    if (auto made = make(); !made) return made.error();
  }
  std::optional<SecretTarget> secret_target;
  if (!settings.dry_run) {
    if (auto checked = check_files(plan); !checked) return checked.error();
    if (plan.cluster) {
      auto client = cluster.client();
      if (!client) {
        auto error = client.error();
        error.hint += (error.hint.empty() ? "" : "; ") +
                      std::string(
                          "or write the CA to files instead with --output-dir, "
                          "--secret-file-path or --disable-secret-creation");
        return error;
      }
      auto target = check_secret_target(**client, settings.istio_ca_namespace,
                                        settings.override_existing_secret);
      if (!target) return target.error();
      secret_target = std::move(*target);
    }
  }
  if (!provider) {
    if (auto made = make(); !made) return made.error();
  }
  auto bundle = provider->issue(settings.request);
  if (!bundle) return bundle.error();
  if (auto checked = check_bundle(*bundle, expectations_of(settings)); !checked) {
    return checked.error().with_context("the " + to_string(settings.provider) +
                                        " provider's result failed the checks");
  }

  GenCaOutcome outcome;
  outcome.namespace_name = settings.istio_ca_namespace;
  outcome.cluster = cluster.describe();
  outcome.root_key_discarded = generated_root.has_value() && settings.output_dir.empty();
  if (settings.dry_run) {
    outcome.dry_run_yaml =
        secret_yaml(*bundle, settings.istio_ca_namespace, KeyVisibility::kRedacted);
    return outcome;
  }
  std::vector<NewFile> files;
  for (const auto& planned : plan.files) {
    files.push_back(render(planned, settings, *bundle, generated_root));
    outcome.files.push_back(planned.path);
    if (planned.content == Content::kSecretYaml) outcome.secret_yaml_file = planned.path;
  }
  if (auto written = write_new_files(files); !written) return written.error();
  if (secret_target) {
    auto client = cluster.client();
    if (!client) return client.error();
    if (auto written = write_secret(**client, *secret_target, *bundle); !written) {
      return written.error();
    }
    outcome.secret_write = secret_target->existing ? SecretWrite::kReplaced : SecretWrite::kCreated;
  }
  return outcome;
}

}  // namespace getmesh::ca
