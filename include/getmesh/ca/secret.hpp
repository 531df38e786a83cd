#pragma once

#include <getmesh/ca/types.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// Istio's CA secret name.
inline constexpr std::string_view kSecretName = "cacerts";

enum class KeyVisibility { kIncluded, kRedacted };

// The `cacerts` Secret manifest in `namespace_name` with the four documents base64-encoded.
// A redacted manifest carries "<redacted>" instead of ca-key.pem, which kubectl refuses to apply.
std::string secret_yaml(const CaBundle& bundle, std::string_view namespace_name, KeyVisibility key);

// The same Secret (type Opaque) as a Kubernetes object for the API server, key included.
nlohmann::json secret_object(const CaBundle& bundle, std::string_view namespace_name);

}  // namespace getmesh::ca
