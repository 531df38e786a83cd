#include "cli/table.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>

namespace getmesh::cli {

namespace {

// Display width of UTF-8 text: counts code points, not bytes.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string Table::render(const Paint& paint) const {
  std::vector<std::size_t> widths(headers_.size(), 0);
  const auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(cells[i]));
    }
  };
  // Cells often hold what a cluster, the catalogue or a record said: escaped, one line each.
  std::vector<std::vector<std::string>> rows;
  rows.reserve(rows_.size());
  for (const auto& row : rows_) {
    auto& escaped = rows.emplace_back();
    for (const auto& cell : row) escaped.push_back(escape_control(cell, true));
  }
  measure(headers_);
  for (const auto& row : rows) measure(row);

  std::string text;
  const auto emit = [&](const std::vector<std::string>& cells,
                        const std::vector<std::string>& colors) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      const bool painted = paint && !cell.empty() && i < colors.size() && !colors[i].empty();
      line += painted ? paint(cell, colors[i]) : cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - display_width(cell) + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  };
  emit(headers_, {});
  for (std::size_t i = 0; i < rows.size(); ++i) emit(rows[i], colors_[i]);
  return text;
}

}  // namespace getmesh::cli
