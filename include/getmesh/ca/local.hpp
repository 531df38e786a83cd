#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace getmesh::ca {

struct LocalOptions {
  std::string root_cert_file;
  std::string root_key_file;
  std::string root_key_passphrase_file;  // first line is the passphrase of an encrypted root key
  bool generate_root = false;            // a new self-signed root instead of the files
};

// A root certificate and its unencrypted private key (PKCS#8 PEM, never printed).
struct LocalRoot {
  std::string cert_pem;
  std::string key_pem;
};

// Reads the root files, decrypting the key with the passphrase file when given. Errors when the
// key is encrypted without a passphrase, is not the certificate's key, or the certificate is not
// a CA that may sign certificates.
Result<LocalRoot> load_local_root(const LocalOptions& options);

// A new self-signed root for development meshes: the request's key type, the subject's
// organization with CN "Root CA", valid for `validity_days` from `now`, no path length limit.
Result<LocalRoot> generate_local_root(const IssueRequest& request, int validity_days,
                                      std::chrono::system_clock::time_point now);

// Signs intermediates with `root`. Issuing fails with a clear error when the root is not valid
// now, would expire before the intermediate, or its path length does not allow one more CA.
std::unique_ptr<Provider> make_local_provider(LocalRoot root);

}  // namespace getmesh::ca
