#include "manifest/clock.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/limits.hpp>
#include <getmesh/manifest/source.hpp>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <chrono>
#include <system_error>

namespace getmesh::embedded {
extern const std::string_view kDefaultManifest;
}

namespace getmesh::manifest {

namespace fs = std::filesystem;

namespace {

constexpr long kConnectTimeoutMs = 3000;
constexpr long kTotalTimeoutMs = 5000;

Source from_location(const std::string& location, const std::string& origin) {
  if (location.starts_with("http://") || location.starts_with("https://")) {
    return {Source::Kind::kUrl, location, origin};
  }
  if (location.starts_with("file://")) return {Source::Kind::kFile, location.substr(7), origin};
  return {Source::Kind::kFile, location, origin};
}

std::string cache_key(const std::string& url) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(url.data(), url.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (unsigned int i = 0; i < 8; ++i) {
    key += kHex[digest[i] >> 4];
    key += kHex[digest[i] & 0xf];
  }
  return key;
}

struct CacheEntry {
  std::string body;
  std::string etag;
  std::int64_t fetched_at = 0;  // seconds since the epoch
};

std::optional<CacheEntry> read_cache(const fs::path& body_file, const fs::path& meta_file,
                                     const std::string& url) {
  constexpr std::size_t kMaxMetaBytes = 64 * 1024;  // a URL, an ETag and a time
  auto body = read_regular_file(body_file, kMaxManifestBytes);
  auto meta_text = read_regular_file(meta_file, kMaxMetaBytes);
  if (!body || !meta_text) return std::nullopt;
  const auto meta = nlohmann::json::parse(*meta_text, nullptr, false);
  if (!meta.is_object() || meta.value("url", "") != url) return std::nullopt;
  return CacheEntry{std::move(*body), meta.value("etag", ""),
                    meta.value("fetched_at", std::int64_t{0})};
}

void write_cache(const fs::path& cache_dir, const fs::path& body_file, const fs::path& meta_file,
                 const std::string& url, const CacheEntry& entry) {
  // A cache that cannot be written only costs a download next time.
  if (!ensure_directory(cache_dir)) return;
  if (!write_file_atomic(body_file, entry.body)) return;
  const nlohmann::json meta = {
      {"url", url}, {"etag", entry.etag}, {"fetched_at", entry.fetched_at}};
  (void)write_file_atomic(meta_file, meta.dump());
}

// The URL of the directory the manifest was read from, for download URLs relative to it.
std::string base_url_of(const Source& source) {
  switch (source.kind) {
    case Source::Kind::kEmbedded:
      return "";
    case Source::Kind::kFile: {
      std::error_code ignored;
      const auto directory = fs::absolute(source.location, ignored).parent_path().string();
      return "file://" + directory + (directory.ends_with('/') ? "" : "/");
    }
    case Source::Kind::kUrl: {
      const auto path = source.location.substr(0, source.location.find_first_of("?#"));
      return path.substr(0, path.find_last_of('/') + 1);
    }
  }
  return "";
}

Result<Loaded> parse_loaded(std::string_view text, const Source& source,
                            std::vector<std::string> warnings = {}) {
  auto manifest = parse(text, source.describe(), base_url_of(source));
  if (!manifest) return manifest.error();
  return Loaded{std::move(*manifest), source, std::move(warnings)};
}

Result<Loaded> load_url(const Source& source, const fs::path& cache_dir, const net::Client& http,
                        const Environment& environment) {
  const auto key = cache_key(source.location);
  const auto body_file = cache_dir / ("manifest-" + key + ".json");
  const auto meta_file = cache_dir / ("manifest-" + key + ".meta.json");
  auto cached = read_cache(body_file, meta_file, source.location);

  long max_age = kManifestFreshSeconds;
  if (auto value = environment.get("GETMESH_MANIFEST_MAX_AGE")) {
    if (auto parsed = parse_non_negative(*value)) max_age = static_cast<long>(*parsed);
  }
  if (cached && now_seconds() - cached->fetched_at < max_age) {
    if (auto loaded = parse_loaded(cached->body, source)) {
      log::debug("manifest: cache hit, " + body_file.string() + " fetched " +
                 std::to_string(now_seconds() - cached->fetched_at) + " s ago (fresh for " +
                 std::to_string(max_age) + " s)");
      return loaded;
    }
  }

  net::Request request;
  request.url = source.location;
  request.connect_timeout_ms = kConnectTimeoutMs;
  request.timeout_ms = kTotalTimeoutMs;
  request.max_body_bytes = kMaxManifestBytes;
  request.headers.emplace_back("Accept", "application/json");
  if (cached && !cached->etag.empty()) request.headers.emplace_back("If-None-Match", cached->etag);
  log::debug("manifest: GET " + source.location +
             (cached && !cached->etag.empty() ? " (If-None-Match " + cached->etag + ")" : ""));
  auto response = http.send(request);
  if (response) log::debug("manifest: -> " + net::describe_status(response->status));

  const auto fall_back = [&](const std::string& why) -> Result<Loaded> {
    if (!cached) {
      return runtime_error("cannot load the manifest from " + source.location + ": " + why,
                           "check the URL and the network, or use the embedded manifest by "
                           "unsetting " +
                               source.origin);
    }
    return parse_loaded(
        cached->body, source,
        {"cannot refresh the manifest from " + source.location + " (" + why +
         "); using the copy cached " + std::to_string((now_seconds() - cached->fetched_at) / 60) +
         " minutes ago"});
  };
  if (!response) return fall_back(response.error().message);
  if (response->status == 304 && cached) {
    log::debug("manifest: not modified, using the cache " + body_file.string());
    cached->fetched_at = now_seconds();
    write_cache(cache_dir, body_file, meta_file, source.location, *cached);
    return parse_loaded(cached->body, source);
  }
  if (response->status != 200) return fall_back(net::describe_status(response->status));

  auto loaded = parse_loaded(response->body, source);
  if (!loaded)
    return loaded;  // a broken manifest is an error, never silently replaced by the cache
  write_cache(cache_dir, body_file, meta_file, source.location,
              {response->body, response->header("etag"), now_seconds()});
  return loaded;
}

}  // namespace

std::string Source::describe() const {
  switch (kind) {
    case Kind::kEmbedded:
      return "(embedded)";
    case Kind::kFile:
      return location + " (from " + origin + ")";
    case Kind::kUrl:
      return location + " (from " + origin + ")";
  }
  return location;
}

Source choose_source(const std::string& flag, const Environment& environment,
                     const std::string& config_manifest_url) {
  if (!flag.empty()) return from_location(flag, "--manifest");
  if (auto value = environment.get("GETMESH_MANIFEST"))
    return from_location(*value, "GETMESH_MANIFEST");
  if (auto value = environment.get("GETMESH_TEST_MANIFEST_PATH")) {
    return from_location(*value, "GETMESH_TEST_MANIFEST_PATH");
  }
  if (!config_manifest_url.empty())
    return from_location(config_manifest_url, "manifest_url in config.json");
  return Source{};
}

std::string_view embedded_manifest() { return embedded::kDefaultManifest; }

Result<Loaded> load(const Source& source, const fs::path& cache_dir, const net::Client& http,
                    const Environment& environment) {
  switch (source.kind) {
    case Source::Kind::kEmbedded:
      return parse_loaded(embedded_manifest(), source);
    case Source::Kind::kFile: {
      // A path may be a FIFO (`--manifest <(…)`), so it is read as a stream, within the limit.
      auto text = read_file(source.location, kMaxManifestBytes);
      if (text && text->size() > kMaxManifestBytes) {
        return runtime_error("the manifest from " + source.origin + " (" + source.location +
                                 ") is larger than " + std::to_string(kMaxManifestBytes >> 20) +
                                 " MiB",
                             "check that it is a getmesh manifest");
      }
      if (!text) {
        Error error = text.error().with_context("manifest from " + source.origin);
        error.hint = "fix the path, or unset " + source.origin + " to use the embedded manifest";
        return error;
      }
      return parse_loaded(*text, source);
    }
    case Source::Kind::kUrl:
      return load_url(source, cache_dir, http, environment);
  }
  return runtime_error("unknown manifest source");
}

}  // namespace getmesh::manifest
