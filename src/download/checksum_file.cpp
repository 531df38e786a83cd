#include "download/checksum_file.hpp"

#include <getmesh/core/strings.hpp>

#include <optional>
#include <vector>

namespace getmesh::download {

namespace {

struct Entry {
  std::string digest;
  std::string file;
};

constexpr std::size_t kDigestLength = 64;

std::optional<Entry> parse_line(std::string_view line) {
  if (line.size() < kDigestLength || !is_hex(line.substr(0, kDigestLength))) return std::nullopt;
  auto rest = line.substr(kDigestLength);
  if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') return std::nullopt;
  rest = trim(rest);
  if (rest.starts_with('*')) rest.remove_prefix(1);  // sha256sum's binary-mode marker
  return Entry{to_lower(line.substr(0, kDigestLength)), std::string(rest)};
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

Error not_a_checksum_file(const std::string& source, std::string_view text) {
  const auto start = trim(text);
  const bool html = start.starts_with('<');
  return runtime_error(
      "the checksum file " + source +
          (html ? " is an HTML page" : " is not a SHA-256 checksum file") +
          ", so the archive cannot be verified",
      "the mirror should serve \"<64 hex digits>  <archive name>\" there (sha256sum output), or "
      "nothing at all; fix or remove that file");
}

}  // namespace

Result<std::string> parse_checksum_file(std::string_view text, std::string_view archive_name,
                                        const std::string& source) {
  std::vector<Entry> entries;
  for (const auto& raw : split(text, '\n')) {
    const auto line = trim(raw);
    if (line.empty() || line.starts_with('#')) continue;
    auto entry = parse_line(line);
    if (!entry) return not_a_checksum_file(source, text);
    entries.push_back(std::move(*entry));
  }
  if (entries.empty()) return not_a_checksum_file(source, text);
  if (entries.size() == 1) return entries.front().digest;
  for (const auto& entry : entries) {
    if (base_name(entry.file) == archive_name) return entry.digest;
  }
  return runtime_error("the checksum file " + source + " lists " + std::to_string(entries.size()) +
                           " files but none named " + std::string(archive_name),
                       "add a line for " + std::string(archive_name) + " to that file");
}

}  // namespace getmesh::download
