#pragma once

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// A PKCS#10 request (PEM "CERTIFICATE REQUEST") with `request`'s subject, DNS names and e-mail
// addresses, signed with `private_key_pem`.
Result<std::string> create_csr(const IssueRequest& request, std::string_view private_key_pem);

}  // namespace getmesh::ca
