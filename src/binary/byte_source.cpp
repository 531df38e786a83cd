#include "binary/byte_source.hpp"

#include <getmesh/core/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace getmesh::binary {

std::optional<std::string> MemorySource::read(std::uint64_t offset, std::size_t length) const {
  if (!in_range(offset, length, bytes_.size())) return std::nullopt;
  return std::string(bytes_.substr(static_cast<std::size_t>(offset), length));
}

Result<FileSource> FileSource::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return runtime_error("cannot read " + path.string() + ": " + errno_text(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return runtime_error("cannot read " + path.string() + ": not a regular file");
  }
  return FileSource(fd, static_cast<std::uint64_t>(info.st_size));
}

FileSource::FileSource(FileSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> FileSource::read(std::uint64_t offset, std::size_t length) const {
  if (!in_range(offset, length, size_)) return std::nullopt;
  std::string bytes(length, '\0');
  std::size_t done = 0;
  while (done < length) {
    const auto count =
        ::pread(fd_, bytes.data() + done, length - done, static_cast<off_t>(offset + done));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return std::nullopt;  // an error, or the file shrank while being read
    done += static_cast<std::size_t>(count);
  }
  return bytes;
}

}  // namespace getmesh::binary
