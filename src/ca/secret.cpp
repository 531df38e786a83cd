#include "ca/encoding.hpp"

#include <getmesh/ca/secret.hpp>
#include <getmesh/core/base64.hpp>

#include <array>
#include <utility>

namespace getmesh::ca {

namespace {

// The Secret's data keys and their documents, in the order the manifest lists them.
std::array<std::pair<const char*, const std::string*>, 4> entries(const CaBundle& bundle) {
  return {{{"ca-cert.pem", &bundle.ca_cert},
           {"ca-key.pem", &bundle.ca_key},
           {"cert-chain.pem", &bundle.cert_chain},
           {"root-cert.pem", &bundle.root_cert}}};
}

}  // namespace

std::string secret_yaml(const CaBundle& bundle, std::string_view namespace_name,
                        KeyVisibility key) {
  std::string yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ";
  yaml += kSecretName;
  yaml += "\n  namespace: ";
  yaml += namespace_name;
  yaml += "\ntype: Opaque\ndata:\n";
  for (const auto& [name, document] : entries(bundle)) {
    const bool redact = document == &bundle.ca_key && key == KeyVisibility::kRedacted;
    yaml += std::string("  ") + name + ": " +
            (redact ? std::string("\"<redacted>\"") : base64_encode(*document)) + "\n";
  }
  return yaml;
}

nlohmann::json secret_object(const CaBundle& bundle, std::string_view namespace_name) {
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [name, document] : entries(bundle)) data[name] = base64_encode(*document);
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", {{"name", kSecretName}, {"namespace", namespace_name}}},
          {"type", "Opaque"},
          {"data", data}};
}

}  // namespace getmesh::ca
