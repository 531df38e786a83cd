#pragma once

#include <string>
#include <vector>

namespace getmesh::cli {

// A plain-text table: left-aligned columns separated by three spaces, like kubectl's.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  // Every line ends with a newline and carries no trailing spaces.
  [[nodiscard]] std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace getmesh::cli
