#include <getmesh/core/fs.hpp>
#include <getmesh/core/interrupt.hpp>
#include <getmesh/store/lock.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace getmesh::store {

Result<FileLock> FileLock::open(const std::filesystem::path& path) {
  if (auto parent = ensure_directory(path.parent_path()); !parent) return parent.error();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return runtime_error("cannot open lock file " + path.string() + ": " + errno_text(errno),
                         "check that the getmesh home is writable");
  }
  return FileLock(fd);
}

Result<std::optional<FileLock>> FileLock::try_acquire(const std::filesystem::path& path) {
  auto lock = open(path);
  if (!lock) return lock.error();
  if (::flock(lock->fd_, LOCK_EX | LOCK_NB) == 0) return std::optional<FileLock>(std::move(*lock));
  if (errno != EWOULDBLOCK) {
    return runtime_error("cannot lock " + path.string() + ": " + errno_text(errno));
  }
  return std::optional<FileLock>();
}

Result<FileLock> FileLock::acquire(const std::filesystem::path& path,
                                   const std::function<void()>& on_wait) {
  auto opened = open(path);
  if (!opened) return opened.error();
  FileLock lock = std::move(*opened);
  const int fd = lock.fd_;
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return lock;
  if (errno != EWOULDBLOCK) {
    return runtime_error("cannot lock " + path.string() + ": " + errno_text(errno));
  }
  if (on_wait) on_wait();
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR)
      return runtime_error("cannot lock " + path.string() + ": " + errno_text(errno));
    if (interrupted()) return interrupted_error();  // Ctrl-C under an InterruptScope
  }
  return lock;
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace getmesh::store
