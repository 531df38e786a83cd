#include "manifest/page_parser.hpp"

#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/limits.hpp>
#include <getmesh/manifest/upstream.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <utility>

namespace getmesh::manifest {

namespace {

using nlohmann::json;

constexpr std::string_view kDigestPrefix = "sha256:";

// Istio's archive suffixes and the platform keys of the manifest.
constexpr std::pair<std::string_view, std::string_view> kArchiveSuffixes[] = {
    {"linux-amd64", "linux-amd64"}, {"linux-arm64", "linux-arm64"}, {"linux-armv7", "linux-armv7"},
    {"osx", "osx-amd64"},           {"osx-arm64", "osx-arm64"},
};

bool is_prerelease_suffix(std::string_view suffix) {
  return !suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
  });
}

// An http(s) URL without spaces or control characters (the cache keeps one per field).
bool is_web_url(std::string_view url) {
  return (url.starts_with("https://") || url.starts_with("http://")) &&
         std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

// Walks one page and stops at the first problem, which it names with the release's position.
class PageReader {
 public:
  explicit PageReader(const std::string& url) : url_(url) {}

  Result<std::vector<UpstreamRelease>> run(const json& document) {
    if (!document.is_array()) return bad("", "expected a JSON list of releases");
    std::vector<UpstreamRelease> releases;
    for (std::size_t i = 0; i < document.size(); ++i) {
      where_ = "release [" + std::to_string(i) + "]";
      const auto& item = document[i];
      if (!item.is_object()) return bad("", "expected an object");
      if (!item.contains("draft") || !item["draft"].is_boolean()) {
        return bad("draft", "missing or not true/false");
      }
      if (item["draft"].get<bool>()) continue;  // unpublished: not a release yet
      UpstreamRelease release;
      if (auto read = read_release(item, release); !read) return read.error();
      if (!canonical_) {
        log::debug("catalogue: skipping the release tagged " + quote(release.tag) + " of " + url_ +
                   ": not a canonical version (" + release.version.to_string() + ")");
        continue;
      }
      if (!release.downloads.empty()) releases.push_back(std::move(release));
    }
    return releases;
  }

 private:
  Error bad(const std::string& field, const std::string& problem) const {
    return runtime_error("the upstream releases from " + url_ + " are invalid: " + where_ +
                         (field.empty() ? "" : "." + field) + ": " + problem);
  }

  Status read_release(const json& item, UpstreamRelease& release) {
    if (!item.contains("tag_name") || !item["tag_name"].is_string()) {
      return bad("tag_name", "missing or not a string");
    }
    release.tag = item["tag_name"].get<std::string>();
    where_ += " (" + quote(release.tag) + ")";
    const auto dash = release.tag.find('-');
    auto version = Version::parse(std::string_view(release.tag).substr(0, dash));
    const bool has_suffix = dash != std::string::npos;
    if (!version ||
        (has_suffix && !is_prerelease_suffix(std::string_view(release.tag).substr(dash + 1)))) {
      return bad("tag_name", "not a version X.Y.Z or X.Y.Z-<prerelease>");
    }
    release.version = *version;
    // "01.28.1" reads as 1.28.1 but is not how Istio tags it: never a second 1.28.1.
    canonical_ = version->to_string() == std::string_view(release.tag).substr(0, dash);
    if (!item.contains("prerelease") || !item["prerelease"].is_boolean()) {
      return bad("prerelease", "missing or not true/false");
    }
    release.prerelease = item["prerelease"].get<bool>() || has_suffix;

    if (!item.contains("published_at") || !item["published_at"].is_string()) {
      return bad("published_at", "missing or not a string");
    }
    const auto published_text = item["published_at"].get<std::string>();
    auto published = CivilDate::parse(std::string_view(published_text).substr(0, 10));
    if (!published || (published_text.size() > 10 && published_text[10] != 'T')) {
      return bad("published_at", quote(published_text) + " is not an ISO 8601 time");
    }
    release.published = *published;
    if (item.contains("html_url") && item["html_url"].is_string() &&
        is_web_url(item["html_url"].get<std::string>())) {
      release.notes_url = item["html_url"].get<std::string>();
    }
    if (item.contains("body") && item["body"].is_string()) {
      release.is_security_patch = mentions_security_fix(item["body"].get<std::string>());
    }
    if (!item.contains("assets") || !item["assets"].is_array()) {
      return bad("assets", "missing or not a list");
    }
    return read_assets(item["assets"], release);
  }

  Status read_assets(const json& assets, UpstreamRelease& release) {
    std::map<std::string, std::string> checksum_urls;  // by platform
    for (std::size_t i = 0; i < assets.size(); ++i) {
      const auto field = "assets[" + std::to_string(i) + "]";
      const auto& asset = assets[i];
      if (!asset.is_object() || !asset.contains("name") || !asset["name"].is_string()) {
        return bad(field + ".name", "missing or not a string");
      }
      std::string name = asset["name"].get<std::string>();
      const bool is_checksum = name.ends_with(".sha256");
      if (is_checksum) name.resize(name.size() - std::string_view(".sha256").size());
      const auto platform = istioctl_archive_platform(name, release.tag);
      if (!platform) continue;  // the full release archives, Windows builds, ...

      if (!asset.contains("browser_download_url") || !asset["browser_download_url"].is_string() ||
          !is_web_url(asset["browser_download_url"].get<std::string>())) {
        return bad(field + ".browser_download_url", "missing or not an http(s) URL");
      }
      const auto url = asset["browser_download_url"].get<std::string>();
      if (is_checksum) {
        checksum_urls[*platform] = url;
        continue;
      }
      auto& download = release.downloads[*platform];
      download.url = url;
      if (asset.contains("digest") && !asset["digest"].is_null()) {
        const auto digest = asset["digest"].is_string() ? asset["digest"].get<std::string>() : "";
        const auto hex = to_lower(
            std::string_view(digest).substr(std::min(digest.size(), kDigestPrefix.size())));
        if (!digest.starts_with(kDigestPrefix) || hex.size() != 64 || !is_hex(hex)) {
          return bad(field + ".digest", "expected \"sha256:\" and 64 hexadecimal digits");
        }
        download.digest = hex;
      }
      if (asset.contains("size") && !asset["size"].is_null()) {
        if (!asset["size"].is_number_unsigned()) return bad(field + ".size", "not a byte count");
        download.size = asset["size"].get<std::uint64_t>();
      }
    }
    for (auto& [platform, download] : release.downloads) {
      if (const auto found = checksum_urls.find(platform); found != checksum_urls.end()) {
        download.checksum_url = found->second;
      }
    }
    return {};
  }

  const std::string& url_;
  std::string where_;
  bool canonical_ = true;  // of the release being read
};

// The bytes of a page as a character sequence for the JSON parser, pulled chunk by chunk. The
// first failure of `chunks` ends the sequence and is kept.
class ChunkCursor {
 public:
  explicit ChunkCursor(const PageChunks& chunks) : chunks_(chunks) {}

  [[nodiscard]] bool at_end() {
    while (position_ == chunk_.size() && !done_) {
      auto next = chunks_();
      position_ = 0;
      if (!next) {
        error_ = next.error();
        chunk_ = {};
      } else {
        chunk_ = *next;
      }
      done_ = !next || next->empty();
    }
    return position_ == chunk_.size();
  }
  // Ends the sequence early with `error` (the parser then fails as on a cut-off page).
  void stop(Error error) {
    if (!error_) error_ = std::move(error);
    done_ = true;
    chunk_ = {};
    position_ = 0;
  }
  [[nodiscard]] char current() const { return chunk_[position_]; }
  void advance() { ++position_; }
  [[nodiscard]] const std::optional<Error>& error() const { return error_; }

 private:
  const PageChunks& chunks_;
  std::string_view chunk_;
  std::size_t position_ = 0;
  bool done_ = false;
  std::optional<Error> error_;
};

// What the parser keeps of a page: the fields PageReader reads, nothing inside fields that should
// be plain values, at most kMaxCatalogPageValues values, at most kMaxCatalogPageDepth levels
// (GitHub's release objects carry authors, uploaders and counters getmesh never uses, and a hostile
// page could nest or repeat without end). Release objects are at depth 1 of the page's list, their
// fields at 2; assets at 3, their fields at 4.
class PageFilter {
 public:
  PageFilter(ChunkCursor& cursor, const std::string& url) : cursor_(cursor), url_(url) {}

  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    if (depth > kMaxCatalogPageDepth)
      return stop("is nested more than " + std::to_string(kMaxCatalogPageDepth) + " levels deep");
    if (event == Event::key) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (depth == 2) release_field_ = key;
      return (depth == 2 && among(kReleaseFields, key)) ||
             (depth == 4 && in_assets() && among(kAssetFields, key));
    }
    if (event == Event::object_start || event == Event::array_start) return true;
    // A value or a finished object or list: kept where PageReader looks for one.
    const bool wanted = depth <= 2 || (in_assets() && depth <= 4);
    if (wanted && ++kept_ > kMaxCatalogPageValues) {
      return stop("holds more than " + std::to_string(kMaxCatalogPageValues) + " values");
    }
    return wanted;
  }

 private:
  static constexpr std::string_view kReleaseFields[] = {
      "tag_name", "draft", "prerelease", "published_at", "html_url", "body", "assets"};
  static constexpr std::string_view kAssetFields[] = {"name", "browser_download_url", "digest",
                                                      "size"};

  template <typename Keys>
  static bool among(const Keys& keys, std::string_view key) {
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
  }
  [[nodiscard]] bool in_assets() const { return release_field_ == "assets"; }
  bool stop(const std::string& why) {
    cursor_.stop(
        runtime_error("the upstream releases from " + url_ + " are invalid: the page " + why));
    return false;
  }

  ChunkCursor& cursor_;
  const std::string& url_;
  std::string release_field_;  // the field of the release being read
  std::size_t kept_ = 0;
};

// An input iterator over a ChunkCursor; the default one is the end.
class ChunkIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  ChunkIterator() = default;
  explicit ChunkIterator(ChunkCursor& cursor) : cursor_(&cursor) {}

  char operator*() const { return cursor_->current(); }
  ChunkIterator& operator++() {
    cursor_->advance();
    return *this;
  }
  ChunkIterator operator++(int) {
    auto before = *this;
    cursor_->advance();
    return before;
  }
  bool operator==(const ChunkIterator& other) const { return ended() == other.ended(); }
  bool operator!=(const ChunkIterator& other) const { return !(*this == other); }

 private:
  [[nodiscard]] bool ended() const { return cursor_ == nullptr || cursor_->at_end(); }
  ChunkCursor* cursor_ = nullptr;
};

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The word before position `at` in `text`, skipping spaces; `at` moves to its start.
std::string_view word_before(std::string_view text, std::size_t& at) {
  auto end = at;
  while (end > 0 && !is_word_char(text[end - 1])) --end;
  at = end;
  while (at > 0 && is_word_char(text[at - 1])) --at;
  return text.substr(at, end - at);
}

// "no security fixes", "not a security release", "without any security patch".
bool is_negated(std::string_view text, std::size_t at) {
  auto before = word_before(text, at);
  if (before == "a" || before == "an" || before == "any") before = word_before(text, at);
  return before == "no" || before == "not" || before == "without";
}

bool digits_at(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(at),
                     text.begin() + static_cast<std::ptrdiff_t>(at + count),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::optional<std::string> istioctl_archive_platform(std::string_view asset_name,
                                                     std::string_view tag) {
  const std::string prefix = "istioctl-" + std::string(tag) + "-";
  constexpr std::string_view kExtension = ".tar.gz";
  if (!asset_name.starts_with(prefix) || !asset_name.ends_with(kExtension)) return std::nullopt;
  const auto suffix =
      asset_name.substr(prefix.size(), asset_name.size() - prefix.size() - kExtension.size());
  for (const auto& [archive_suffix, key] : kArchiveSuffixes) {
    if (suffix == archive_suffix) return std::string(key);
  }
  return std::nullopt;
}

Result<std::vector<UpstreamRelease>> parse_releases_page(const PageChunks& chunks,
                                                         const std::string& url) {
  ChunkCursor cursor(chunks);
  while (!cursor.at_end() && std::isspace(static_cast<unsigned char>(cursor.current())) != 0) {
    cursor.advance();
  }
  if (cursor.error()) return *cursor.error();
  if (!cursor.at_end() && cursor.current() == '<') {
    return runtime_error("the upstream releases from " + url + " are an HTML page, not JSON");
  }
  PageFilter filter(cursor, url);
  const json::parser_callback_t keep = [&filter](int depth, json::parse_event_t event,
                                                 json& parsed) {
    return filter(depth, event, parsed);
  };
  const auto document =
      json::parse(ChunkIterator(cursor), ChunkIterator(), keep, /*allow_exceptions=*/false);
  if (cursor.error()) return *cursor.error();
  if (document.is_discarded()) {
    return runtime_error("the upstream releases from " + url + " are not valid JSON");
  }
  return PageReader(url).run(document);
}

Result<std::vector<UpstreamRelease>> parse_releases_page(std::string_view text,
                                                         const std::string& url) {
  bool given = false;
  const PageChunks once = [&]() -> Result<std::string_view> {
    return std::exchange(given, true) ? std::string_view() : text;
  };
  return parse_releases_page(once, url);
}

std::optional<std::string> next_page_url(std::string_view header) {
  // <https://api.github.com/repositories/1/releases?page=2>; rel="next", <...>; rel="last"
  std::size_t at = 0;
  while ((at = header.find('<', at)) != std::string_view::npos) {
    const auto close = header.find('>', at);
    if (close == std::string_view::npos) return std::nullopt;
    const auto url = header.substr(at + 1, close - at - 1);
    const auto comma = header.find(',', close);
    const auto params =
        header.substr(close + 1, comma == std::string_view::npos ? comma : comma - close - 1);
    for (const auto& param : split(params, ';')) {
      const auto trimmed = trim(param);
      if (trimmed == "rel=\"next\"" || trimmed == "rel=next") return std::string(url);
    }
    at = close;
  }
  return std::nullopt;
}

bool mentions_security_fix(std::string_view notes) {
  const auto text = to_lower(notes);
  for (auto at = text.find("istio-security-"); at != std::string::npos;
       at = text.find("istio-security-", at + 1)) {
    if (digits_at(text, at + std::string_view("istio-security-").size(), 4)) return true;
  }
  for (auto at = text.find("cve-"); at != std::string::npos; at = text.find("cve-", at + 1)) {
    if ((at == 0 || !is_word_char(text[at - 1])) && digits_at(text, at + 4, 4) &&
        at + 8 < text.size() && text[at + 8] == '-' && digits_at(text, at + 9, 4)) {
      return true;
    }
  }
  for (const std::string_view phrase :
       {"security fix", "security release", "security patch", "security update"}) {
    for (auto at = text.find(phrase); at != std::string::npos; at = text.find(phrase, at + 1)) {
      if (at > 0 && is_word_char(text[at - 1])) continue;
      if (!is_negated(text, at)) return true;
    }
  }
  return false;
}

}  // namespace getmesh::manifest
