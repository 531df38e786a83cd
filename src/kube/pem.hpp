#pragma once

#include <getmesh/core/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::kube {

// Standard base64 (padding optional, whitespace ignored); nullopt on any other character.
std::optional<std::string> decode_base64(std::string_view text);
std::string encode_base64(std::string_view data);

// Checks that `pem` holds a certificate that is valid now. `what` names it in messages, e.g.
// `the client certificate of user "admin" (users[].user.client-certificate-data in /x/config)`.
Status check_certificate(const std::string& pem, const std::string& what);

}  // namespace getmesh::kube
