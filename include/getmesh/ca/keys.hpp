#pragma once

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// A usage error unless `spec` is RSA 2048/3072/4096 or ECDSA 256/384.
Status validate_key_spec(const KeySpec& spec);
// "RSA 2048" or "ECDSA P-256", for messages.
std::string describe(const KeySpec& spec);

// A new private key as unencrypted PKCS#8 PEM ("PRIVATE KEY").
Result<std::string> generate_private_key(const KeySpec& spec);
// The SubjectPublicKeyInfo PEM ("PUBLIC KEY") of a private key.
Result<std::string> public_key_of(std::string_view private_key_pem);

}  // namespace getmesh::ca
