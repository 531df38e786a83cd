#include "support/flaky_server.hpp"

#include <fstream>
#include <stdexcept>

namespace getmesh::testing {

FlakyServer::FlakyServer(std::filesystem::path root, const nlohmann::json& script) {
  const auto script_file = work_.write("script.json", script.dump());
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"/usr/bin/python3", GETMESH_TEST_SERVERS_DIR "/flaky_http.py",
                                 "--root", root.string(), "--port", std::to_string(port_), "--log",
                                 (work_.path() / "requests.log").string(), "--script",
                                 script_file.string()},
        work_.path() / "output.log");
    if (wait_for_port(port_, *process_)) return;
    process_.reset();
  }
  std::ifstream output(work_.path() / "output.log");
  throw std::runtime_error("flaky_http.py did not start: " +
                           std::string(std::istreambuf_iterator<char>(output), {}));
}

std::string FlakyServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + std::string(path);
}

nlohmann::json FlakyServer::requests() const {
  auto list = nlohmann::json::array();
  std::ifstream log(work_.path() / "requests.log");
  for (std::string line; std::getline(log, line);) list.push_back(nlohmann::json::parse(line));
  return list;
}

}  // namespace getmesh::testing
