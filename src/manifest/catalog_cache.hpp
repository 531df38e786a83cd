#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/upstream.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::manifest {

// The reduced upstream catalogue as cached in <home>/cache/catalog.json: what getmesh uses of the
// releases, not the API pages, so reading it stays cheap.
struct CachedCatalog {
  std::string api_url;
  std::string etag;             // of the first releases page, for If-None-Match
  std::int64_t checked_at = 0;  // when upstream last confirmed it, in seconds since the epoch
  std::int64_t retry_at = 0;    // rate-limited: upstream is not asked again before this time
  std::vector<UpstreamRelease> releases;
};

std::string serialize_catalog(const CachedCatalog& catalog);
// Any problem (not JSON, another format, a bad field) is an error: the cache is then ignored.
Result<CachedCatalog> parse_catalog(std::string_view text);

}  // namespace getmesh::manifest
