#include "ca/names.hpp"
#include "ca/pem.hpp"

#include <getmesh/ca/certificate_info.hpp>
#include <getmesh/ca/check.hpp>

namespace getmesh::ca {

namespace {

constexpr const char* kHint = "nothing was written; check the CA's configuration and try again";

Error bad_bundle(const std::string& message) { return runtime_error(message, kHint); }

bool same_certificate(X509* left, X509* right) { return X509_cmp(left, right) == 0; }

Status check_chain_order(const std::vector<ossl::Certificate>& chain, X509* ca, X509* root) {
  if (!same_certificate(chain.front().get(), ca)) {
    return bad_bundle("cert-chain.pem does not start with ca-cert.pem");
  }
  if (!same_certificate(chain.back().get(), root)) {
    return bad_bundle("cert-chain.pem does not end with root-cert.pem");
  }
  return {};
}

Status verify_chain(const std::vector<ossl::Certificate>& chain, X509* ca, X509* root,
                    std::chrono::system_clock::time_point now) {
  ossl::Store store(X509_STORE_new());
  ossl::Certificates untrusted(sk_X509_new_null());
  ossl::StoreContext context(X509_STORE_CTX_new());
  if (!store || !untrusted || !context || X509_STORE_add_cert(store.get(), root) != 1) {
    return ossl::failure("cannot set up the chain verification");
  }
  for (std::size_t i = 1; i + 1 < chain.size(); ++i) {
    if (sk_X509_push(untrusted.get(), X509_dup(chain[i].get())) == 0) {
      return ossl::failure("cannot set up the chain verification");
    }
  }
  if (X509_STORE_CTX_init(context.get(), store.get(), ca, untrusted.get()) != 1) {
    return ossl::failure("cannot set up the chain verification");
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context.get()),
                             std::chrono::system_clock::to_time_t(now));
  if (X509_verify_cert(context.get()) == 1) return {};
  const int code = X509_STORE_CTX_get_error(context.get());
  const int depth = X509_STORE_CTX_get_error_depth(context.get());
  X509* failing = X509_STORE_CTX_get_current_cert(context.get());
  std::string where = failing != nullptr ? " at " + name_text(X509_get_subject_name(failing)) : "";
  ossl::take_errors();
  return bad_bundle("ca-cert.pem does not verify against root-cert.pem: " +
                    std::string(X509_verify_cert_error_string(code)) + " (depth " +
                    std::to_string(depth) + where + ")");
}

Status check_ca_certificate(const CertificateInfo& info, const BundleExpectations& expectations) {
  if (!info.is_ca) {
    return bad_bundle("ca-cert.pem (" + info.subject +
                      ") is not a CA certificate: its basic constraints lack CA:TRUE");
  }
  if (!info.key_cert_sign) {
    return bad_bundle("ca-cert.pem (" + info.subject +
                      ") may not sign certificates: its key usage lacks keyCertSign");
  }
  if (expectations.path_len && info.path_len != *expectations.path_len) {
    const auto actual = info.path_len < 0 ? std::string("no path length limit")
                                          : "path length " + std::to_string(info.path_len);
    return bad_bundle("ca-cert.pem has " + actual + " where path length " +
                      std::to_string(*expectations.path_len) + " was asked for");
  }
  return {};
}

}  // namespace

Status check_bundle(const CaBundle& bundle, const BundleExpectations& expectations) {
  auto ca = parse_certificate(bundle.ca_cert, "ca-cert.pem");
  if (!ca) return bad_bundle(ca.error().message);
  auto root = parse_certificate(bundle.root_cert, "root-cert.pem");
  if (!root) return bad_bundle(root.error().message);
  auto chain = parse_certificates(bundle.cert_chain, "cert-chain.pem");
  if (!chain) return bad_bundle(chain.error().message);
  auto key = parse_private_key(bundle.ca_key, "ca-key.pem");
  if (!key) return bad_bundle(key.error().message);

  if (auto order = check_chain_order(*chain, ca->get(), root->get()); !order) return order;
  if (auto verified = verify_chain(*chain, ca->get(), root->get(), expectations.now); !verified) {
    return verified;
  }
  auto info = inspect_certificate(bundle.ca_cert, "ca-cert.pem");
  if (!info) return bad_bundle(info.error().message);
  if (auto checked = check_ca_certificate(*info, expectations); !checked) return checked;
  if (X509_check_private_key(ca->get(), key->get()) != 1) {
    ossl::take_errors();
    return bad_bundle("ca-key.pem is not the private key of ca-cert.pem");
  }
  return {};
}

}  // namespace getmesh::ca
