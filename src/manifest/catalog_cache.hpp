#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/upstream.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::manifest {

// The reduced upstream catalogue as cached in <home>/cache/catalog.txt: what getmesh uses of the
// releases, not the API pages, in a line format that reads in well under a millisecond.
//
// The pages are read in readings that may span several commands (each waits for upstream for a
// few seconds at most): a reading starts when the first page is new and continues from
// `next_url`. Its pages collect in `pending`; only when its last page is read does it replace
// `releases`. A reading that breaks a limit (kMaxCatalogPages, kMaxCatalogReleases) is dropped
// whole, so the last complete catalogue is never replaced or extended by an unfinished one.
struct CachedCatalog {
  std::string api_url;
  std::string etag;             // of the first page of the last reading started
  std::int64_t checked_at = 0;  // when upstream last confirmed the first page (seconds since epoch)
  // Upstream failed (unreachable, rate-limited) and is not asked again before `retry_at`;
  // `retry_reason` says why (one line, for the notes of the commands meanwhile).
  std::int64_t retry_at = 0;
  std::string retry_reason;
  std::string next_url;  // where the reading in progress continues; empty: none in progress
  int pages = 0;         // pages of the reading in progress
  std::vector<UpstreamRelease> releases;  // the last complete reading, newest first
  std::vector<UpstreamRelease> pending;   // the reading in progress

  [[nodiscard]] bool reading() const { return !next_url.empty(); }
};

std::string serialize_catalog(const CachedCatalog& catalog);
// Any problem (another format, a bad line, a bad value, more than kMaxCatalogReleases releases in
// either list) is an error: the cache is then ignored.
Result<CachedCatalog> parse_catalog(std::string_view text);

}  // namespace getmesh::manifest
