#pragma once

// Hex, digests and randomness used by the providers and the secret. Private to src/ca.
// (Base64 is in <getmesh/core/base64.hpp>.)

#include <string>
#include <string_view>

namespace getmesh::ca {

std::string hex_encode(std::string_view data);

// Raw 32-byte digests.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// Bytes from the system's CSPRNG.
std::string random_bytes(std::size_t length);
// Lower-case letters and digits from the system's CSPRNG.
std::string random_token(std::size_t length);

}  // namespace getmesh::ca
