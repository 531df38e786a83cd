#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/settings.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>

#include <chrono>
#include <memory>

namespace getmesh::ca {

// cert-manager: issues through a temporary Certificate `getmesh-istio-ca-<random>` (its Secret has
// the same name) in the options' namespace, waits up to `timeout` for it to become Ready, turns
// its Secret into the bundle, and deletes the Certificate and the Secret again, whether issuing
// succeeded, failed, timed out or was interrupted (SIGINT/SIGTERM); a deletion that fails is
// reported through `warn` with the kubectl command that finishes it. Progress goes to `notify`.
// Checks before creating anything that the namespace and the Issuer or ClusterIssuer exist, and
// that the issuer is not known to be unready. `client` must outlive the provider.
Result<std::unique_ptr<Provider>> make_cert_manager_provider(const CertManagerOptions& options,
                                                             const kube::Client& client,
                                                             std::chrono::seconds timeout,
                                                             Notify notify, Notify warn);

}  // namespace getmesh::ca
