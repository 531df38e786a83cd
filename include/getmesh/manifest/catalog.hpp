#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/manifest/upstream.hpp>
#include <getmesh/net/http.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::manifest {

inline constexpr const char* kDefaultGithubApi = "https://api.github.com";
inline constexpr std::int64_t kDefaultCatalogTtlSeconds = 6 * 3600;
// No command waits longer than this for upstream, all pages included.
inline constexpr long kDefaultCatalogTimeoutMs = 3000;

// How the upstream catalogue (the istio/istio GitHub releases) is read.
struct CatalogSettings {
  std::string api_url = kDefaultGithubApi;  // without a trailing slash
  std::string token;                        // GITHUB_TOKEN or GH_TOKEN; never printed or logged
  std::int64_t ttl_seconds = kDefaultCatalogTtlSeconds;
  long timeout_ms = kDefaultCatalogTimeoutMs;
  bool offline = false;  // never ask upstream; use the cache whatever its age
  bool refresh = false;  // ask upstream now, whatever the cache's age
};

// Settings from the environment (GETMESH_GITHUB_API, GITHUB_TOKEN, GH_TOKEN, GETMESH_OFFLINE,
// GETMESH_CATALOG_TIMEOUT_MS) over config.json's `github_api_url` and `catalog_ttl` (in seconds).
// A base URL that is not http(s) is a usage error naming where it came from.
Result<CatalogSettings> catalog_settings(const Environment& environment,
                                         const std::string& config_api_url,
                                         std::optional<std::int64_t> config_ttl_seconds);

// True when GETMESH_OFFLINE is set to anything but 0, false, no or off.
bool offline_requested(const Environment& environment);

// What reading the catalogue gave. It never fails: upstream problems become notes (unreachable,
// too slow, rate-limited) or warnings (a bad answer), and the cache or the manifest alone is used.
struct CatalogOutcome {
  std::optional<std::vector<UpstreamRelease>> releases;  // nullopt: none, the manifest alone
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
};

// The upstream catalogue: the cache `<cache_dir>/catalog.json` while younger than the TTL, else
// `GET {api}/repos/istio/istio/releases?per_page=100` and its `Link: rel="next"` pages, revalidated
// with the stored ETag (a 304 renews the cache). Only a complete, valid answer replaces the cache.
// A rate-limited answer keeps upstream unasked until the limit resets.
CatalogOutcome load_catalog(const CatalogSettings& settings, const std::filesystem::path& cache_dir,
                            const net::Client& http);

// The manifest merged with upstream releases, and the prereleases `list --prerelease` shows.
struct Catalogue {
  Manifest manifest;
  std::vector<UpstreamRelease> prereleases;  // as upstream lists them (versions not released yet)
  std::vector<std::string> warnings;         // checksums that disagree between the two sources
};

// Merges upstream releases into the manifest (docs/manifest.md#merging). The manifest wins for what
// it lists; upstream adds the `istio` releases it does not list, adds its download URLs, digests
// and `.sha256` files to the ones it does, and lifecycle dates estimated from Istio's policy for
// minors whose end of life the manifest does not give. Disagreeing checksums are kept (fetch
// refuses them) and reported in `warnings`.
Catalogue merge(Manifest manifest, const std::vector<UpstreamRelease>& releases);

// Days after the .0 of minor N+2 when Istio ends community support of minor N.
inline constexpr int kCommunitySupportGraceDays = 42;

}  // namespace getmesh::manifest
