#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/settings.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/net/http.hpp>

#include <chrono>
#include <memory>

namespace getmesh::ca {

// ACM Private CA: issues the CA from a CSR with IssueCertificate (the subordinate CA template,
// validity in days), waits up to `timeout` for it, then fetches it with GetCertificate; the chain
// comes from GetCertificate, else from GetCertificateAuthorityCertificate. Credentials are
// resolved here (see aws_credentials.hpp), so a missing credential fails before anything else.
Result<std::unique_ptr<Provider>> make_aws_provider(const AwsOptions& options,
                                                    const Environment& environment,
                                                    const net::Client& http,
                                                    std::chrono::seconds timeout, Notify notify);

}  // namespace getmesh::ca
