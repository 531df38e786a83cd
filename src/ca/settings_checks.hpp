#pragma once

// Checks of single configuration values. Private to src/ca.

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <string_view>

namespace getmesh::ca {

// Printable text without control characters; countries are two-letter codes.
Status check_subject(const Subject& subject);
// A host name for the subjectAltName: letters, digits, '-' and '.', optionally "*." in front.
Status check_dns_name(std::string_view name);
Status check_email(std::string_view email);
// A Kubernetes namespace name (RFC 1123 label).
Status check_namespace(std::string_view name);
// One of ACM Private CA's signing algorithms, e.g. SHA256WITHRSA.
Status check_signing_algorithm(std::string_view algorithm);

}  // namespace getmesh::ca
