#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::cli {

// A plain-text table: left-aligned columns separated by three spaces, like kubectl's.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // `colors`: an ANSI colour code per cell ("" for none), for render's `paint`.
  void add_row(std::vector<std::string> cells, std::vector<std::string> colors = {}) {
    rows_.push_back(std::move(cells));
    colors_.push_back(std::move(colors));
  }
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  // Wraps a cell's text in a colour code, or leaves it as it is (Output::paint_out).
  using Paint = std::function<std::string(std::string_view text, std::string_view code)>;
  // Every line ends with a newline and carries no trailing spaces. Cells are escaped (control
  // characters), then painted by `paint` where add_row gave a colour, outside their width.
  [[nodiscard]] std::string render(const Paint& paint = {}) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::vector<std::string>> colors_;
};

}  // namespace getmesh::cli
