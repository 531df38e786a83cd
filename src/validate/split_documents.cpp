#include "validate/yaml_documents.hpp"

namespace getmesh::validate {

namespace {

bool is_marker(std::string_view line) {
  if (line.size() < 3 || line.substr(0, 3) != "---") return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// Blank, comment-only and directive lines: a document made of these alone has no content yet.
bool is_preamble(std::string_view line) {
  for (const char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    return c == '#' || c == '%';
  }
  return true;
}

}  // namespace

std::vector<DocumentText> split_documents(std::string_view stream) {
  if (stream.substr(0, 3) == "\xEF\xBB\xBF") stream.remove_prefix(3);
  std::vector<DocumentText> documents;
  std::size_t start = 0;
  int start_line = 1;
  bool has_content = false;
  bool marker_seen = false;  // since `start`
  std::size_t position = 0;
  int line_number = 1;
  while (position < stream.size()) {
    const auto end = stream.find('\n', position);
    const auto line = stream.substr(position, end == std::string_view::npos ? end : end - position);
    if (is_marker(line) && (has_content || marker_seen)) {
      // A document with content ends here; an empty one ("---" followed by "---") is dropped.
      if (has_content) documents.push_back({stream.substr(start, position - start), start_line});
      start = position;
      start_line = line_number;
      has_content = false;
    }
    marker_seen = marker_seen || is_marker(line);
    if (!is_marker(line) && !is_preamble(line)) has_content = true;
    if (is_marker(line) && line.size() > 3 && !is_preamble(line.substr(3))) has_content = true;
    if (end == std::string_view::npos) break;
    position = end + 1;
    ++line_number;
  }
  if (has_content) documents.push_back({stream.substr(start), start_line});
  return documents;
}

}  // namespace getmesh::validate
