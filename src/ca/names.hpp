#pragma once

// Subject names and subject alternative names as libcrypto objects. Private to src/ca.

#include "ca/openssl.hpp"

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <string>
#include <vector>

namespace getmesh::ca {

// A distinguished name with the subject's fields in Go's pkix.Name order.
Result<ossl::Name> make_name(const Subject& subject);
// DNS names and e-mail addresses as a subjectAltName extension; null when both are empty.
Result<ossl::Extension> make_alt_names(const std::vector<std::string>& dns_names,
                                       const std::vector<std::string>& emails);
// One-line RFC 2253 rendering, e.g. "CN=Istio CA,O=Istio", for messages.
std::string name_text(const X509_NAME* name);

}  // namespace getmesh::ca
