#include "support/connect_proxy.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace getmesh::testing {

ConnectProxy::ConnectProxy(const std::map<std::string, std::string>& names) {
  std::vector<std::string> argv{"/usr/bin/python3", "-B",
                                GETMESH_TEST_SERVERS_DIR "/connect_proxy.py", "--log",
                                (dir_.path() / "connects.jsonl").string()};
  for (const auto& [name, ip] : names) argv.insert(argv.end(), {"--map", name + "=" + ip});
  server_ = std::make_unique<LoopbackServer>(argv, dir_.path() / "output.log");
}

std::vector<std::string> ConnectProxy::targets() const {
  std::vector<std::string> targets;
  std::ifstream log(dir_.path() / "connects.jsonl");
  for (std::string line; std::getline(log, line);) {
    if (!line.empty()) targets.push_back(nlohmann::json::parse(line).at("target"));
  }
  return targets;
}

}  // namespace getmesh::testing
