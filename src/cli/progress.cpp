#include "cli/progress.hpp"

#include <cstdio>

namespace getmesh::cli {

namespace {

std::string mebibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done != total) return;
  last_draw_ = now;
  drawn_ = true;
  std::string line = "\r" + label_ + " ";
  if (total > 0) {
    constexpr int kWidth = 30;
    const auto filled =
        static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * kWidth);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "] " +
            std::to_string(done * 100 / total) + "% " + mebibytes(done) + " / " + mebibytes(total);
  } else {
    line += mebibytes(done);
  }
  terminal_ << line << "\033[K" << std::flush;
}

void ProgressBar::finish() {
  if (!drawn_) return;
  terminal_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace getmesh::cli
