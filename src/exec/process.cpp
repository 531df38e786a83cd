#include <getmesh/core/fs.hpp>
#include <getmesh/core/posix.hpp>
#include <getmesh/exec/process.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace getmesh::exec {

namespace {

// argv and envp arrays that stay valid while the strings they point into live.
class CStringArray {
 public:
  explicit CStringArray(const std::vector<std::string>& strings) {
    for (const auto& text : strings) pointers_.push_back(const_cast<char*>(text.c_str()));
    pointers_.push_back(nullptr);
  }
  char** data() { return pointers_.data(); }

 private:
  std::vector<char*> pointers_;
};

std::vector<std::string> child_environment(const EnvironmentOverrides& overrides) {
  std::vector<std::string> entries;
  for (char** entry = posix::environment(); entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto name = text.substr(0, text.find('='));
    if (!overrides.contains(name)) entries.push_back(text);
  }
  for (const auto& [name, value] : overrides) {
    if (value) entries.push_back(name + "=" + *value);
  }
  return entries;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

Error spawn_error(const std::string& program, int error_number) {
  std::string hint;
  if (error_number == ENOENT) hint = "check that " + program + " exists";
  if (error_number == EACCES || error_number == ENOEXEC) {
    hint = "check that " + program + " is an executable for this platform";
  }
  return runtime_error("cannot run " + program + ": " + errno_text(error_number), hint);
}

// Ignores a signal in getmesh for the lifetime of the object.
class IgnoreSignal {
 public:
  explicit IgnoreSignal(int signal_number) : signal_number_(signal_number) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(signal_number_, &ignore, &old_);
  }
  IgnoreSignal(const IgnoreSignal&) = delete;
  IgnoreSignal& operator=(const IgnoreSignal&) = delete;
  ~IgnoreSignal() { ::sigaction(signal_number_, &old_, nullptr); }

 private:
  int signal_number_;
  struct sigaction old_ {};
};

Result<pid_t> spawn(const std::vector<std::string>& argv, const EnvironmentOverrides& overrides,
                    posix_spawn_file_actions_t* actions) {
  posix_spawnattr_t attributes;
  ::posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);  // macros on macOS: no `::`
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  sigaddset(&defaults, SIGPIPE);
  ::posix_spawnattr_setsigdefault(&attributes, &defaults);
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);

  auto environment = child_environment(overrides);
  CStringArray child_argv(argv);
  CStringArray child_envp(environment);
  pid_t pid = 0;
  const int result = ::posix_spawn(&pid, argv.front().c_str(), actions, &attributes,
                                   child_argv.data(), child_envp.data());
  ::posix_spawnattr_destroy(&attributes);
  if (result != 0) return spawn_error(argv.front(), result);
  return pid;
}

Result<int> wait_for(pid_t pid, const std::string& program) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return runtime_error("cannot wait for " + program + ": " + errno_text(errno));
  }
  return exit_code_of(status);
}

}  // namespace

Error replace_process(const std::vector<std::string>& argv, const EnvironmentOverrides& overrides) {
  for (const auto& [name, value] : overrides) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
  CStringArray child_argv(argv);
  ::execv(argv.front().c_str(), child_argv.data());
  return spawn_error(argv.front(), errno);
}

Result<int> run_attached(const std::vector<std::string>& argv,
                         const EnvironmentOverrides& overrides) {
  // The child owns the terminal: Ctrl-C reaches it, and getmesh waits for its exit code.
  IgnoreSignal ignore_interrupt(SIGINT);
  IgnoreSignal ignore_quit(SIGQUIT);
  auto pid = spawn(argv, overrides, nullptr);
  if (!pid) return pid.error();
  return wait_for(*pid, argv.front());
}

Result<Captured> run_captured(const std::vector<std::string>& argv,
                              const EnvironmentOverrides& overrides,
                              std::chrono::milliseconds timeout, const std::string& input,
                              const std::string& working_directory) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (posix::pipe_cloexec(out_pipe) != 0) return runtime_error("pipe: " + errno_text(errno));
  if (posix::pipe_cloexec(err_pipe) != 0) return runtime_error("pipe: " + errno_text(errno));
  if (posix::pipe_cloexec(in_pipe) != 0) return runtime_error("pipe: " + errno_text(errno));

  IgnoreSignal ignore_broken_pipe(SIGPIPE);  // the child may exit without reading its input
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  if (!working_directory.empty()) {
    ::posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
  }
  auto pid = spawn(argv, overrides, &actions);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (!pid) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return pid.error();
  }

  // Feed stdin and drain both outputs without blocking on any single pipe.
  std::size_t input_written = 0;
  int stdin_fd = in_pipe[1];
  if (input.empty()) {
    ::close(stdin_fd);
    stdin_fd = -1;
  } else {
    ::fcntl(stdin_fd, F_SETFL, O_NONBLOCK);
  }
  Captured captured;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  int open_outputs = 2;
  pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {stdin_fd, POLLOUT, 0}};
  while (open_outputs > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    fds[2].fd = stdin_fd;
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buffer[16384];
      const auto count = ::read(fds[i].fd, buffer, sizeof buffer);
      if (count > 0) {
        (i == 0 ? captured.out : captured.err).append(buffer, static_cast<std::size_t>(count));
      } else if (count == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_outputs;
      }
    }
    if (stdin_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const auto count =
          ::write(stdin_fd, input.data() + input_written, input.size() - input_written);
      if (count > 0) input_written += static_cast<std::size_t>(count);
      if (count < 0 || input_written == input.size()) {
        ::close(stdin_fd);
        stdin_fd = -1;
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  if (stdin_fd >= 0) ::close(stdin_fd);
  if (timed_out) {
    ::kill(*pid, SIGKILL);
    (void)wait_for(*pid, argv.front());
    return runtime_error(argv.front() + " did not finish within " +
                         std::to_string(timeout.count() / 1000) + " s and was stopped");
  }
  auto code = wait_for(*pid, argv.front());
  if (!code) return code.error();
  captured.exit_code = *code;
  return captured;
}

std::optional<std::string> find_program(const std::string& name, const std::string& path_variable) {
  if (name.find('/') != std::string::npos) return name;
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    auto end = path_variable.find(':', start);
    if (end == std::string::npos) end = path_variable.size();
    const auto directory = path_variable.substr(start, end - start);
    const auto candidate = (directory.empty() ? std::string(".") : directory) + "/" + name;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace getmesh::exec
