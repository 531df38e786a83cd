#include "ca/encoding.hpp"
#include "ca/interrupt.hpp"

#include <getmesh/ca/cert_manager.hpp>
#include <getmesh/ca/cert_manager_resources.hpp>
#include <getmesh/ca/cluster_secret.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::ca {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(500);
constexpr const char* kGroupVersion = "cert-manager.io/v1";

// `Issuer "name" in namespace ns` or `ClusterIssuer "name"`, for messages.
std::string describe_issuer(const CertManagerOptions& options) {
  std::string text = options.issuer_kind + " " + quote(options.issuer_name);
  if (options.issuer_kind == "Issuer") text += " in namespace " + options.certificate_namespace;
  return text;
}

Status check_issuer(const kube::Client& client, const CertManagerOptions& options) {
  const bool namespaced = options.issuer_kind == "Issuer";
  const auto path =
      kube::resource_path(kGroupVersion, namespaced ? "issuers" : "clusterissuers",
                          namespaced ? options.certificate_namespace : "", options.issuer_name);
  auto issuer = client.get_if_exists(path);
  if (!issuer) return issuer.error();
  const auto kubectl_get = namespaced ? "kubectl get issuers -n " + options.certificate_namespace
                                      : std::string("kubectl get clusterissuers");
  if (!issuer->has_value()) {
    return runtime_error(
        "the " + describe_issuer(options) + " does not exist on " + client.config().describe() +
            " (or cert-manager is not installed there); nothing was issued",
        "see the issuers with: " + kubectl_get +
            (namespaced ? "; a cluster-wide one needs --issuer-kind ClusterIssuer" : ""));
  }
  if (const auto condition = issuer_unready(**issuer); !condition.empty()) {
    return runtime_error(
        "the " + describe_issuer(options) + " is not ready: " + condition + "; nothing was issued",
        "fix the issuer first; see: " + kubectl_get);
  }
  return {};
}

class CertManagerProvider : public Provider {
 public:
  CertManagerProvider(CertManagerOptions options, const kube::Client& client,
                      std::chrono::seconds timeout, Notify notify, Notify warn)
      : options_(std::move(options)),
        client_(client),
        timeout_(timeout),
        notify_(std::move(notify)),
        warn_(std::move(warn)) {}

  Result<CaBundle> issue(const IssueRequest& request) override {
    const InterruptGuard interrupt;
    const auto name = "getmesh-istio-ca-" + random_token(10);
    auto created =
        client_.create(path("certificates"), certificate_resource(request, options_, name));
    if (!created && !created.error().transient) return created.error();
    auto bundle = created ? wait_for(name, interrupt) : Result<CaBundle>(created.error());
    if (bundle && interrupt.interrupted()) bundle = interrupted(name);  // a signal came late
    delete_temporaries(name);
    return bundle;
  }

 private:
  [[nodiscard]] std::string path(const std::string& resource, const std::string& name = {}) const {
    return kube::resource_path(resource == "secrets" ? "v1" : kGroupVersion, resource,
                               options_.certificate_namespace, name);
  }

  [[nodiscard]] std::string describe(const std::string& name) const {
    return "Certificate " + options_.certificate_namespace + "/" + name;
  }

  // Polls the Certificate until it is Ready and its Secret is there.
  Result<CaBundle> wait_for(const std::string& name, const InterruptGuard& interrupt) const {
    notify_("waiting up to " + std::to_string(timeout_.count()) + " seconds for cert-manager to " +
            "issue " + describe(name) + " from the " + describe_issuer(options_));
    const auto deadline = Clock::now() + timeout_;
    std::string last_seen = "nothing yet";
    while (!interrupt.interrupted()) {
      auto certificate = client_.get(path("certificates", name));
      if (!certificate && !certificate.error().transient) return certificate.error();
      if (!certificate) {
        last_seen = certificate.error().message;
      } else {
        const auto progress = certificate_progress(*certificate);
        last_seen = progress.summary;
        if (progress.failed) {
          return runtime_error("cert-manager could not issue " + describe(name) + ": " +
                                   progress.summary + "; nothing was written",
                               "check the " + describe_issuer(options_) +
                                   " and its CertificateRequests: kubectl describe "
                                   "certificaterequests -n " +
                                   options_.certificate_namespace);
        }
        if (progress.ready) {
          auto secret = client_.get_if_exists(path("secrets", name));
          if (!secret) return secret.error();
          if (secret->has_value()) {
            return bundle_from_tls_secret(**secret, "the Secret " + options_.certificate_namespace +
                                                        "/" + name + " of " + describe(name));
          }
          last_seen = "Ready True, but its Secret is not there yet";
        }
      }
      if (Clock::now() + kPollInterval > deadline) {
        return runtime_error("cert-manager did not issue " + describe(name) + " within " +
                                 std::to_string(timeout_.count()) +
                                 " seconds; last seen: " + last_seen + "; nothing was written",
                             "raise --timeout, or check the " + describe_issuer(options_) +
                                 " and its CertificateRequests: kubectl describe "
                                 "certificaterequests -n " +
                                 options_.certificate_namespace);
      }
      interrupt.sleep_for(kPollInterval);
    }
    return interrupted(name);
  }

  [[nodiscard]] Error interrupted(const std::string& name) const {
    return Error{ErrorKind::kCancelled,
                 "interrupted while waiting for cert-manager to issue " + describe(name) +
                     "; nothing was written",
                 ""};
  }

  // Deletes the Certificate first, so that cert-manager does not write its Secret again.
  void delete_temporaries(const std::string& name) const {
    const std::pair<const char*, const char*> temporaries[] = {{"certificates", "certificate"},
                                                               {"secrets", "secret"}};
    for (const auto& [resource, kind] : temporaries) {
      if (auto removed = client_.remove(path(resource, name)); !removed) {
        warn_("the temporary " + std::string(kind) + " " + options_.certificate_namespace + "/" +
              name + " was not deleted (" + removed.error().message +
              "); delete it with: kubectl delete " + kind + " " + name + " -n " +
              options_.certificate_namespace);
      }
    }
  }

  CertManagerOptions options_;
  const kube::Client& client_;
  std::chrono::seconds timeout_;
  Notify notify_;
  Notify warn_;
};

}  // namespace

Result<std::unique_ptr<Provider>> make_cert_manager_provider(const CertManagerOptions& options,
                                                             const kube::Client& client,
                                                             std::chrono::seconds timeout,
                                                             Notify notify, Notify warn) {
  if (auto found = require_namespace(
          client, options.certificate_namespace,
          "give the namespace for the temporary Certificate with --certificate-namespace "
          "(certificateNamespace), or create it first: kubectl create namespace " +
              options.certificate_namespace);
      !found) {
    return found.error();
  }
  if (auto ready = check_issuer(client, options); !ready) return ready.error();
  return std::unique_ptr<Provider>(std::make_unique<CertManagerProvider>(
      options, client, timeout, std::move(notify), std::move(warn)));
}

}  // namespace getmesh::ca
