#pragma once

// Base64 (RFC 4648): kubeconfig data fields, Secret data, JWTs, AWS and GCP request bodies.

#include <optional>
#include <string>
#include <string_view>

namespace getmesh {

// Standard base64 with padding.
std::string base64_encode(std::string_view data);
// Unpadded base64url (RFC 4648 §5), as JWTs use it.
std::string base64url_encode(std::string_view data);
// Standard base64; whitespace is ignored, padding is optional. nullopt on any other character.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace getmesh
