#include "manifest/catalog_cache.hpp"
#include "manifest/clock.hpp"
#include "manifest/upstream_reader.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/catalog.hpp>
#include <getmesh/manifest/limits.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace getmesh::manifest {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCacheFile = "catalog.txt";
// How CachedCatalog::retry_reason marks an unreachable upstream; the reason follows.
constexpr const char* kUnreachablePrefix = "unreachable: ";
constexpr const char* kStopAsking =
    "GETMESH_OFFLINE=1 or \"getmesh config set offline true\" stops asking, \"getmesh list "
    "--refresh\" asks now";

std::string age_text(std::int64_t seconds) {
  const auto count = [](std::int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s") + " ago";
  };
  if (seconds < 120) return count(std::max<std::int64_t>(seconds, 0), "second");
  if (seconds < 2 * 3600) return count(seconds / 60, "minute");
  if (seconds < 2 * 86400) return count(seconds / 3600, "hour");
  return count(seconds / 86400, "day");
}

// "2026-11-20 14:05 UTC"
std::string utc_time_text(std::int64_t epoch_seconds) {
  epoch_seconds = std::max<std::int64_t>(epoch_seconds, 0);
  const auto day = CivilDate::from_days(epoch_seconds / 86400);
  const auto minutes = (epoch_seconds % 86400) / 60;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return day.to_string() + " " + clock + " UTC";
}

std::optional<CachedCatalog> read_cache(const fs::path& file, const std::string& api_url) {
  std::error_code missing;
  if (!fs::exists(file, missing)) return std::nullopt;
  auto text = read_regular_file(file, kMaxCatalogCacheBytes);
  if (!text) {
    log::debug("catalogue: ignoring the cache: " + text.error().message);
    return std::nullopt;
  }
  auto catalog = parse_catalog(*text);
  if (!catalog) {
    log::debug("catalogue: ignoring " + file.string() + ": " + catalog.error().message);
    return std::nullopt;
  }
  if (catalog->api_url != api_url) {
    log::debug("catalogue: " + file.string() + " holds " + catalog->api_url + ", not " + api_url);
    return std::nullopt;
  }
  return std::move(*catalog);
}

void write_cache(const fs::path& cache_dir, const CachedCatalog& catalog) {
  // A cache that cannot be written only costs asking upstream again next time.
  if (!ensure_directory(cache_dir)) return;
  if (auto written = write_file_atomic(cache_dir / kCacheFile, serialize_catalog(catalog));
      !written) {
    log::debug("catalogue: cannot write the cache: " + written.error().message);
  }
}

// Newest first; a prerelease goes once its version is released.
void tidy(std::vector<UpstreamRelease>& releases) {
  std::set<Version> released;
  for (const auto& release : releases) {
    if (!release.prerelease) released.insert(release.version);
  }
  std::erase_if(releases, [&](const UpstreamRelease& release) {
    return release.prerelease && released.contains(release.version);
  });
  std::stable_sort(releases.begin(), releases.end(),
                   [](const UpstreamRelease& x, const UpstreamRelease& y) {
                     if (x.version != y.version) return x.version > y.version;
                     if (x.prerelease != y.prerelease) return !x.prerelease;
                     return x.published > y.published;
                   });
}

// Drops the reading in progress; the complete catalogue stays as it is. The first page is read
// in full at the next revalidation.
UpstreamFailure abandon_reading(CachedCatalog& catalog, const std::string& why) {
  catalog.pending.clear();
  catalog.next_url.clear();
  catalog.pages = 0;
  catalog.etag.clear();
  return UpstreamFailure{UpstreamFailure::Kind::kBadAnswer, why, 0};
}

// Adds a page to the reading in progress (a release it lists replaces the one of the same tag);
// its last page makes the reading the catalogue. A reading beyond the limits is dropped.
std::optional<UpstreamFailure> apply(CachedCatalog& catalog, UpstreamPage page,
                                     const std::string& url) {
  std::map<std::string, std::size_t> by_tag;
  for (std::size_t i = 0; i < catalog.pending.size(); ++i) {
    by_tag.emplace(catalog.pending[i].tag, i);
  }
  for (auto& release : page.releases) {
    if (const auto found = by_tag.find(release.tag); found != by_tag.end()) {
      catalog.pending[found->second] = std::move(release);
    } else {
      by_tag.emplace(release.tag, catalog.pending.size());
      catalog.pending.push_back(std::move(release));
    }
  }
  ++catalog.pages;
  if (catalog.pending.size() > kMaxCatalogReleases) {
    return abandon_reading(catalog, "the releases pages list more than " +
                                        std::to_string(kMaxCatalogReleases) +
                                        " releases, more than upstream can have (" + url + ")");
  }
  catalog.next_url = std::move(page.next_url);
  tidy(catalog.pending);
  if (!catalog.reading()) {  // the last page: the reading is the catalogue now
    catalog.releases = std::move(catalog.pending);
    catalog.pending.clear();
    catalog.pages = 0;
  }
  return std::nullopt;
}

std::string rate_limit_note(const CatalogSettings& settings, std::int64_t retry_at,
                            const std::string& fallback) {
  return "the GitHub API rate limit for " + settings.api_url + " is used up until " +
         utc_time_text(retry_at) + "; " + fallback +
         (settings.token.empty() ? " (set GITHUB_TOKEN to raise the limit; "
                                 : " (the limit of the token in GITHUB_TOKEN/GH_TOKEN; ") +
         kStopAsking + ")";
}

std::string unreachable_note(const std::string& reason, std::int64_t retry_at,
                             const std::string& fallback) {
  return "cannot reach upstream releases: " + reason + "; " + fallback +
         "; not asking again before " + utc_time_text(retry_at) + " (" + kStopAsking + ")";
}

// Reads what upstream has beyond `catalog`: the first page when `revalidate`, then the rest of
// the reading in progress, as far as the time allows. Returns why it stopped early, if it did.
std::optional<UpstreamFailure> read_pages(CachedCatalog& catalog, bool revalidate,
                                          const UpstreamReader& reader, bool& changed) {
  const auto now = now_seconds();
  std::set<std::string> read_urls;
  if (revalidate) {
    const auto url = reader.first_page_url();
    read_urls.insert(url);
    const bool has_data = !catalog.releases.empty() || catalog.reading();
    auto read = reader.read(url, has_data ? catalog.etag : std::string());
    if (auto* failure = std::get_if<UpstreamFailure>(&read)) return *failure;
    auto& page = std::get<UpstreamPage>(read);
    if (!page.not_modified && page.releases.empty() && page.next_url.empty()) {
      return UpstreamFailure{UpstreamFailure::Kind::kBadAnswer,
                             url + " lists no release with an istioctl archive", 0};
    }
    changed = true;
    catalog.checked_at = now;
    catalog.retry_at = 0;
    catalog.retry_reason.clear();
    if (page.not_modified) {
      log::debug("catalogue: the first page is unchanged (304)");
    } else {
      catalog.pending.clear();  // a new reading
      catalog.pages = 0;
      catalog.etag = page.etag;
      if (auto failure = apply(catalog, std::move(page), url)) return failure;
    }
  }
  while (catalog.reading()) {
    const auto url = catalog.next_url;
    if (catalog.pages >= kMaxCatalogPages || !read_urls.insert(url).second) {
      changed = true;
      return abandon_reading(catalog, "the releases pages do not end after " +
                                          std::to_string(catalog.pages) + " pages (" + url + ")");
    }
    if (!reader.time_left()) return std::nullopt;
    auto read = reader.read(url, "");
    if (auto* failure = std::get_if<UpstreamFailure>(&read)) return *failure;
    changed = true;
    if (auto failure = apply(catalog, std::move(std::get<UpstreamPage>(read)), url)) {
      return failure;
    }
  }
  return std::nullopt;
}

// What commands use: the complete catalogue, else the first pages of the first reading.
const std::vector<UpstreamRelease>& usable(const CachedCatalog& catalog) {
  return catalog.releases.empty() ? catalog.pending : catalog.releases;
}

std::string fallback_text(const CachedCatalog& catalog, std::int64_t now) {
  if (usable(catalog).empty()) return "using the manifest alone";
  if (catalog.releases.empty()) {
    return "using the " + std::to_string(catalog.pending.size()) +
           " releases read so far (the next commands read the rest)";
  }
  return "using the catalogue cached " + age_text(now - catalog.checked_at);
}

}  // namespace

bool offline_requested(const Environment& environment) {
  const auto value = environment.get("GETMESH_OFFLINE");
  if (!value) return false;
  const auto lower = to_lower(*value);
  return lower != "0" && lower != "false" && lower != "no" && lower != "off";
}

Result<CatalogSettings> catalog_settings(const Environment& environment,
                                         const std::string& config_api_url,
                                         std::optional<std::int64_t> config_ttl_seconds) {
  CatalogSettings settings;
  std::string origin = "the default";
  if (auto value = environment.get("GETMESH_GITHUB_API")) {
    settings.api_url = *value;
    origin = "GETMESH_GITHUB_API";
  } else if (!config_api_url.empty()) {
    settings.api_url = config_api_url;
    origin = "github_api_url in config.json";
  }
  if (!settings.api_url.starts_with("https://") && !settings.api_url.starts_with("http://")) {
    return usage_error(origin + " " + quote(settings.api_url) + " is not an http(s) URL",
                       "set it to the GitHub API base, e.g. https://api.github.com or "
                       "https://github.example.com/api/v3");
  }
  while (settings.api_url.ends_with('/')) settings.api_url.pop_back();
  if (auto token = environment.get("GITHUB_TOKEN")) {
    settings.token = *token;
  } else if (auto gh_token = environment.get("GH_TOKEN")) {
    settings.token = *gh_token;
  }
  if (config_ttl_seconds) settings.ttl_seconds = *config_ttl_seconds;
  if (auto value = environment.get("GETMESH_CATALOG_TIMEOUT_MS")) {
    auto parsed = parse_non_negative(*value);
    if (!parsed || *parsed == 0 || *parsed > 600000) {
      return usage_error("GETMESH_CATALOG_TIMEOUT_MS=" + quote(*value) +
                         " is not a number of milliseconds between 1 and 600000");
    }
    settings.timeout_ms = static_cast<long>(*parsed);
  }
  settings.offline = offline_requested(environment);
  return settings;
}

CatalogOutcome load_catalog(const CatalogSettings& settings, const fs::path& cache_dir,
                            const net::Client& http) {
  CatalogOutcome outcome;
  auto cached = read_cache(cache_dir / kCacheFile, settings.api_url);
  const auto now = now_seconds();
  if (cached) {
    log::debug("catalogue: cache " + (cache_dir / kCacheFile).string() + " of " + settings.api_url +
               ", checked " + age_text(now - cached->checked_at) +
               (cached->reading() ? ", a reading in progress" : ""));
  }
  const auto take = [&](CachedCatalog& catalog) {
    auto& releases = catalog.releases.empty() ? catalog.pending : catalog.releases;
    if (!releases.empty()) outcome.releases = std::move(releases);
  };
  if (settings.offline) {
    log::debug(cached ? "catalogue: offline, using the cache" : "catalogue: offline, no cache");
    if (cached) take(*cached);
    return outcome;
  }
  // A failure is remembered until its time is up, however it came about (a rate limit whose
  // reset is more than a day away was cut to one when it was stored).
  if (cached && !settings.refresh && now < cached->retry_at &&
      cached->retry_at - now <= kMaxRetryWaitSeconds) {
    const auto fallback = fallback_text(*cached, now);
    outcome.notes.push_back(cached->retry_reason.starts_with(kUnreachablePrefix)
                                ? unreachable_note(cached->retry_reason.substr(
                                                       std::string_view(kUnreachablePrefix).size()),
                                                   cached->retry_at, fallback)
                                : rate_limit_note(settings, cached->retry_at, fallback));
    take(*cached);
    return outcome;
  }
  const bool revalidate =
      !cached || settings.refresh || now - cached->checked_at >= settings.ttl_seconds;
  if (!revalidate && !cached->reading()) {
    log::debug("catalogue: the cache is fresh (catalog_ttl " +
               std::to_string(settings.ttl_seconds) + " s)");
    take(*cached);
    return outcome;
  }

  CachedCatalog catalog = cached ? std::move(*cached) : CachedCatalog{};
  catalog.api_url = settings.api_url;
  const UpstreamReader reader(settings, http);
  bool changed = false;
  const auto failure = read_pages(catalog, revalidate, reader, changed);
  const auto fallback = fallback_text(catalog, now);
  if (!failure && catalog.reading()) {
    outcome.notes.push_back("upstream releases take more than " +
                            std::to_string(settings.timeout_ms) + " ms to read; " + fallback);
  } else if (failure) {
    switch (failure->kind) {
      case UpstreamFailure::Kind::kUnreachable:
        if (changed) {  // it answered this time, slowly: the next commands read on
          outcome.notes.push_back("upstream releases stopped answering: " + failure->reason + "; " +
                                  fallback);
          break;
        }
        catalog.retry_at = now + kUnreachableRetrySeconds;
        catalog.retry_reason = kUnreachablePrefix + failure->reason;
        outcome.notes.push_back(unreachable_note(failure->reason, catalog.retry_at, fallback));
        changed = true;
        break;
      case UpstreamFailure::Kind::kRateLimited:
        catalog.retry_at = failure->retry_at;
        catalog.retry_reason = "rate limited";
        outcome.notes.push_back(rate_limit_note(settings, failure->retry_at, fallback));
        changed = true;
        break;
      case UpstreamFailure::Kind::kBadAnswer:
        outcome.warnings.push_back("ignoring a bad answer from upstream: " + failure->reason +
                                   "; " + fallback);
        break;
    }
  } else {
    log::debug("catalogue: " + std::to_string(catalog.releases.size()) +
               " releases from upstream, all pages read");
  }
  if (changed) write_cache(cache_dir, catalog);
  take(catalog);
  return outcome;
}

}  // namespace getmesh::manifest
