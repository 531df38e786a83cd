#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace getmesh::ca {

struct LocalOptions {
  // The signing CA's certificate, optionally followed by its issuers up to the self-signed root.
  std::string root_cert_file;
  std::string root_key_file;
  std::string root_key_passphrase_file;  // first line is the passphrase of an encrypted root key
  bool generate_root = false;            // a new self-signed root instead of the files
};

// The signing CA: its certificate chain up to the self-signed root (PEM, the signing certificate
// first) and its unencrypted private key (PKCS#8 PEM, never printed).
struct LocalRoot {
  std::string chain_pem;
  std::string key_pem;
};

// Reads the root files, decrypting the key with the passphrase file when given. Errors when the
// key is encrypted without a passphrase or is not the signing certificate's key, when the signing
// certificate is not a CA that may sign certificates, or when the chain does not end in a
// self-signed root.
Result<LocalRoot> load_local_root(const LocalOptions& options);

// A new self-signed root for development meshes: the request's key type, the subject's
// organization with CN "Root CA", valid for `validity_days` from `now`, no path length limit.
Result<LocalRoot> generate_local_root(const IssueRequest& request, int validity_days,
                                      std::chrono::system_clock::time_point now);

// Signs intermediates with `root`. Issuing fails with a clear error when the root is not valid
// now or its path length does not allow one more CA. An intermediate that would outlive the root
// is refused too, unless `fit_to_root` is set: then it ends with the root, and `notify` says so.
std::unique_ptr<Provider> make_local_provider(LocalRoot root, bool fit_to_root = false,
                                              Notify notify = {});

}  // namespace getmesh::ca
