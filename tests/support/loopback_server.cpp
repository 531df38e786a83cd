#include "support/loopback_server.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/exec/process.hpp>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace getmesh::testing {

LoopbackServer::LoopbackServer(const std::vector<std::string>& argv,
                               const std::filesystem::path& output) {
  process_ = std::make_unique<BackgroundProcess>(argv, output);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = read_file(output);
    if (text && text->find('\n') != std::string::npos) {
      announcement_ = nlohmann::json::parse(text->substr(0, text->find('\n')), nullptr, false);
      if (announcement_.is_object() && announcement_.contains("url")) return;
      throw std::runtime_error("the test server " + argv.back() + " said: " + *text);
    }
    if (!process_->running()) {
      const auto said = read_file(output);
      throw std::runtime_error("the test server exited: " + (said ? *said : std::string()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the test server did not announce itself within 30 s");
}

std::string python_with(const std::vector<std::string>& modules) {
  std::string imports = "import sys";
  for (const auto& module : modules) imports += ", " + module;
  const char* path = std::getenv("PATH");
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    const auto program = exec::find_program(candidate, path != nullptr ? path : "");
    if (!program) continue;
    auto checked = exec::run_captured({*program, "-c", imports}, {}, std::chrono::seconds(30));
    if (checked && checked->exit_code == 0) return *program;
  }
  return {};
}

}  // namespace getmesh::testing
