#include "ca/digest_choice.hpp"
#include "ca/names.hpp"
#include "ca/pem.hpp"

#include <getmesh/ca/csr.hpp>

namespace getmesh::ca {

Result<std::string> create_csr(const IssueRequest& request, std::string_view private_key_pem) {
  auto key = parse_private_key(private_key_pem, "the generated private key");
  if (!key) return key.error();
  auto name = make_name(request.subject);
  if (!name) return name.error();
  auto alt_names = make_alt_names(request.dns_names, request.emails);
  if (!alt_names) return alt_names.error();

  ossl::Request csr(X509_REQ_new());
  if (!csr || X509_REQ_set_version(csr.get(), 0) != 1 ||
      X509_REQ_set_subject_name(csr.get(), name->get()) != 1 ||
      X509_REQ_set_pubkey(csr.get(), key->get()) != 1) {
    return ossl::failure("cannot build the certificate request");
  }
  if (*alt_names) {
    ossl::Extensions extensions(sk_X509_EXTENSION_new_null());
    if (!extensions || sk_X509_EXTENSION_push(extensions.get(), alt_names->get()) == 0) {
      return ossl::failure("cannot build the certificate request");
    }
    alt_names->release();  // now owned by `extensions`
    if (X509_REQ_add_extensions(csr.get(), extensions.get()) != 1) {
      return ossl::failure("cannot add the subject alternative names to the certificate request");
    }
  }
  if (X509_REQ_sign(csr.get(), key->get(), signing_digest(key->get())) <= 0) {
    return ossl::failure("cannot sign the certificate request");
  }
  return to_pem(csr.get());
}

}  // namespace getmesh::ca
