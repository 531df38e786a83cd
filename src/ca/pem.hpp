#pragma once

// Parsing and writing PEM with libcrypto objects. Private to src/ca.

#include "ca/openssl.hpp"

#include <getmesh/core/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::ca {

// The one certificate in `pem`; `origin` names where it came from in messages.
Result<ossl::Certificate> parse_certificate(std::string_view pem, std::string_view origin);
// Every certificate in `pem`, in order; an error when there is none.
Result<std::vector<ossl::Certificate>> parse_certificates(std::string_view pem,
                                                          std::string_view origin);
// A private key in PKCS#8, PKCS#1 or SEC1 PEM. An encrypted key needs `passphrase`; without one
// the error says so instead of prompting.
Result<ossl::Key> parse_private_key(std::string_view pem, std::string_view origin,
                                    const std::optional<std::string>& passphrase = std::nullopt);
Result<ossl::Request> parse_request(std::string_view pem, std::string_view origin);

std::string to_pem(X509* certificate);
std::string to_pem(X509_REQ* request);
// Unencrypted PKCS#8 ("PRIVATE KEY").
std::string private_key_pem(EVP_PKEY* key);
// SubjectPublicKeyInfo ("PUBLIC KEY").
std::string public_key_pem(EVP_PKEY* key);

}  // namespace getmesh::ca
