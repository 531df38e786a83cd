#include <getmesh/ca/cluster_secret.hpp>
#include <getmesh/ca/secret.hpp>

namespace getmesh::ca {

namespace {

std::string secret_path(const std::string& namespace_name, const std::string& name = {}) {
  return kube::resource_path("v1", "secrets", namespace_name, name);
}

}  // namespace

Status require_namespace(const kube::Client& client, const std::string& namespace_name,
                         const std::string& hint) {
  auto found = client.get_if_exists(kube::resource_path("v1", "namespaces", "", namespace_name));
  if (!found) return found.error();
  if (!found->has_value()) {
    return runtime_error("the namespace " + namespace_name + " does not exist on " +
                             client.config().describe() + "; nothing was issued",
                         hint);
  }
  return {};
}

Result<SecretTarget> check_secret_target(const kube::Client& client,
                                         const std::string& namespace_name,
                                         bool override_existing) {
  const auto where = client.config().describe();
  if (auto found = require_namespace(client, namespace_name,
                                     "give the namespace of istiod with --istio-ca-namespace, or "
                                     "create it first: kubectl create namespace " +
                                         namespace_name);
      !found) {
    return found.error();
  }
  auto existing = client.get_if_exists(secret_path(namespace_name, std::string(kSecretName)));
  if (!existing) return existing.error();
  if (existing->has_value() && !override_existing) {
    return runtime_error("the secret cacerts already exists in namespace " + namespace_name +
                             " on " + where + "; nothing was issued",
                         "give --override-existing-ca-cert-secret to replace it, or write the new "
                         "CA to a file with --secret-file-path or --output-dir");
  }
  if (existing->has_value()) {
    const auto type = (**existing).value("type", "Opaque");
    if (type != "Opaque") {
      return runtime_error("the secret cacerts in namespace " + namespace_name + " on " + where +
                               " has type " + type +
                               ", which cannot be changed to Opaque; nothing was issued",
                           "delete it first: kubectl delete secret cacerts -n " + namespace_name);
    }
  }
  return SecretTarget{namespace_name, std::move(*existing)};
}

Status write_secret(const kube::Client& client, const SecretTarget& target,
                    const CaBundle& bundle) {
  auto secret = secret_object(bundle, target.namespace_name);
  if (!target.existing) {
    auto created = client.create(secret_path(target.namespace_name), secret);
    if (!created) return created.error();
    return {};
  }
  const auto old_metadata = target.existing->value("metadata", nlohmann::json::object());
  auto& metadata = secret["metadata"];
  metadata["resourceVersion"] = old_metadata.value("resourceVersion", "");
  for (const char* kept : {"labels", "annotations"}) {
    if (old_metadata.contains(kept)) metadata[kept] = old_metadata[kept];
  }
  auto replaced =
      client.replace(secret_path(target.namespace_name, std::string(kSecretName)), secret);
  if (!replaced) return replaced.error();
  return {};
}

}  // namespace getmesh::ca
