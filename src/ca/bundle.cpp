#include <getmesh/ca/bundle.hpp>
#include <getmesh/ca/certificate_info.hpp>

namespace getmesh::ca {

Result<CaBundle> assemble_bundle(std::string_view key_pem, std::string_view certificate_pem,
                                 std::string_view issuers_pem, std::string_view origin) {
  auto certificate =
      split_certificates(certificate_pem, "the certificate from " + std::string(origin));
  if (!certificate) return certificate.error();
  if (certificate->size() != 1) {
    return runtime_error(std::string(origin) + " returned " + std::to_string(certificate->size()) +
                         " certificates where one was expected");
  }
  auto issuers = split_certificates(issuers_pem, "the issuer chain from " + std::string(origin));
  if (!issuers) return issuers.error();

  CaBundle bundle;
  bundle.ca_key = std::string(key_pem);
  bundle.ca_cert = certificate->front();
  bundle.cert_chain = bundle.ca_cert;
  for (const auto& issuer : *issuers) {
    if (issuer != bundle.ca_cert) bundle.cert_chain += issuer;
  }
  bundle.root_cert = issuers->back();
  return bundle;
}

}  // namespace getmesh::ca
