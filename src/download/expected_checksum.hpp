#pragma once

#include <getmesh/download/install.hpp>
#include <getmesh/net/http.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace getmesh::download {

struct ExpectedChecksum {
  std::string sha256;
  std::string source;  // "manifest", or the URL of the .sha256 file
};

// The digest the archive must have: the plan's (from the manifest), else the one in the `.sha256`
// file beside the archive. nullopt when neither exists (that file answers 404 or 410). Transient
// failures are retried within `timeout` in all; any other answer is an error, never a silent
// downgrade to "unverified".
Result<std::optional<ExpectedChecksum>> expected_checksum(const Plan& plan, const net::Client& http,
                                                          const RetryPolicy& retry,
                                                          std::chrono::seconds timeout);

}  // namespace getmesh::download
