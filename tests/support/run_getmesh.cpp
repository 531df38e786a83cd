#include "support/run_getmesh.hpp"

#include <getmesh/exec/process.hpp>

#include <cstdlib>
#include <stdexcept>

namespace getmesh::testing {

std::optional<std::string> program_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  return exec::find_program(name, path != nullptr ? path : "");
}

RunResult run_program(const std::vector<std::string>& argv, const RunOptions& options) {
  exec::EnvironmentOverrides overrides;
  for (const char* name : {"HOME",
                           "GETMESH_HOME",
                           "GETMESH_MANIFEST",
                           "GETMESH_TEST_MANIFEST_PATH",
                           "GETMESH_MIRROR",
                           "GETMESH_CA_BUNDLE",
                           "GETMESH_MANIFEST_MAX_AGE",
                           "GETMESH_MAX_DOWNLOAD_MB",
                           "GETMESH_STALL_TIMEOUT",
                           "GETMESH_EXEC_PLUGIN_TIMEOUT",
                           "KUBECONFIG",
                           "http_proxy",
                           "HTTP_PROXY",
                           "https_proxy",
                           "HTTPS_PROXY",
                           "all_proxy",
                           "ALL_PROXY",
                           "no_proxy",
                           "NO_PROXY",
                           "NO_COLOR",
                           "GETMESH_GITHUB_API",
                           "GETMESH_CATALOG_TIMEOUT_MS",
                           "GITHUB_TOKEN",
                           "GH_TOKEN"}) {
    overrides[name] = std::nullopt;
  }
  // Never the real GitHub: tests that want the upstream catalogue set GETMESH_OFFLINE=0 and
  // GETMESH_GITHUB_API (tests/support/github_api.hpp).
  auto env = options.env;
  env.try_emplace("GETMESH_OFFLINE", "1");
  for (const auto& [name, value] : env) overrides[name] = value;
  std::vector<std::string> resolved = argv;
  const char* path = std::getenv("PATH");
  if (auto found = exec::find_program(argv.front(), path != nullptr ? path : ""))
    resolved[0] = *found;
  auto captured =
      exec::run_captured(resolved, overrides, options.timeout, options.input, options.cwd.string());
  if (!captured)
    throw std::runtime_error("cannot run " + argv.front() + ": " + captured.error().message);
  return {captured->exit_code, captured->out, captured->err};
}

RunResult run_getmesh(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv{GETMESH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, options);
}

}  // namespace getmesh::testing
