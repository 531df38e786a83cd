#pragma once

// JSON Web Tokens signed with RS256 (RSASSA-PKCS1-v1_5 with SHA-256). Private to src/ca.

#include <getmesh/core/result.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// base64url(header) "." base64url(claims) "." base64url(signature), with {"alg":"RS256",
// "typ":"JWT"} (plus `key_id` as "kid" when not empty) as the header. The key must be RSA.
Result<std::string> sign_jwt_rs256(const nlohmann::json& claims, std::string_view private_key_pem,
                                   std::string_view key_id, std::string_view origin);

}  // namespace getmesh::ca
