#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <sys/types.h>
#include <vector>

namespace getmesh::testing {

// A test server started from argv that listens on 127.0.0.1 and announces itself with one JSON
// line on stdout (e.g. {"url": "https://127.0.0.1:41234", ...}). Stopped (SIGTERM, then SIGKILL)
// when destroyed. Start failures throw, failing the test.
class LoopbackServer {
 public:
  explicit LoopbackServer(const std::vector<std::string>& argv);
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer();

  [[nodiscard]] const nlohmann::json& announcement() const { return announcement_; }
  [[nodiscard]] std::string url() const { return announcement_.at("url").get<std::string>(); }

 private:
  pid_t pid_ = -1;
  nlohmann::json announcement_;
};

// The first of `python3` (PATH) and /usr/bin/python3 that can import every module in `modules`;
// empty when none can.
std::string python_with(const std::vector<std::string>& modules);

}  // namespace getmesh::testing
