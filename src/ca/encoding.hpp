#pragma once

// Text encodings and digests used by the providers and the secret. Private to src/ca.

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::ca {

std::string base64_encode(std::string_view data);
// Unpadded base64url (RFC 4648 §5), as JWTs use it.
std::string base64url_encode(std::string_view data);
// Standard base64; whitespace is ignored, padding is optional. nullopt on any other character.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view data);

// Raw 32-byte digests.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// Bytes from the system's CSPRNG.
std::string random_bytes(std::size_t length);
// Lower-case letters and digits from the system's CSPRNG.
std::string random_token(std::size_t length);

}  // namespace getmesh::ca
