#pragma once

#include <getmesh/download/install.hpp>
#include <getmesh/net/http.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::download {

// The digest every source agreed on, and the sources ("manifest", "upstream-digest", the URL of
// the .sha256 file).
struct ExpectedChecksum {
  std::string sha256;
  std::vector<std::string> sources;
};

// The digest the archive must have: the plan's checksums and the one in its `.sha256` file (when
// the plan names one and it exists). nullopt when there is none at all (the file answers 404 or
// 410). Sources that disagree are an error naming each value and source. Transient failures are
// retried within `timeout` in all; any other answer is an error, never a silent downgrade to
// "unverified".
Result<std::optional<ExpectedChecksum>> expected_checksum(const Plan& plan, const net::Client& http,
                                                          const RetryPolicy& retry,
                                                          std::chrono::seconds timeout);

}  // namespace getmesh::download
