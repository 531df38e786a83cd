#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/rest_config.hpp>
#include <getmesh/net/http.hpp>

#include <string>

namespace getmesh::kube {

// The error for a request that got no HTTP answer: refused, timed out, TLS failure, bad proxy.
Error transport_error(const Error& cause, const RestConfig& config);

// The error for a non-2xx answer, using the Kubernetes `Status` in the body when there is one.
Error status_error(const net::Response& response, const std::string& method,
                   const std::string& path, const RestConfig& config);

}  // namespace getmesh::kube
