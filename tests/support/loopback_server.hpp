#pragma once

#include "support/background_process.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace getmesh::testing {

// A test server started from argv that picks a free port on 127.0.0.1 itself and announces it
// with one JSON line on stdout (e.g. {"url": "https://127.0.0.1:41234", ...}). Its output goes to
// `output`; it is stopped when destroyed. Start failures throw with that output, failing the test.
class LoopbackServer {
 public:
  LoopbackServer(const std::vector<std::string>& argv, const std::filesystem::path& output);

  [[nodiscard]] const nlohmann::json& announcement() const { return announcement_; }
  [[nodiscard]] std::string url() const { return announcement_.at("url").get<std::string>(); }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  nlohmann::json announcement_;
};

// The first of `python3` (PATH) and /usr/bin/python3 that can import every module in `modules`;
// empty when none can.
std::string python_with(const std::vector<std::string>& modules);

}  // namespace getmesh::testing
