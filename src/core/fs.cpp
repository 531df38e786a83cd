#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <random>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace getmesh {

namespace fs = std::filesystem;

std::string errno_text(int error_number) { return std::strerror(error_number); }

namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string random_suffix() {
  std::random_device device;
  return std::to_string(::getpid()) + "-" + std::to_string(device());
}

Error io_error(const std::string& action, const fs::path& path, int error_number) {
  std::string hint;
  if (error_number == EACCES || error_number == EROFS || error_number == EPERM) {
    hint = "check the permissions of " + path.parent_path().string() +
           " or point GETMESH_HOME at a writable directory";
  } else if (error_number == ENOSPC) {
    hint = "free some disk space and try again";
  }
  return runtime_error("cannot " + action + " " + path.string() + ": " + errno_text(error_number),
                       hint);
}

// Reads `fd` until its end or `limit` bytes, whichever comes first.
Status read_chunks(int fd, const fs::path& path, std::uint64_t limit,
                   const std::function<void(std::string_view)>& consume) {
  char buffer[65536];
  std::uint64_t done = 0;
  while (done < limit) {
    const auto wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buffer, limit - done));
    const auto count = ::read(fd, buffer, wanted);
    if (count < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path, errno);
    }
    if (count == 0) break;
    done += static_cast<std::uint64_t>(count);
    consume(std::string_view(buffer, static_cast<std::size_t>(count)));
  }
  return {};
}

// Opens `path` for reading when it is a regular file; O_NONBLOCK so that a FIFO never blocks the
// open itself.
Result<int> open_regular(const fs::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return io_error("read", path, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return io_error("read", path, errno);
  if (!S_ISREG(info.st_mode)) {
    const char* what = S_ISFIFO(info.st_mode)   ? "a FIFO"
                       : S_ISDIR(info.st_mode)  ? "a directory"
                       : S_ISCHR(info.st_mode)  ? "a character device"
                       : S_ISBLK(info.st_mode)  ? "a block device"
                       : S_ISSOCK(info.st_mode) ? "a socket"
                                                : "not a file";
    return runtime_error(
        "cannot read " + path.string() + ": it is not a regular file (" + what + ")",
        "replace it with a regular file, or remove it");
  }
  // Reads of a regular file never block; clearing O_NONBLOCK keeps them plain.
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  return fd.release();
}

Error too_large(const fs::path& path, std::uint64_t max_bytes) {
  const auto limit = max_bytes >= (std::uint64_t{1} << 20)
                         ? std::to_string(max_bytes >> 20) + " MiB"
                     : max_bytes >= 1024 ? std::to_string(max_bytes >> 10) + " KiB"
                                         : std::to_string(max_bytes) + " bytes";
  return runtime_error(
      "cannot read " + path.string() + ": it is larger than " + limit + ", the limit for this file",
      "check that it is the file getmesh expects; replace it, or remove it");
}

}  // namespace

Result<std::string> read_file(const fs::path& path) {
  return read_file(path, std::string().max_size() - 1);
}

Result<std::string> read_file(const fs::path& path, std::size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("read", path, errno);
  std::string content;
  auto read = read_chunks(fd.get(), path, max_bytes + 1,
                          [&](std::string_view chunk) { content.append(chunk); });
  if (!read) return read.error();
  return content;
}

Result<std::string> read_regular_file(const fs::path& path, std::size_t max_bytes) {
  auto fd = open_regular(path);
  if (!fd) return fd.error();
  FileDescriptor file(*fd);
  std::string content;
  auto read = read_chunks(file.get(), path, max_bytes + 1,
                          [&](std::string_view chunk) { content.append(chunk); });
  if (!read) return read.error();
  if (content.size() > max_bytes) return too_large(path, max_bytes);
  return content;
}

Status stream_regular_file(const fs::path& path, std::uint64_t max_bytes,
                           const std::function<void(std::string_view)>& consume) {
  auto fd = open_regular(path);
  if (!fd) return fd.error();
  FileDescriptor file(*fd);
  std::uint64_t total = 0;
  auto read = read_chunks(file.get(), path, max_bytes + 1, [&](std::string_view chunk) {
    total += chunk.size();
    if (total <= max_bytes) consume(chunk);
  });
  if (!read) return read;
  if (total > max_bytes) return too_large(path, max_bytes);
  return {};
}

Status sync_path(const fs::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return io_error("sync", path, errno);
  return {};
}

Status write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
  const fs::path temporary = path.string() + ".tmp-" + random_suffix();
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                           static_cast<mode_t>(mode)));
  if (fd.get() < 0) return io_error("write", path, errno);
  const auto fail = [&](int error_number) {
    ::unlink(temporary.c_str());
    return io_error("write", path, error_number);
  };
  std::size_t written = 0;
  while (written < content.size()) {
    const auto count = ::write(fd.get(), content.data() + written, content.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(fd.get()) != 0) return fail(errno);
  if (::close(fd.release()) != 0) return fail(errno);
  if (::rename(temporary.c_str(), path.c_str()) != 0) return fail(errno);
  const auto directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  return sync_path(directory);
}

std::uint64_t disk_usage(const fs::path& path) {
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(path, error))) {
    const auto size =
        fs::is_regular_file(fs::symlink_status(path, error)) ? fs::file_size(path, error) : 0;
    return error ? 0 : size;
  }
  std::uint64_t total = 0;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_symlink(error) && it->is_regular_file(error)) {
      const auto size = it->file_size(error);
      if (!error) total += size;
    }
  }
  return total;
}

fs::perms masked_by_umask(fs::perms mode) {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mode & ~static_cast<fs::perms>(mask);
}

Status ensure_directory(const fs::path& path, fs::perms mode) {
  std::error_code error;
  if (fs::is_directory(path, error)) return {};
  if (!path.parent_path().empty() && path.parent_path() != path) {
    if (auto parent = ensure_directory(path.parent_path(), mode); !parent) return parent;
  }
  if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST) {
    return io_error("create directory", path, errno);
  }
  if (!fs::is_directory(path, error)) {
    return runtime_error(path.string() + " exists but is not a directory",
                         "move it away or point GETMESH_HOME elsewhere");
  }
  return {};
}

}  // namespace getmesh
