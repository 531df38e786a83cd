#include "validate/certificate.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <limits>
#include <memory>

namespace getmesh::validate {

std::optional<std::string> certificate_problem(std::string_view pem) {
  if (pem.find("-----BEGIN ") == std::string_view::npos) return "not PEM-encoded";
  if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return "too large";
  const std::unique_ptr<BIO, decltype(&BIO_free)> input(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!input) return "cannot be read";
  const std::unique_ptr<X509, decltype(&X509_free)> certificate(
      PEM_read_bio_X509(input.get(), nullptr, nullptr, nullptr), X509_free);
  if (!certificate) return "not an X.509 certificate";
  if (X509_cmp_current_time(X509_get0_notAfter(certificate.get())) <= 0) return "expired";
  if (X509_cmp_current_time(X509_get0_notBefore(certificate.get())) >= 0) return "not yet valid";
  return std::nullopt;
}

}  // namespace getmesh::validate
