#include "manifest/catalog_cache.hpp"

#include <getmesh/core/strings.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::manifest {

namespace {

using nlohmann::json;

constexpr int kFormat = 1;

Error invalid(const std::string& problem) {
  return runtime_error("the cached catalogue is unusable: " + problem);
}

std::string text_of(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// Absent or of another type reads as the default: the cache is ours, but a file can be damaged.
bool flag_of(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

std::int64_t number_of(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
}

Result<UpstreamRelease> read_release(const json& item) {
  if (!item.is_object()) return invalid("a release is not an object");
  UpstreamRelease release;
  release.tag = text_of(item, "tag");
  auto version = Version::parse(std::string_view(release.tag).substr(0, release.tag.find('-')));
  if (!version) return invalid("tag " + quote(release.tag));
  release.version = *version;
  auto published = CivilDate::parse(text_of(item, "published"));
  if (!published) return invalid("published date of " + release.tag);
  release.published = *published;
  release.notes_url = text_of(item, "notes");
  release.prerelease = flag_of(item, "prerelease");
  release.is_security_patch = flag_of(item, "security");
  const auto downloads = item.find("downloads");
  if (downloads == item.end() || !downloads->is_object()) {
    return invalid("downloads of " + release.tag);
  }
  for (const auto& [platform, value] : downloads->items()) {
    if (!value.is_object()) return invalid("downloads of " + release.tag);
    UpstreamDownload download{text_of(value, "url"), text_of(value, "digest"),
                              text_of(value, "checksum_url")};
    if (download.url.empty()) return invalid("download URL of " + release.tag);
    release.downloads.emplace(platform, std::move(download));
  }
  return release;
}

}  // namespace

std::string serialize_catalog(const CachedCatalog& catalog) {
  json releases = json::array();
  for (const auto& release : catalog.releases) {
    json downloads = json::object();
    for (const auto& [platform, download] : release.downloads) {
      json entry = {{"url", download.url}};
      if (!download.digest.empty()) entry["digest"] = download.digest;
      if (!download.checksum_url.empty()) entry["checksum_url"] = download.checksum_url;
      downloads[platform] = std::move(entry);
    }
    json item = {{"tag", release.tag},
                 {"published", release.published.to_string()},
                 {"downloads", std::move(downloads)}};
    if (!release.notes_url.empty()) item["notes"] = release.notes_url;
    if (release.prerelease) item["prerelease"] = true;
    if (release.is_security_patch) item["security"] = true;
    releases.push_back(std::move(item));
  }
  const json document = {{"format", kFormat},
                         {"api_url", catalog.api_url},
                         {"etag", catalog.etag},
                         {"checked_at", catalog.checked_at},
                         {"retry_at", catalog.retry_at},
                         {"releases", std::move(releases)}};
  return document.dump() + "\n";
}

Result<CachedCatalog> parse_catalog(std::string_view text) {
  const auto document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return invalid("not a JSON object");
  if (number_of(document, "format") != kFormat) return invalid("another format");
  CachedCatalog catalog;
  catalog.api_url = text_of(document, "api_url");
  catalog.etag = text_of(document, "etag");
  catalog.checked_at = number_of(document, "checked_at");
  catalog.retry_at = number_of(document, "retry_at");
  const auto releases = document.find("releases");
  if (releases == document.end() || !releases->is_array()) return invalid("no releases list");
  catalog.releases.reserve(releases->size());
  for (const auto& item : *releases) {
    auto release = read_release(item);
    if (!release) return release.error();
    catalog.releases.push_back(std::move(*release));
  }
  return catalog;
}

}  // namespace getmesh::manifest
