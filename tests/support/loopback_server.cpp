#include "support/loopback_server.hpp"

#include <getmesh/exec/process.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace getmesh::testing {

namespace {

constexpr int kStartTimeoutMs = 30000;

// Reads one line from `fd` within the start timeout.
std::string read_line(int fd) {
  std::string line;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("the test server did not start in time");
    pollfd wait{fd, POLLIN, 0};
    if (::poll(&wait, 1, static_cast<int>(left.count())) <= 0) continue;
    char c = 0;
    const auto count = ::read(fd, &c, 1);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) throw std::runtime_error("the test server exited before announcing itself");
    if (c == '\n') return line;
    line += c;
  }
}

}  // namespace

LoopbackServer::LoopbackServer(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<char*> arguments;
  for (const auto& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
  arguments.push_back(nullptr);
  const int spawned =
      ::posix_spawnp(&pid_, arguments[0], &actions, nullptr, arguments.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error("cannot start " + argv.front());
  }
  try {
    announcement_ = nlohmann::json::parse(read_line(pipe_fds[0]));
  } catch (...) {
    ::close(pipe_fds[0]);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    throw;
  }
  ::close(pipe_fds[0]);
}

LoopbackServer::~LoopbackServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 40; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

std::string python_with(const std::vector<std::string>& modules) {
  std::string imports = "import sys";
  for (const auto& module : modules) imports += ", " + module;
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    const char* path = std::getenv("PATH");
    const auto program = exec::find_program(candidate, path != nullptr ? path : "");
    if (!program) continue;
    auto checked = exec::run_captured({*program, "-c", imports}, {}, std::chrono::seconds(30));
    if (checked && checked->exit_code == 0) return *program;
  }
  return {};
}

}  // namespace getmesh::testing
