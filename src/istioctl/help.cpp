#include <getmesh/istioctl/help.hpp>

#include <chrono>

namespace getmesh::istioctl {

namespace {

constexpr std::chrono::seconds kHelpTimeout{20};

}  // namespace

const std::string& Help::text(std::optional<std::string>& cache,
                              const std::vector<std::string>& args) {
  if (!cache) {
    std::vector<std::string> argv{istioctl_};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto help = exec::run_captured(argv, overrides_, kHelpTimeout);
    cache = help && help->exit_code == 0 ? help->out : std::string();
  }
  return *cache;
}

bool Help::has(const std::string& command) {
  return text(top_, {"--help"}).find(command) != std::string::npos;
}

std::vector<std::string> Help::locate(const std::string& command) {
  if (has(command)) return {command};
  if (text(experimental_, {"x", "--help"}).find(command) != std::string::npos) {
    return {"x", command};
  }
  return {};
}

}  // namespace getmesh::istioctl
