#include <getmesh/core/posix.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <crt_externs.h>
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

std::int64_t modification_time_ns(const struct stat& info) {
#if defined(__APPLE__)
  const auto& time = info.st_mtimespec;
#else
  const auto& time = info.st_mtim;
#endif
  return static_cast<std::int64_t>(time.tv_sec) * 1000000000 + time.tv_nsec;
}

}  // namespace getmesh::posix
