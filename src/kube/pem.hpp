#pragma once

#include <getmesh/core/result.hpp>

#include <string>

namespace getmesh::kube {

// Checks that `pem` holds a certificate that is valid now. `what` names it in messages, e.g.
// `the client certificate of user "admin" (users[].user.client-certificate-data in /x/config)`.
Status check_certificate(const std::string& pem, const std::string& what);

}  // namespace getmesh::kube
