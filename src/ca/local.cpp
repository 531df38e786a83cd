#include "ca/names.hpp"
#include "ca/pem.hpp"
#include "ca/sign.hpp"

#include <getmesh/ca/bundle.hpp>
#include <getmesh/ca/certificate_info.hpp>
#include <getmesh/ca/csr.hpp>
#include <getmesh/ca/keys.hpp>
#include <getmesh/ca/local.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>

namespace getmesh::ca {

namespace {

using Clock = std::chrono::system_clock;

constexpr auto kDay = std::chrono::hours(24);
// Backdated a little so that a peer whose clock runs slightly behind accepts the certificate.
constexpr auto kBackdate = std::chrono::minutes(5);

Result<std::optional<std::string>> read_passphrase(const std::string& file) {
  if (file.empty()) return std::optional<std::string>();
  auto text = read_file(file);
  if (!text) return text.error().with_context("cannot read the root key passphrase");
  auto line = text->substr(0, text->find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return std::optional<std::string>(std::move(line));
}

Status check_root_is_ca(const CertificateInfo& info, const std::string& origin) {
  if (!info.is_ca) {
    return runtime_error(origin + " (" + info.subject +
                             ") is not a CA certificate: its basic constraints lack CA:TRUE",
                         "give the root CA's certificate with --root-cert");
  }
  if (info.has_key_usage && !info.key_cert_sign) {
    return runtime_error(origin + " (" + info.subject +
                             ") may not sign certificates: its key usage lacks keyCertSign",
                         "give a root CA certificate whose key usage includes keyCertSign");
  }
  return {};
}

class LocalProvider final : public Provider {
 public:
  LocalProvider(LocalRoot root, bool fit_to_root, Notify notify)
      : root_(std::move(root)), fit_to_root_(fit_to_root), notify_(std::move(notify)) {}

  Result<CaBundle> issue(const IssueRequest& request) override {
    const auto now = Clock::now();
    auto not_after = now + kDay * request.validity_days;
    auto chain = split_certificates(root_.chain_pem, "the root certificate");
    if (!chain) return chain.error();
    auto root_info = inspect_certificate(chain->front(), "the root certificate");
    if (!root_info) return root_info.error();
    if (fit_to_root_ && now < root_info->not_after && not_after > root_info->not_after) {
      not_after = root_info->not_after;
      if (notify_) {
        notify_("the CA is valid until the root certificate expires on " + format_time(not_after) +
                " (" + std::to_string(days_until(now, not_after)) + " days instead of " +
                std::to_string(request.validity_days) + "); --validity-days chooses a validity");
      }
    }
    if (auto usable = check_usable(*root_info, request, now, not_after); !usable) {
      return usable.error();
    }
    auto root = parse_certificate(chain->front(), "the root certificate");
    if (!root) return root.error();
    auto root_key = parse_private_key(root_.key_pem, "the root key");
    if (!root_key) return root_key.error();

    auto key_pem = generate_private_key(request.key);
    if (!key_pem) return key_pem.error();
    auto csr_pem = create_csr(request, *key_pem);
    if (!csr_pem) return csr_pem.error();
    auto csr = parse_request(*csr_pem, "the certificate request");
    if (!csr) return csr.error();
    auto alt_names = make_alt_names(request.dns_names, request.emails);
    if (!alt_names) return alt_names.error();
    ossl::Key public_key(X509_REQ_get_pubkey(csr->get()));

    CaCertificateSpec spec;
    spec.subject = X509_REQ_get_subject_name(csr->get());
    spec.public_key = public_key.get();
    spec.alt_names = alt_names->get();
    spec.path_len = request.path_len;
    spec.not_before = std::max(now - kBackdate, root_info->not_before);
    spec.not_after = not_after;
    auto certificate = sign_ca_certificate(spec, root->get(), root_key->get());
    if (!certificate) return certificate.error();
    return assemble_bundle(*key_pem, to_pem(certificate->get()), root_.chain_pem, "the local root");
  }

 private:
  static Status check_usable(const CertificateInfo& root, const IssueRequest& request,
                             Clock::time_point now, Clock::time_point not_after) {
    if (now < root.not_before) {
      return runtime_error(
          "the root certificate is not valid before " + format_time(root.not_before),
          "check the system clock or use another root");
    }
    if (now >= root.not_after) {
      return runtime_error("the root certificate expired on " + format_time(root.not_after),
                           "use a root that is still valid");
    }
    if (not_after > root.not_after) {
      const auto days_left = days_until(now, root.not_after);
      return runtime_error("a CA valid for " + std::to_string(request.validity_days) +
                               " days would outlive the root certificate, which expires on " +
                               format_time(root.not_after),
                           "give --validity-days " + std::to_string(days_left) +
                               " or less, or use a root that is valid for longer");
    }
    if (root.path_len >= 0 && request.path_len >= root.path_len) {
      return usage_error(
          "the root certificate allows " +
              counted(static_cast<std::size_t>(root.path_len), "CA level") +
              " below it, too few for a CA with path length " + std::to_string(request.path_len),
          "give --path-len " + std::to_string(root.path_len - 1) + " or less, or use another root");
    }
    return {};
  }

  // Whole days from `from` to `to`.
  static long days_until(Clock::time_point from, Clock::time_point to) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::hours>(to - from).count() /
                             24);
  }

  LocalRoot root_;
  bool fit_to_root_;
  Notify notify_;
};

}  // namespace

Result<LocalRoot> load_local_root(const LocalOptions& options) {
  if (options.root_cert_file.empty() || options.root_key_file.empty()) {
    return usage_error("the local provider needs --root-cert and --root-key, or --generate-root",
                       "for example: getmesh gen-ca --provider local --root-cert root-cert.pem "
                       "--root-key root-key.pem");
  }
  auto cert_pem = read_file(options.root_cert_file);
  if (!cert_pem) return cert_pem.error().with_context("cannot read the root certificate");
  auto key_text = read_file(options.root_key_file);
  if (!key_text) return key_text.error().with_context("cannot read the root key");
  auto passphrase = read_passphrase(options.root_key_passphrase_file);
  if (!passphrase) return passphrase.error();

  const auto cert_origin = "the root certificate " + quote(options.root_cert_file);
  auto chain = split_certificates(*cert_pem, cert_origin);
  if (!chain) return chain.error();
  auto info = inspect_certificate(chain->front(), cert_origin);
  if (!info) return info.error();
  if (auto ca = check_root_is_ca(*info, cert_origin); !ca) return ca.error();
  auto last = inspect_certificate(chain->back(), cert_origin);
  if (!last) return last.error();
  if (!last->self_signed) {
    return runtime_error(cert_origin + " ends with " + last->subject + ", issued by " +
                             last->issuer + ", which is not a self-signed root",
                         "append the issuer certificates up to the root to the file");
  }
  auto certificate = parse_certificate(chain->front(), cert_origin);
  if (!certificate) return certificate.error();
  auto key =
      parse_private_key(*key_text, "the root key " + quote(options.root_key_file), *passphrase);
  if (!key) return key.error();
  if (X509_check_private_key(certificate->get(), key->get()) != 1) {
    ossl::take_errors();
    return runtime_error("the root key " + quote(options.root_key_file) +
                             " is not the private key of the root certificate " +
                             quote(options.root_cert_file),
                         "give the key that belongs to the root certificate");
  }
  return LocalRoot{join(*chain, ""), private_key_pem(key->get())};
}

Result<LocalRoot> generate_local_root(const IssueRequest& request, int validity_days,
                                      Clock::time_point now) {
  auto key_pem = generate_private_key(request.key);
  if (!key_pem) return key_pem.error();
  auto key = parse_private_key(*key_pem, "the generated root key");
  if (!key) return key.error();
  Subject subject;
  subject.organization = request.subject.organization;
  subject.common_name = "Root CA";
  auto name = make_name(subject);
  if (!name) return name.error();

  CaCertificateSpec spec;
  spec.subject = name->get();
  spec.public_key = key->get();
  spec.not_before = now - kBackdate;
  spec.not_after = now + kDay * validity_days;
  auto certificate = sign_ca_certificate(spec, nullptr, key->get());
  if (!certificate) return certificate.error();
  return LocalRoot{to_pem(certificate->get()), *key_pem};
}

std::unique_ptr<Provider> make_local_provider(LocalRoot root, bool fit_to_root, Notify notify) {
  return std::make_unique<LocalProvider>(std::move(root), fit_to_root, std::move(notify));
}

}  // namespace getmesh::ca
