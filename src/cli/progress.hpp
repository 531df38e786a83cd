#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace getmesh::cli {

// A one-line progress bar redrawn in place on a terminal, at most ten times a second.
class ProgressBar {
 public:
  ProgressBar(std::ostream& terminal, std::string label)
      : terminal_(terminal), label_(std::move(label)) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { finish(); }

  void update(std::uint64_t done, std::uint64_t total);
  // Clears the line; called automatically on destruction.
  void finish();

 private:
  std::ostream& terminal_;
  std::string label_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace getmesh::cli
