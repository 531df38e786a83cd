#include "support/terminal_run.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace getmesh::testing {

namespace {

// Reads `fd` into `into`; false at end of file (or EIO: a pseudo-terminal whose other side closed).
bool drain(int fd, std::string& into) {
  std::array<char, 4096> buffer{};
  const auto count = ::read(fd, buffer.data(), buffer.size());
  if (count > 0) {
    into.append(buffer.data(), static_cast<std::size_t>(count));
    return true;
  }
  return count < 0 && errno == EINTR;
}

}  // namespace

TerminalRunResult run_getmesh_on_terminal(const std::vector<std::string>& args,
                                          TerminalStream terminal,
                                          const std::map<std::string, std::string>& env,
                                          const std::string& answer,
                                          const std::string& interrupt_when) {
  int master = -1;
  int slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
    throw std::runtime_error("openpty failed");
  std::array<int, 2> pipe_fds{};
  if (::pipe(pipe_fds.data()) != 0) throw std::runtime_error("pipe failed");

  std::vector<std::string> argv_strings{GETMESH_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings{"TERM=xterm"};
  if (const char* path = std::getenv("PATH")) env_strings.push_back(std::string("PATH=") + path);
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    if (!interrupt_when.empty() && (::setsid() < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0)) {
      ::_exit(125);
    }
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const bool on_stdout = terminal == TerminalStream::kStdout;
    if (::dup2(answer.empty() ? null_fd : slave, STDIN_FILENO) < 0 ||
        ::dup2(slave, on_stdout ? STDOUT_FILENO : STDERR_FILENO) < 0 ||
        ::dup2(pipe_fds[1], on_stdout ? STDERR_FILENO : STDOUT_FILENO) < 0) {
      ::_exit(126);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(slave);
  ::close(pipe_fds[1]);

  TerminalRunResult result;
  bool answered = answer.empty();
  bool interrupted = interrupt_when.empty();
  std::array<pollfd, 2> fds{pollfd{master, POLLIN, 0}, pollfd{pipe_fds[0], POLLIN, 0}};
  int open_streams = 2;
  while (open_streams > 0) {
    if (::poll(fds.data(), fds.size(), 30000) <= 0) {
      ::kill(child, SIGKILL);  // hung: fail the test rather than wait forever
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!drain(fds[i].fd, i == 0 ? result.terminal : result.pipe)) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_streams;
      }
    }
    if (!answered && fds[0].fd >= 0 && result.terminal.find("[y/N]") != std::string::npos) {
      const auto typed = answer + "\n";
      answered = ::write(master, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size());
    }
    if (!interrupted && fds[0].fd >= 0 &&
        result.terminal.find(interrupt_when) != std::string::npos) {
      interrupted = ::write(master, "\x03", 1) == 1;  // Ctrl-C, as VINTR of a new terminal
    }
  }
  for (const auto& entry : fds) {
    if (entry.fd >= 0) ::close(entry.fd);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace getmesh::testing
