#pragma once

#include <getmesh/core/result.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::exec {

// Environment changes for a child: a value sets the variable, nullopt removes it.
using EnvironmentOverrides = std::map<std::string, std::optional<std::string>>;

struct Captured {
  int exit_code = 0;  // 128 + signal number when the child was killed by a signal
  std::string out;
  std::string err;
};

// Replaces the current process with `argv[0]` (a path, never a shell). Returns only on failure.
Error replace_process(const std::vector<std::string>& argv, const EnvironmentOverrides& overrides);

// Runs `argv` with the terminal inherited and waits; returns its exit code (128 + signal when
// killed). Interrupts (Ctrl-C) reach the child; getmesh waits for it instead of dying first.
Result<int> run_attached(const std::vector<std::string>& argv,
                         const EnvironmentOverrides& overrides);

// The most a captured child may print (stdout and stderr together).
inline constexpr std::size_t kMaxCapturedBytes = std::size_t{8} << 20;

// Runs `argv` with stdout and stderr captured and `input` on stdin, in `working_directory` when
// given. The child leads its own process group and, on Linux, is killed when getmesh dies (a
// kill -9 included), so it never runs on unseen. The capture ends when the child exits, even when
// something it started in the background still holds its output open. A child that runs longer
// than `timeout`, prints more than kMaxCapturedBytes, or is interrupted (SIGINT, SIGTERM, SIGHUP
// reaching getmesh) is killed with its whole process group, which is an error naming it.
// `started`, when given, gets the child's pid as soon as it runs (on the calling thread).
Result<Captured> run_captured(const std::vector<std::string>& argv,
                              const EnvironmentOverrides& overrides,
                              std::chrono::milliseconds timeout, const std::string& input = {},
                              const std::string& working_directory = {},
                              const std::function<void(long pid)>& started = {});

// Searches PATH for `name` like execvp would; `name` containing a slash is returned as is.
std::optional<std::string> find_program(const std::string& name, const std::string& path_variable);

}  // namespace getmesh::exec
