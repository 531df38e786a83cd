#pragma once

#include "support/background_process.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace getmesh::testing {

// tests/servers/flaky_http.py on 127.0.0.1 (a free port) serving `root`, misbehaving as `script`
// says (failures with Retry-After, dropped connections, ignored ranges; see the script's
// docstring). For what nginx cannot do, e.g. "500 once, then 200".
class FlakyServer {
 public:
  FlakyServer(std::filesystem::path root, const nlohmann::json& script);

  [[nodiscard]] std::string url(std::string_view path = "") const;
  // The logged requests, one JSON object each: path, range, if_range, status.
  [[nodiscard]] nlohmann::json requests() const;

 private:
  TempDir work_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace getmesh::testing
