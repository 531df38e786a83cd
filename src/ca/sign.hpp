#pragma once

// Signing CA certificates with libcrypto. Private to src/ca.

#include "ca/openssl.hpp"

#include <getmesh/core/result.hpp>

#include <chrono>

namespace getmesh::ca {

struct CaCertificateSpec {
  const X509_NAME* subject = nullptr;
  EVP_PKEY* public_key = nullptr;
  const X509_EXTENSION* alt_names = nullptr;  // copied when set
  int path_len = -1;                          // -1: no pathLenConstraint
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

// A v3 CA certificate: random 159-bit serial, critical CA:TRUE (with the path length), critical
// key usage keyCertSign, cRLSign and digitalSignature, subject and authority key identifiers.
// Self-signed with `issuer_key` when `issuer` is null.
Result<ossl::Certificate> sign_ca_certificate(const CaCertificateSpec& spec, X509* issuer,
                                              EVP_PKEY* issuer_key);

}  // namespace getmesh::ca
