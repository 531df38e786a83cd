#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// How to run a program from a test: extra environment, working directory, stdin and a time limit.
struct RunOptions {
  std::map<std::string, std::string> env;  // added to a hermetic environment (see below)
  std::filesystem::path cwd;
  std::string input;
  std::chrono::milliseconds timeout{60000};
};

// Runs the built getmesh binary. The child sees the test's environment minus everything that could
// reach outside the test (HOME, GETMESH_*, KUBECONFIG, proxies, NO_COLOR, GitHub tokens), with
// GETMESH_OFFLINE=1 (no upstream catalogue), plus `options.env`. Tests are expected to set
// GETMESH_HOME / HOME to a temporary directory.
RunResult run_getmesh(const std::vector<std::string>& args, const RunOptions& options = {});

// Runs any program the same way (argv[0] is a path or a name looked up in PATH).
RunResult run_program(const std::vector<std::string>& argv, const RunOptions& options = {});

// Where `name` (e.g. "kubectl") is in the test's PATH; nullopt when it is not installed.
std::optional<std::string> program_on_path(const std::string& name);

}  // namespace getmesh::testing
