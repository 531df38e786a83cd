#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace getmesh::ca {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;  // never printed or logged
  std::string session_token;      // empty for long-term keys
  std::string source;             // where they came from, for messages
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request to sign. `path` is the absolute, already URI-encoded path; `query` the encoded
// query string without '?' (or empty). `headers` must include Host.
struct SigV4Request {
  std::string method = "POST";
  std::string path = "/";
  std::string query;
  Headers headers;
  std::string body;
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point time;
};

// AWS Signature Version 4: returns the headers to add to the request, in order: X-Amz-Date,
// X-Amz-Security-Token (with a session token) and Authorization. Every header of the request
// and the added date and token are signed.
Headers sign_v4(const SigV4Request& request, const AwsCredentials& credentials);

}  // namespace getmesh::ca
