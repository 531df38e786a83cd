#include "manifest/catalog_cache.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/limits.hpp>

#include <array>

namespace getmesh::manifest {

namespace {

// One line per record, tab-separated fields; values never hold tabs or line breaks (upstream
// answers with control characters in the fields kept are refused).
constexpr std::string_view kHeader = "getmesh-catalogue 3";
constexpr std::string_view kComplete = "complete";
constexpr std::string_view kPending = "pending";
constexpr std::size_t kMaxFields = 6;

Error invalid(std::size_t line_number, const std::string& problem) {
  return runtime_error("the cached catalogue is unusable: line " + std::to_string(line_number) +
                       ": " + problem);
}

// Splits `line` at tabs; nullopt when it has another number of fields than `count`.
std::optional<std::array<std::string_view, kMaxFields>> fields(std::string_view line,
                                                               std::size_t count) {
  std::array<std::string_view, kMaxFields> result{};
  std::size_t found = 0;
  while (found < kMaxFields) {
    const auto tab = line.find('\t');
    result[found++] = line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  if (found != count || line.find('\t') != std::string_view::npos) return std::nullopt;
  return result;
}

std::string flags_of(const UpstreamRelease& release) {
  std::string flags;
  if (release.prerelease) flags += 'p';
  if (release.is_security_patch) flags += 's';
  return flags.empty() ? "-" : flags;
}

void append_releases(std::string& text, const std::vector<UpstreamRelease>& releases,
                     std::string_view list) {
  for (const auto& release : releases) {
    text.append("release\t")
        .append(release.tag)
        .append("\t")
        .append(release.published.to_string())
        .append("\t")
        .append(list)
        .append("\t")
        .append(flags_of(release))
        .append("\t")
        .append(release.notes_url)
        .append("\n");
    for (const auto& [platform, download] : release.downloads) {
      text.append("download\t")
          .append(platform)
          .append("\t")
          .append(download.url)
          .append("\t")
          .append(download.digest)
          .append("\t")
          .append(download.checksum_url)
          .append("\t")
          .append(std::to_string(download.size))
          .append("\n");
    }
  }
}

// Tabs and line breaks would split a field.
std::string one_line(std::string text) {
  for (auto& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

std::string serialize_catalog(const CachedCatalog& catalog) {
  std::string text;
  text.reserve(256 + (catalog.releases.size() + catalog.pending.size()) * 700);
  text.append(kHeader).append("\n");
  const auto field = [&](std::string_view name, const std::string& value) {
    text.append(name).append("\t").append(value).append("\n");
  };
  field("api_url", catalog.api_url);
  field("etag", catalog.etag);
  field("checked_at", std::to_string(catalog.checked_at));
  field("retry_at", std::to_string(catalog.retry_at));
  field("retry_reason", one_line(catalog.retry_reason));
  field("pages", std::to_string(catalog.pages));
  field("next_url", catalog.next_url);
  append_releases(text, catalog.releases, kComplete);
  append_releases(text, catalog.pending, kPending);
  return text;
}

Result<CachedCatalog> parse_catalog(std::string_view text) {
  CachedCatalog catalog;
  std::vector<UpstreamRelease>* current = nullptr;  // the list of the last release line
  std::size_t line_number = 0;
  bool header = false;
  const auto number = [&](std::string_view value, std::int64_t& target) -> Status {
    auto parsed = parse_non_negative(value);
    if (!parsed) return invalid(line_number, "not a number");
    target = *parsed;
    return {};
  };
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return invalid(line_number + 1, "cut off");
    const auto line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++line_number;
    if (!header) {
      if (line != kHeader) return invalid(line_number, "another format");
      header = true;
      continue;
    }
    const auto kind = line.substr(0, line.find('\t'));
    if (kind == "release") {
      const auto parts = fields(line, 6);
      if (!parts) return invalid(line_number, "a release needs 6 fields");
      if ((*parts)[3] != kComplete && (*parts)[3] != kPending) {
        return invalid(line_number, "a release is complete or pending");
      }
      auto& list = (*parts)[3] == kComplete ? catalog.releases : catalog.pending;
      if (list.size() == kMaxCatalogReleases) {
        return invalid(line_number,
                       "more than " + std::to_string(kMaxCatalogReleases) + " releases");
      }
      current = &list;
      auto& release = list.emplace_back();
      release.tag = std::string((*parts)[1]);
      auto version = Version::parse((*parts)[1].substr(0, (*parts)[1].find('-')));
      auto published = CivilDate::parse((*parts)[2]);
      if (!version || !published) return invalid(line_number, "bad tag or date");
      release.version = *version;
      release.published = *published;
      release.prerelease = (*parts)[4].find('p') != std::string_view::npos;
      release.is_security_patch = (*parts)[4].find('s') != std::string_view::npos;
      release.notes_url = std::string((*parts)[5]);
    } else if (kind == "download") {
      const auto parts = fields(line, 6);
      if (!parts || current == nullptr || (*parts)[2].empty()) {
        return invalid(line_number, "a download needs 6 fields and a release before it");
      }
      std::int64_t size = 0;
      if (auto read = number((*parts)[5], size); !read) return read.error();
      current->back().downloads.emplace(
          std::string((*parts)[1]),
          UpstreamDownload{std::string((*parts)[2]), std::string((*parts)[3]),
                           std::string((*parts)[4]), static_cast<std::uint64_t>(size)});
    } else {
      const auto parts = fields(line, 2);
      if (!parts) return invalid(line_number, "expected a name and a value");
      const auto value = (*parts)[1];
      std::int64_t pages = 0;
      Status read;
      if (kind == "api_url") {
        catalog.api_url = std::string(value);
      } else if (kind == "etag") {
        catalog.etag = std::string(value);
      } else if (kind == "next_url") {
        catalog.next_url = std::string(value);
      } else if (kind == "checked_at") {
        read = number(value, catalog.checked_at);
      } else if (kind == "retry_at") {
        read = number(value, catalog.retry_at);
      } else if (kind == "retry_reason") {
        catalog.retry_reason = std::string(value);
      } else if (kind == "pages") {
        read = number(value, pages);
        catalog.pages = static_cast<int>(std::min<std::int64_t>(pages, kMaxCatalogPages));
      } else {
        return invalid(line_number, "unknown record " + quote(kind));
      }
      if (!read) return read.error();
    }
  }
  if (!header) return invalid(1, "empty");
  return catalog;
}

}  // namespace getmesh::manifest
