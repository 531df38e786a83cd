#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::validate {

// Why the first certificate of a PEM text cannot serve TLS (not PEM, not X.509, expired, not yet
// valid), or nullopt when it can; as istiod judges a Gateway's credential.
std::optional<std::string> certificate_problem(std::string_view pem);

}  // namespace getmesh::validate
