#pragma once

#include <getmesh/manifest/catalog.hpp>
#include <getmesh/manifest/upstream.hpp>
#include <getmesh/net/http.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace getmesh::manifest {

// One page of `GET /repos/istio/istio/releases`, valid and complete.
struct UpstreamPage {
  bool not_modified = false;  // 304 for the ETag sent
  std::string etag;
  std::vector<UpstreamRelease> releases;
  std::string next_url;  // rel="next", on the API's own host; empty on the last page
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

// When a rate-limited upstream may be asked again: Retry-After (seconds), else x-ratelimit-reset
// (epoch seconds; one in the past counts as none), else a minute; at most kMaxRetryWaitSeconds
// from `now`, so a reset far in the future cannot stop updates for good.
std::int64_t retry_time(const net::Response& head, std::int64_t now);

// Reads releases pages; every page of one reader shares settings.timeout_ms, counted from its
// construction. The token goes only over https or to a loopback address by parsed host (never to a
// URL with userinfo), is dropped when a redirect leaves the API's server, and next pages must be
// on the API's own host, so it never leaves for another one.
class UpstreamReader {
 public:
  UpstreamReader(const CatalogSettings& settings, const net::Client& http);

  [[nodiscard]] std::string first_page_url() const;
  [[nodiscard]] bool time_left() const;
  // `etag` (may be empty) is sent as If-None-Match.
  std::variant<UpstreamPage, UpstreamFailure> read(const std::string& url,
                                                   const std::string& etag) const;

 private:
  // Opens `request`, following redirects itself; the token goes only to the API's server.
  Result<std::unique_ptr<net::Stream>> open(net::Request request) const;
  [[nodiscard]] long remaining_ms() const;
  [[nodiscard]] UpstreamFailure too_slow() const;

  const CatalogSettings& settings_;
  const net::Client& http_;
  std::string origin_;
  std::chrono::steady_clock::time_point deadline_;
  bool send_token_;
};

}  // namespace getmesh::manifest
