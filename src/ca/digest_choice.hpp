#pragma once

#include <openssl/evp.h>

namespace getmesh::ca {

// The digest to sign with `key`: SHA-384 for EC keys above 256 bits, none for EdDSA,
// SHA-256 otherwise. Private to src/ca.
const EVP_MD* signing_digest(EVP_PKEY* key);

}  // namespace getmesh::ca
