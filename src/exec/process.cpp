#include <getmesh/core/fs.hpp>
#include <getmesh/core/posix.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/exec/process.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <mutex>
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

// Starts a child that shares getmesh's terminal and process group, with the default handling of
// the signals getmesh ignores or catches.
Result<pid_t> spawn(const std::vector<std::string>& argv, const EnvironmentOverrides& overrides) {
  posix_spawnattr_t attributes;
  ::posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);  // macros on macOS: no `::`
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGHUP);
  ::posix_spawnattr_setsigdefault(&attributes, &defaults);
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);

  auto environment = child_environment(overrides);
  CStringArray child_argv(argv);
  CStringArray child_envp(environment);
  pid_t pid = 0;
  const int result = ::posix_spawn(&pid, argv.front().c_str(), nullptr, &attributes,
                                   child_argv.data(), child_envp.data());
  ::posix_spawnattr_destroy(&attributes);
  if (result != 0) return spawn_error(argv.front(), result);
  return pid;
}

// The standard streams of a captured child and the folder it starts in.
struct CapturedSetup {
  int in = -1;
  int out = -1;
  int err = -1;
  const std::string& working_directory;
};

// In the child after fork(): `from` becomes `to` (inherited by exec); async-signal-safe.
bool redirect(int from, int to) {
  if (from == to) return ::fcntl(to, F_SETFD, 0) == 0;  // dup2 would leave close-on-exec set
  return ::dup2(from, to) == to;
}

// Starts a captured child with fork and exec rather than posix_spawn, because only the child
// itself can ask to die with getmesh (posix::die_with_parent): a child of a killed getmesh would
// run on unseen, and an istioctl install of an upgrade could then overlap with the next run's.
// The child leads its own process group and gets the default handling of the signals getmesh
// ignores or catches. Between fork and exec it only makes async-signal-safe calls; a failure
// there reaches the parent as an errno through a close-on-exec pipe.
Result<pid_t> spawn_captured(const std::vector<std::string>& argv,
                             const EnvironmentOverrides& overrides, const CapturedSetup& setup) {
  auto environment = child_environment(overrides);
  CStringArray child_argv(argv);
  CStringArray child_envp(environment);
  int report[2];
  if (posix::pipe_cloexec(report) != 0) return runtime_error("pipe: " + errno_text(errno));
  const long parent = static_cast<long>(::getpid());
  const pid_t pid = ::fork();
  if (pid == 0) {
    int failure = 0;
    if (posix::die_with_parent(parent) != 0) ::_exit(127);  // getmesh is gone: nothing to do
    if (::setpgid(0, 0) != 0) failure = errno;
    struct sigaction standard {};
    standard.sa_handler = SIG_DFL;
    for (const int signal_number : {SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGHUP}) {
      ::sigaction(signal_number, &standard, nullptr);
    }
    if (failure == 0 && (!redirect(setup.in, STDIN_FILENO) || !redirect(setup.out, STDOUT_FILENO) ||
                         !redirect(setup.err, STDERR_FILENO))) {
      failure = errno;
    }
    if (failure == 0 && !setup.working_directory.empty() &&
        ::chdir(setup.working_directory.c_str()) != 0) {
      failure = errno;
    }
    if (failure == 0) {
      ::execve(argv.front().c_str(), child_argv.data(), child_envp.data());
      failure = errno;
    }
    (void)!::write(report[1], &failure, sizeof failure);
    ::_exit(127);
  }
  const int fork_error = errno;
  ::close(report[1]);
  if (pid < 0) {
    ::close(report[0]);
    return spawn_error(argv.front(), fork_error);
  }
  int failure = 0;
  ssize_t count = 0;
  do {
    count = ::read(report[0], &failure, sizeof failure);
  } while (count < 0 && errno == EINTR);
  ::close(report[0]);
  if (count == static_cast<ssize_t>(sizeof failure)) {  // exec did not happen
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return spawn_error(argv.front(), failure);
  }
  return pid;
}

using Clock = std::chrono::steady_clock;

// The longest a capture sleeps before it looks at the child again.
constexpr std::chrono::milliseconds kLongestWait{50};
constexpr int kForwardedSignals[] = {SIGINT, SIGTERM, SIGHUP};

std::mutex forwarding_mutex;
int forwarding_users = 0;
struct sigaction forwarding_previous[std::size(kForwardedSignals)];
volatile std::sig_atomic_t forwarded_signal = 0;

void remember_signal(int signal_number) { forwarded_signal = signal_number; }

// Captured children lead their own process groups, which Ctrl-C on the terminal does not reach.
// While one runs, SIGINT, SIGTERM and SIGHUP (unless ignored) only set a flag so the capture can
// kill the child's group; when the last capture ends, the previous handlers come back and a signal
// that arrived is raised again, so getmesh then ends (or handles it) as it would have.
class InterruptForwarding {
 public:
  InterruptForwarding() {
    const std::lock_guard lock(forwarding_mutex);
    if (forwarding_users++ > 0) return;
    forwarded_signal = 0;
    for (std::size_t i = 0; i < std::size(kForwardedSignals); ++i) {
      ::sigaction(kForwardedSignals[i], nullptr, &forwarding_previous[i]);
      if (forwarding_previous[i].sa_handler == SIG_IGN) continue;
      struct sigaction remember {};
      remember.sa_handler = remember_signal;  // no SA_RESTART: poll() returns early
      sigemptyset(&remember.sa_mask);
      ::sigaction(kForwardedSignals[i], &remember, nullptr);
    }
  }
  InterruptForwarding(const InterruptForwarding&) = delete;
  InterruptForwarding& operator=(const InterruptForwarding&) = delete;
  ~InterruptForwarding() {
    const std::lock_guard lock(forwarding_mutex);
    if (--forwarding_users > 0) return;
    for (std::size_t i = 0; i < std::size(kForwardedSignals); ++i) {
      ::sigaction(kForwardedSignals[i], &forwarding_previous[i], nullptr);
    }
    if (const int signal_number = forwarded_signal; signal_number != 0) {
      forwarded_signal = 0;
      ::raise(signal_number);
    }
  }

  [[nodiscard]] bool pending() const { return forwarded_signal != 0; }
};

// The pipes of a captured child: feeds its stdin and collects its stdout and stderr without
// blocking on any single pipe. Closes what is still open when destroyed.
class CapturedIo {
 public:
  CapturedIo(int out, int err, int in, const std::string& input)
      : fds_{{out, POLLIN, 0}, {err, POLLIN, 0}, {in, POLLOUT, 0}}, input_(input) {
    if (input_.empty()) {
      close_fd(2);
    } else {
      ::fcntl(in, F_SETFL, O_NONBLOCK);
    }
  }
  CapturedIo(const CapturedIo&) = delete;
  CapturedIo& operator=(const CapturedIo&) = delete;
  ~CapturedIo() {
    for (std::size_t i = 0; i < std::size(fds_); ++i) close_fd(i);
  }

  // Whether an output or stdin is still open.
  [[nodiscard]] bool open() const { return fds_[0].fd >= 0 || fds_[1].fd >= 0 || fds_[2].fd >= 0; }
  // Bytes captured so far.
  [[nodiscard]] std::size_t size() const { return captured_.out.size() + captured_.err.size(); }

  // Waits up to `wait` for a pipe to be ready (or a signal), then moves what is ready.
  void transfer(std::chrono::milliseconds wait) {
    const auto descriptors = static_cast<nfds_t>(std::size(fds_));  // 32 bits on macOS
    if (::poll(fds_, descriptors, static_cast<int>(wait.count())) <= 0) return;
    read_ready();
    if (fds_[2].fd >= 0 && (fds_[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const auto count = ::write(fds_[2].fd, input_.data() + written_, input_.size() - written_);
      if (count > 0) written_ += static_cast<std::size_t>(count);
      if ((count < 0 && errno != EINTR && errno != EAGAIN) || written_ == input_.size()) {
        close_fd(2);
      }
    }
  }

  // Reads what the outputs hold right now, without waiting (the child has exited; something it
  // started may still hold the pipes open).
  void drain() {
    close_fd(2);
    while (size() <= kMaxCapturedBytes && ::poll(fds_, 2, 0) > 0) {
      if (!read_ready()) break;
    }
  }

  Captured take() { return std::move(captured_); }

 private:
  // Reads one chunk from each ready output; false when nothing was read.
  bool read_ready() {
    bool progress = false;
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds_[i].fd < 0 || (fds_[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buffer[16384];
      const auto count = ::read(fds_[i].fd, buffer, sizeof buffer);
      if (count > 0) {
        (i == 0 ? captured_.out : captured_.err).append(buffer, static_cast<std::size_t>(count));
        progress = true;
      } else if (count == 0 || errno != EINTR) {
        close_fd(i);
      }
    }
    return progress;
  }

  void close_fd(std::size_t index) {
    if (fds_[index].fd >= 0) ::close(fds_[index].fd);
    fds_[index].fd = -1;
  }

  pollfd fds_[3];
  const std::string& input_;
  std::size_t written_ = 0;
  Captured captured_;
};

// The exit code of `pid` once it has ended (reaping it), nullopt while it runs.
std::optional<int> exited(pid_t pid) {
  int status = 0;
  pid_t done = 0;
  do {
    done = ::waitpid(pid, &status, WNOHANG);
  } while (done < 0 && errno == EINTR);
  if (done == pid) return exit_code_of(status);
  if (done < 0) return 1;  // not our child any more: nothing to wait for
  return std::nullopt;
}

// Kills the process group `pid` leads and reaps `pid`, waiting at most a moment for it.
void stop_group(pid_t pid) {
  ::kill(-pid, SIGKILL);
  const auto until = Clock::now() + std::chrono::seconds(2);
  auto pause = std::chrono::milliseconds(1);
  while (!exited(pid) && Clock::now() < until) {
    ::poll(nullptr, 0, static_cast<int>(pause.count()));
    pause = std::min(pause * 2, kLongestWait);
  }
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
  auto pid = spawn(argv, overrides);
  if (!pid) return pid.error();
  return wait_for(*pid, argv.front());
}

Result<Captured> run_captured(const std::vector<std::string>& argv,
                              const EnvironmentOverrides& overrides,
                              std::chrono::milliseconds timeout, const std::string& input,
                              const std::string& working_directory,
                              const std::function<void(long pid)>& started) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (posix::pipe_cloexec(out_pipe) != 0) return runtime_error("pipe: " + errno_text(errno));
  if (posix::pipe_cloexec(err_pipe) != 0) return runtime_error("pipe: " + errno_text(errno));
  if (posix::pipe_cloexec(in_pipe) != 0) return runtime_error("pipe: " + errno_text(errno));

  IgnoreSignal ignore_broken_pipe(SIGPIPE);  // the child may exit without reading its input
  InterruptForwarding interrupts;            // before the spawn, so no Ctrl-C slips through
  auto pid =
      spawn_captured(argv, overrides, {in_pipe[0], out_pipe[1], err_pipe[1], working_directory});
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (!pid) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return pid.error();
  }
  if (started) started(static_cast<long>(*pid));

  CapturedIo io(out_pipe[0], err_pipe[0], in_pipe[1], input);
  const auto deadline = Clock::now() + timeout;
  std::optional<int> exit_code;
  std::string stopped_because;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    if (interrupts.pending()) {
      stopped_because = "was stopped: getmesh was interrupted";
      break;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      stopped_because = "did not finish within " + describe_duration(timeout) + " and was stopped";
      break;
    }
    // The child's exit ends the capture even when something it started still holds the pipes.
    if ((exit_code = exited(*pid))) {
      io.drain();
      break;
    }
    auto wait = std::min(left, kLongestWait);
    if (!io.open()) {  // the outputs are closed: poll for the exit with growing pauses
      wait = std::min(left, pause);
      pause = std::min(pause * 2, kLongestWait);
    }
    io.transfer(wait);
    if (io.size() > kMaxCapturedBytes) {
      stopped_because =
          "printed more than " + std::to_string(kMaxCapturedBytes >> 20) + " MiB and was stopped";
      break;
    }
  }
  if (!exit_code) {
    stop_group(*pid);
    return runtime_error(argv.front() + " " + stopped_because);
  }
  auto captured = io.take();
  captured.exit_code = *exit_code;
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
