#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/net/http.hpp>

#include <string>

namespace getmesh::ca {

struct GcpToken {
  std::string access_token;  // never printed or logged
  std::string source;        // where it came from, for messages
};

// An OAuth 2.0 access token for Google Cloud (scope cloud-platform):
// - GOOGLE_APPLICATION_CREDENTIALS naming a service-account key file: a JWT signed with the key
//   (RS256) is exchanged at the key's token_uri (https, or http to a loopback host);
// - otherwise `gcloud auth print-access-token`, run directly from PATH (never through a shell).
Result<GcpToken> gcp_access_token(const Environment& environment, const net::Client& http);

}  // namespace getmesh::ca
