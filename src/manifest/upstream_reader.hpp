#pragma once

#include <getmesh/manifest/catalog.hpp>
#include <getmesh/manifest/upstream.hpp>
#include <getmesh/net/http.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace getmesh::manifest {

// A complete answer: every page read and valid, or "not modified" for the ETag sent.
struct UpstreamAnswer {
  bool not_modified = false;
  std::string etag;                       // of the first page
  std::vector<UpstreamRelease> releases;  // releases and prereleases not released yet, newest first
};

struct UpstreamFailure {
  enum class Kind {
    kUnreachable,  // no answer in time (connection refused, DNS, timeout): a note
    kRateLimited,  // 403/429 with the rate-limit headers: a note
    kBadAnswer,    // an answer that cannot be trusted or used: a warning
  };
  Kind kind = Kind::kBadAnswer;
  std::string reason;
  std::int64_t retry_at = 0;  // kRateLimited: when the limit resets (seconds since the epoch)
};

// Reads every page of the istio/istio releases within settings.timeout_ms in all. `etag` (may be
// empty) is sent as If-None-Match with the first page. The token goes only to the API's own host,
// and only over https or to a loopback address.
std::variant<UpstreamAnswer, UpstreamFailure> read_upstream(const CatalogSettings& settings,
                                                            const net::Client& http,
                                                            const std::string& etag);

}  // namespace getmesh::manifest
