#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/upstream.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::manifest {

// A release of the cache and the reading of the releases pages ("pass") that last listed it.
struct CachedRelease {
  UpstreamRelease release;
  std::int64_t pass = 0;
};

// The reduced upstream catalogue as cached in <home>/cache/catalog.txt: what getmesh uses of the
// releases, not the API pages, in a line format that reads in well under a millisecond.
//
// The pages are read in passes that may span several commands (each waits for upstream for a few
// seconds at most): a pass starts when the first page is new, continues from `next_url`, and when
// its last page is read the releases it no longer lists are dropped. Only complete, valid pages
// are ever added.
struct CachedCatalog {
  std::string api_url;
  std::string etag;             // of the first releases page of the current pass
  std::int64_t checked_at = 0;  // when upstream last confirmed the first page (seconds since epoch)
  std::int64_t retry_at = 0;    // rate-limited: upstream is not asked again before this time
  std::int64_t pass = 0;        // the current pass
  std::string next_url;         // where the current pass continues; empty: it is complete
  int pass_pages = 0;           // pages read in the current pass
  std::vector<CachedRelease> releases;  // newest first

  [[nodiscard]] bool complete() const { return next_url.empty(); }
};

std::string serialize_catalog(const CachedCatalog& catalog);
// Any problem (another format, a bad line, a bad value) is an error: the cache is then ignored.
Result<CachedCatalog> parse_catalog(std::string_view text);

}  // namespace getmesh::manifest
