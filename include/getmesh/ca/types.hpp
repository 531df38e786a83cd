#pragma once

#include <string>
#include <vector>

namespace getmesh::ca {

// Distinguished-name fields of the intermediate CA, in the order Go's pkix.Name writes them.
struct Subject {
  std::vector<std::string> country;
  std::vector<std::string> organization;
  std::vector<std::string> organizational_unit;
  std::vector<std::string> locality;
  std::vector<std::string> province;
  std::vector<std::string> street_address;
  std::vector<std::string> postal_code;
  std::string serial_number;
  std::string common_name;
};

enum class KeyType { kRsa, kEcdsa };

// RSA with 2048, 3072 or 4096 bits; ECDSA on P-256 (bits 256) or P-384 (bits 384).
struct KeySpec {
  KeyType type = KeyType::kRsa;
  int bits = 2048;
};

// What the intermediate CA certificate must contain, whoever signs it.
struct IssueRequest {
  Subject subject;
  std::vector<std::string> dns_names;
  std::vector<std::string> emails;
  KeySpec key;
  int validity_days = 3650;
  int path_len = 0;  // the basic-constraints path length of the issued CA
};

// The four PEM documents of Istio's `cacerts` secret. `cert_chain` runs from the CA certificate up
// to and including the root.
struct CaBundle {
  std::string ca_cert;
  std::string ca_key;  // PKCS#8; never printed or logged
  std::string root_cert;
  std::string cert_chain;
};

}  // namespace getmesh::ca
