#pragma once

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// Builds the `cacerts` documents from an issued CA certificate, its private key and the chain of
// its issuers (`issuers_pem`, concatenated PEM from the issuer up to the root; the root is the
// last one). Each PEM document ends in a newline; duplicates of the issued certificate are dropped.
Result<CaBundle> assemble_bundle(std::string_view key_pem, std::string_view certificate_pem,
                                 std::string_view issuers_pem, std::string_view origin);

}  // namespace getmesh::ca
