#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/settings.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/net/http.hpp>

#include <memory>

namespace getmesh::ca {

// Google Certificate Authority Service v1: CreateCertificate under the CA pool (or one CA in it)
// with a config carrying the subject, the SANs, CA options (isCa, maxIssuerPathLength = the path
// length), CA key usages, the public key, and a lifetime of validity days x 86400 s. The access
// token is obtained here (see gcp_auth.hpp), so missing credentials fail before anything else.
Result<std::unique_ptr<Provider>> make_gcp_provider(const GcpOptions& options,
                                                    const Environment& environment,
                                                    const net::Client& http, Notify notify);

}  // namespace getmesh::ca
