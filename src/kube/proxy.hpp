#pragma once

#include <getmesh/core/environment.hpp>

#include <string>

namespace getmesh::kube {

// The proxy for requests to `server` (empty: connect directly), decided as kubectl decides it: the
// cluster's proxy-url when set (always used, even for loopback), else Go's httpproxy rules on the
// environment: HTTPS_PROXY (https_proxy) for https servers, HTTP_PROXY (http_proxy) for http ones,
// upper case first, never ALL_PROXY. Loopback (localhost, 127.0.0.0/8, ::1) is never proxied, and
// NO_PROXY (no_proxy) is matched against the server URL's own host and port (not tls-server-name):
// `*`, IPs, CIDRs, `host:port`, domains (`example.com` also matches its subdomains, `.example.com`
// and `*.example.com` only them).
std::string proxy_for(const std::string& server, const std::string& cluster_proxy_url,
                      const Environment& environment);

}  // namespace getmesh::kube
