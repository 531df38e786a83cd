#include "manifest/catalog_cache.hpp"
#include "manifest/upstream_reader.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/catalog.hpp>

#include <chrono>

namespace getmesh::manifest {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCacheFile = "catalog.json";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

std::string fallback_text(const std::optional<CachedCatalog>& cached, std::int64_t now) {
  return cached ? "using the catalogue cached " + age_text(now - cached->checked_at)
                : "using the manifest alone";
}

std::string rate_limit_note(const CatalogSettings& settings, std::int64_t retry_at,
                            const std::string& fallback) {
  return "the GitHub API rate limit for " + settings.api_url + " is used up until " +
         utc_time_text(retry_at) + "; " + fallback +
         (settings.token.empty() ? " (set GITHUB_TOKEN to raise the limit)"
                                 : " (the limit of the token in GITHUB_TOKEN/GH_TOKEN)");
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
               ", checked " + age_text(now - cached->checked_at));
  }
  if (settings.offline) {
    log::debug(cached ? "catalogue: offline, using the cache" : "catalogue: offline, no cache");
    if (cached) outcome.releases = std::move(cached->releases);
    return outcome;
  }
  if (cached && !settings.refresh) {
    if (now < cached->retry_at) {
      outcome.notes.push_back(
          rate_limit_note(settings, cached->retry_at, fallback_text(cached, now)));
      outcome.releases = std::move(cached->releases);
      return outcome;
    }
    if (now - cached->checked_at < settings.ttl_seconds) {
      log::debug("catalogue: the cache is fresh (catalog_ttl " +
                 std::to_string(settings.ttl_seconds) + " s)");
      outcome.releases = std::move(cached->releases);
      return outcome;
    }
  }

  auto read = read_upstream(settings, http, cached ? cached->etag : std::string());
  if (auto* answer = std::get_if<UpstreamAnswer>(&read)) {
    if (answer->not_modified && cached) {
      log::debug("catalogue: unchanged upstream (304), the cache is renewed");
      cached->checked_at = now;
      cached->retry_at = 0;
      write_cache(cache_dir, *cached);
      outcome.releases = std::move(cached->releases);
      return outcome;
    }
    log::debug("catalogue: " + std::to_string(answer->releases.size()) +
               " releases read from upstream");
    write_cache(cache_dir, CachedCatalog{settings.api_url, answer->etag, now, 0, answer->releases});
    outcome.releases = std::move(answer->releases);
    return outcome;
  }

  const auto& failure = std::get<UpstreamFailure>(read);
  const auto fallback = fallback_text(cached, now);
  switch (failure.kind) {
    case UpstreamFailure::Kind::kUnreachable:
      outcome.notes.push_back("cannot reach upstream releases: " + failure.reason + "; " +
                              fallback);
      break;
    case UpstreamFailure::Kind::kRateLimited:
      outcome.notes.push_back(rate_limit_note(settings, failure.retry_at, fallback));
      if (cached) {
        cached->retry_at = failure.retry_at;
        write_cache(cache_dir, *cached);
      }
      break;
    case UpstreamFailure::Kind::kBadAnswer:
      outcome.warnings.push_back("ignoring a bad answer from upstream: " + failure.reason + "; " +
                                 fallback);
      break;
  }
  if (cached) outcome.releases = std::move(cached->releases);
  return outcome;
}

}  // namespace getmesh::manifest
