#include "manifest/catalog_cache.hpp"
#include "manifest/clock.hpp"
#include "manifest/upstream_reader.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/catalog.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace getmesh::manifest {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCacheFile = "catalog.txt";
// A pass that has not ended after this many pages is a loop, not a repository.
constexpr int kMaxPassPages = 50;

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
  const auto day = CivilDate::from_days(epoch_seconds / 86400);
  const auto minutes = (epoch_seconds % 86400) / 60;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return day.to_string() + " " + clock + " UTC";
}

std::optional<CachedCatalog> read_cache(const fs::path& file, const std::string& api_url) {
  auto text = read_file(file);
  if (!text) return std::nullopt;
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
void tidy(CachedCatalog& catalog) {
  std::set<Version> released;
  for (const auto& entry : catalog.releases) {
    if (!entry.release.prerelease) released.insert(entry.release.version);
  }
  std::erase_if(catalog.releases, [&](const CachedRelease& entry) {
    return entry.release.prerelease && released.contains(entry.release.version);
  });
  std::stable_sort(catalog.releases.begin(), catalog.releases.end(),
                   [](const CachedRelease& a, const CachedRelease& b) {
                     const auto& x = a.release;
                     const auto& y = b.release;
                     if (x.version != y.version) return x.version > y.version;
                     if (x.prerelease != y.prerelease) return !x.prerelease;
                     return x.published > y.published;
                   });
}

// Adds a page of the current pass; a release it lists replaces the cached one of the same tag.
void apply(CachedCatalog& catalog, UpstreamPage page) {
  std::map<std::string, std::size_t> by_tag;
  for (std::size_t i = 0; i < catalog.releases.size(); ++i) {
    by_tag.emplace(catalog.releases[i].release.tag, i);
  }
  for (auto& release : page.releases) {
    if (const auto found = by_tag.find(release.tag); found != by_tag.end()) {
      catalog.releases[found->second] = {std::move(release), catalog.pass};
    } else {
      by_tag.emplace(release.tag, catalog.releases.size());
      catalog.releases.push_back({std::move(release), catalog.pass});
    }
  }
  ++catalog.pass_pages;
  catalog.next_url = std::move(page.next_url);
  if (catalog.complete()) {  // the last page: what the pass did not list is gone upstream
    std::erase_if(catalog.releases,
                  [&](const CachedRelease& entry) { return entry.pass != catalog.pass; });
  }
  tidy(catalog);
}

std::string rate_limit_note(const CatalogSettings& settings, std::int64_t retry_at,
                            const std::string& fallback) {
  return "the GitHub API rate limit for " + settings.api_url + " is used up until " +
         utc_time_text(retry_at) + "; " + fallback +
         (settings.token.empty() ? " (set GITHUB_TOKEN to raise the limit)"
                                 : " (the limit of the token in GITHUB_TOKEN/GH_TOKEN)");
}

// Reads what upstream has beyond `catalog`: the first page when `revalidate`, then the rest of
// the current pass, as far as the time allows. Returns why it stopped early, if it did.
std::optional<UpstreamFailure> read_pages(CachedCatalog& catalog, bool revalidate,
                                          const UpstreamReader& reader, bool& changed) {
  const auto now = now_seconds();
  std::set<std::string> read_urls;
  if (revalidate) {
    const auto url = reader.first_page_url();
    read_urls.insert(url);
    auto read = reader.read(url, catalog.releases.empty() ? std::string() : catalog.etag);
    if (auto* failure = std::get_if<UpstreamFailure>(&read)) return *failure;
    auto& page = std::get<UpstreamPage>(read);
    changed = true;
    catalog.checked_at = now;
    catalog.retry_at = 0;
    if (page.not_modified) {
      log::debug("catalogue: the first page is unchanged (304)");
    } else {
      if (page.releases.empty() && page.next_url.empty()) {
        return UpstreamFailure{UpstreamFailure::Kind::kBadAnswer,
                               url + " lists no release with an istioctl archive", 0};
      }
      ++catalog.pass;
      catalog.pass_pages = 0;
      catalog.etag = page.etag;
      apply(catalog, std::move(page));
    }
  }
  while (!catalog.complete()) {
    if (catalog.pass_pages >= kMaxPassPages || !read_urls.insert(catalog.next_url).second) {
      const auto url = catalog.next_url;
      catalog.next_url.clear();  // keep what was read, start afresh next time
      catalog.checked_at = 0;
      changed = true;
      return UpstreamFailure{UpstreamFailure::Kind::kBadAnswer,
                             "the releases pages do not end (" + url + ")", 0};
    }
    if (!reader.time_left()) return std::nullopt;
    auto read = reader.read(catalog.next_url, "");
    if (auto* failure = std::get_if<UpstreamFailure>(&read)) return *failure;
    apply(catalog, std::move(std::get<UpstreamPage>(read)));
    changed = true;
  }
  return std::nullopt;
}

std::string fallback_text(const CachedCatalog& catalog, std::int64_t now) {
  if (catalog.releases.empty()) return "using the manifest alone";
  if (!catalog.complete()) {
    return "using the " + std::to_string(catalog.releases.size()) +
           " releases read so far (the next commands read the rest)";
  }
  return "using the catalogue cached " + age_text(now - catalog.checked_at);
}

std::vector<UpstreamRelease> releases_of(CachedCatalog& catalog) {
  std::vector<UpstreamRelease> releases;
  releases.reserve(catalog.releases.size());
  for (auto& entry : catalog.releases) releases.push_back(std::move(entry.release));
  return releases;
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
               (cached->complete() ? "" : ", partly read"));
  }
  const auto take = [&](CachedCatalog& catalog) {
    if (!catalog.releases.empty()) outcome.releases = releases_of(catalog);
  };
  if (settings.offline) {
    log::debug(cached ? "catalogue: offline, using the cache" : "catalogue: offline, no cache");
    if (cached) take(*cached);
    return outcome;
  }
  if (cached && !settings.refresh && now < cached->retry_at) {
    outcome.notes.push_back(
        rate_limit_note(settings, cached->retry_at, fallback_text(*cached, now)));
    take(*cached);
    return outcome;
  }
  const bool revalidate =
      !cached || settings.refresh || now - cached->checked_at >= settings.ttl_seconds;
  if (!revalidate && cached->complete()) {
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
  if (!failure && !catalog.complete()) {
    outcome.notes.push_back("upstream releases take more than " +
                            std::to_string(settings.timeout_ms) + " ms to read; " + fallback);
  } else if (failure) {
    switch (failure->kind) {
      case UpstreamFailure::Kind::kUnreachable:
        outcome.notes.push_back("cannot reach upstream releases: " + failure->reason + "; " +
                                fallback);
        break;
      case UpstreamFailure::Kind::kRateLimited:
        outcome.notes.push_back(rate_limit_note(settings, failure->retry_at, fallback));
        catalog.retry_at = failure->retry_at;
        changed = changed || !catalog.releases.empty();
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
  if (changed && !catalog.releases.empty()) write_cache(cache_dir, catalog);
  take(catalog);
  return outcome;
}

}  // namespace getmesh::manifest
