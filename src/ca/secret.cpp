#include "ca/encoding.hpp"

#include <getmesh/ca/secret.hpp>

namespace getmesh::ca {

std::string secret_yaml(const CaBundle& bundle, std::string_view namespace_name,
                        KeyVisibility key) {
  std::string yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ";
  yaml += kSecretName;
  yaml += "\n  namespace: ";
  yaml += namespace_name;
  yaml += "\ntype: Opaque\ndata:\n";
  yaml += "  ca-cert.pem: " + base64_encode(bundle.ca_cert) + "\n";
  yaml += "  ca-key.pem: ";
  yaml += key == KeyVisibility::kIncluded ? base64_encode(bundle.ca_key) : "\"<redacted>\"";
  yaml += "\n  cert-chain.pem: " + base64_encode(bundle.cert_chain) + "\n";
  yaml += "  root-cert.pem: " + base64_encode(bundle.root_cert) + "\n";
  return yaml;
}

}  // namespace getmesh::ca
