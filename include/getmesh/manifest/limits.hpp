#pragma once

// Everything that bounds what the manifest and the upstream catalogue may cost, in one place
// (docs/configuration.md#limits, docs/manifest.md#freshness-limits-and-failures).

#include <cstddef>
#include <cstdint>

namespace getmesh::manifest {

// A manifest: a file (--manifest, a mirror's manifest.json), a download or its cached copy.
inline constexpr std::size_t kMaxManifestBytes = std::size_t{16} << 20;

// One releases page from the GitHub API, counted after gzip is undone (real pages of 100
// releases are a few MiB). The page is parsed while it arrives, and only the fields getmesh uses
// are kept.
inline constexpr std::size_t kMaxCatalogPageBytes = std::size_t{16} << 20;
// JSON values kept of one page (a real page keeps about 25,000: what getmesh reads of 100 releases
// and their assets) and how deep it may nest (real pages: 5 levels).
inline constexpr std::size_t kMaxCatalogPageValues = 250'000;
inline constexpr int kMaxCatalogPageDepth = 16;
// Releases one reading of all pages may list: istio/istio has well under a thousand, so more is a
// server inventing them.
inline constexpr std::size_t kMaxCatalogReleases = 2000;
// Pages one reading may take (100 releases a page), for the same reason.
inline constexpr int kMaxCatalogPages = 20;
// <home>/cache/catalog.txt: the reduced releases of two readings (the last complete one and the
// one in progress) fit in well under this.
inline constexpr std::size_t kMaxCatalogCacheBytes = std::size_t{16} << 20;

// After upstream could not be reached, commands do not ask it again for this long.
inline constexpr std::int64_t kUnreachableRetrySeconds = 15 * 60;
// After a rate limit without a reset time (or with one in the past), the same.
inline constexpr std::int64_t kDefaultRateLimitRetrySeconds = 60;
// The longest a server's reset time or Retry-After may keep getmesh from asking.
inline constexpr std::int64_t kMaxRetryWaitSeconds = 24 * 3600;

}  // namespace getmesh::manifest
