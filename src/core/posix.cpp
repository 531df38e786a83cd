#include <getmesh/core/posix.hpp>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <crt_externs.h>
#else
#include <fstream>
#include <string>
#include <sys/prctl.h>
#endif

namespace getmesh::posix {

char** environment() {
#if defined(__APPLE__)
  return *::_NSGetEnviron();
#else
  return environ;
#endif
}

int pipe_cloexec(int fds[2]) {
#if defined(__APPLE__)
  if (::pipe(fds) != 0) return -1;
  if (::fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || ::fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
    const int error_number = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    errno = error_number;
    return -1;
  }
  return 0;
#else
  return ::pipe2(fds, O_CLOEXEC);
#endif
}

int die_with_parent(long parent) {
#if defined(__APPLE__)
  (void)parent;
  return 0;
#else
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
  return ::getppid() == parent ? 0 : -1;  // the parent died before the call: too late to ask
#endif
}

bool process_running(long pid) {
  if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)) return false;
#if defined(__APPLE__)
  return true;
#else
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!stat.is_open()) return true;  // no /proc: what kill() said
  if (!std::getline(stat, text)) return false;
  const auto end_of_name = text.rfind(") ");
  return end_of_name != std::string::npos && end_of_name + 2 < text.size() &&
         text[end_of_name + 2] != 'Z' && text[end_of_name + 2] != 'X';
#endif
}

std::int64_t modification_time_ns(const struct stat& info) {
#if defined(__APPLE__)
  const auto& time = info.st_mtimespec;
#else
  const auto& time = info.st_mtim;
#endif
  return static_cast<std::int64_t>(time.tv_sec) * 1000000000 + time.tv_nsec;
}

}  // namespace getmesh::posix
