#pragma once

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace getmesh::ca {

// Fails, naming the cluster, when `namespace_name` does not exist; `hint` says what to do.
Status require_namespace(const kube::Client& client, const std::string& namespace_name,
                         const std::string& hint);

// Where Istio's `cacerts` Secret goes in the cluster, as checked before issuing.
struct SecretTarget {
  std::string namespace_name;
  std::optional<nlohmann::json> existing;  // the Secret to replace, as it was read
};

// Checks, before anything is issued, that `namespace_name` exists and holds no `cacerts` Secret,
// or one that `override_existing` allows replacing (of type Opaque: a type cannot be changed).
Result<SecretTarget> check_secret_target(const kube::Client& client,
                                         const std::string& namespace_name, bool override_existing);

// Creates the Secret, or replaces the one check_secret_target found with a PUT that carries its
// resourceVersion: the API server swaps the whole object at once, so a failure leaves the old
// Secret as it was, and a Secret changed by someone else since the check is not overwritten.
// The replaced Secret's labels and annotations are kept.
Status write_secret(const kube::Client& client, const SecretTarget& target, const CaBundle& bundle);

}  // namespace getmesh::ca
