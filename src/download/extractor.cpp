#include "download/extractor.hpp"

#include "download/member.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::download {

namespace {

constexpr std::size_t kSniffBytes = 64;
constexpr const char* kRetryHint =
    "run the command again to download it anew; if it keeps failing, the archive on the server is "
    "broken: report it to whoever publishes it";

// Feeds libarchive from a ByteSource and remembers the source's own error and first bytes.
class Reader {
 public:
  explicit Reader(ByteSource& source) : source_(source) {}

  static la_ssize_t read(archive* handle, void* self, const void** buffer) {
    auto& reader = *static_cast<Reader*>(self);
    auto chunk = reader.source_.read();
    if (!chunk) {
      reader.error_ = chunk.error();
      archive_set_error(handle, EIO, "%s", chunk.error().message.c_str());
      return -1;
    }
    if (reader.prefix_.size() < kSniffBytes) {
      reader.prefix_.append(chunk->substr(0, kSniffBytes - reader.prefix_.size()));
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
  }

  // Pulls what libarchive left unread (the gzip trailer, padding) so every byte gets hashed.
  Status drain() {
    while (true) {
      auto chunk = source_.read();
      if (!chunk) return chunk.error();
      if (chunk->empty()) return {};
    }
  }

  [[nodiscard]] const std::optional<Error>& error() const { return error_; }
  [[nodiscard]] const std::string& prefix() const { return prefix_; }

 private:
  ByteSource& source_;
  std::optional<Error> error_;
  std::string prefix_;
};

class Extraction {
 public:
  Extraction(ByteSource& source, std::filesystem::path destination, std::string origin,
             std::uint64_t max_size)
      : reader_(source),
        destination_(std::move(destination)),
        origin_(std::move(origin)),
        max_size_(max_size),
        archive_(archive_read_new(), &archive_read_free) {}

  // On failure nothing is left at the destination.
  Status run() {
    auto result = extract();
    if (!result && created_) ::unlink(destination_.c_str());
    return result;
  }

 private:
  Status extract() {
    if (archive_ == nullptr) throw std::bad_alloc();
    archive_read_support_filter_gzip(archive_.get());
    archive_read_support_format_tar(archive_.get());
    if (archive_read_open(archive_.get(), &reader_, nullptr, &Reader::read, nullptr) !=
        ARCHIVE_OK) {
      return not_an_archive();
    }
    bool first = true;
    while (true) {
      archive_entry* entry = nullptr;
      const int status = archive_read_next_header(archive_.get(), &entry);
      if (status == ARCHIVE_EOF) break;
      if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
        return first ? not_an_archive() : damaged();
      }
      if (first) {
        first = false;
        if (archive_filter_code(archive_.get(), 0) != ARCHIVE_FILTER_GZIP) {
          return refuse("is a tar archive without gzip compression",
                        "getmesh expects a .tar.gz archive; check the URL or the mirror");
        }
      }
      if (auto handled = handle(entry); !handled) return handled;
    }
    if (first) return not_an_archive();
    if (!found_) {
      return refuse("has no istioctl (looked for \"istioctl\" and \"<dir>/bin/istioctl\")",
                    "check that the URL points at an istioctl or Istio release archive");
    }
    return reader_.drain();
  }

  Status handle(archive_entry* entry) {
    const char* raw_path = archive_entry_pathname(entry);
    if (raw_path == nullptr) return refuse("has a member whose name cannot be read", "");
    const std::string path(raw_path);
    const auto kind = classify_member(path);
    if (kind == MemberKind::kUnsafe) {
      return refuse(
          "has a member with an unsafe path " + quote(path) + " (absolute or containing \"..\")",
          "do not use this archive: it may be built to overwrite files outside the "
          "target directory");
    }
    if (kind == MemberKind::kOther) return {};
    if (found_) return refuse("holds istioctl twice (" + quote(path) + ")", "");
    found_ = true;
    if (archive_entry_hardlink(entry) != nullptr) {
      return refuse("has " + quote(path) + " as a hard link, not a regular file", "");
    }
    switch (archive_entry_filetype(entry)) {
      case AE_IFREG:
        return write(entry, path);
      case AE_IFLNK:
        return refuse("has " + quote(path) + " as a symbolic link, not a regular file", "");
      case AE_IFDIR:
        return refuse("has " + quote(path) + " as a directory, not a regular file", "");
      default:
        return refuse("has " + quote(path) + " as a special file, not a regular file", "");
    }
  }

  Status write(archive_entry* entry, const std::string& path) {
    if (archive_entry_size_is_set(entry) != 0 && archive_entry_size(entry) <= 0) {
      return refuse("has an empty istioctl (" + quote(path) + ")", "");
    }
    if (archive_entry_size_is_set(entry) != 0 &&
        static_cast<std::uint64_t>(archive_entry_size(entry)) > max_size_) {
      return too_large(path);
    }
    const int fd =
        ::open(destination_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
    if (fd < 0) return io_error("create");
    created_ = true;
    const auto result = copy(fd, entry, path);
    // The umask narrows the mode, but the owner must be able to run it.
    const auto mode =
        static_cast<mode_t>(masked_by_umask(std::filesystem::perms(0755))) | S_IRUSR | S_IXUSR;
    if (result && ::fchmod(fd, mode) != 0) return close_and_fail(fd, "write");
    if (result && ::fsync(fd) != 0) return close_and_fail(fd, "sync");
    if (::close(fd) != 0 && result) return io_error("write");
    return result;
  }

  Status copy(int fd, archive_entry* entry, const std::string& path) {
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    std::uint64_t end = 0;
    while (true) {
      const int status = archive_read_data_block(archive_.get(), &block, &size, &offset);
      if (status == ARCHIVE_EOF) break;
      if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return damaged();
      if (static_cast<std::uint64_t>(offset) + size > max_size_) return too_large(path);
      const auto* data = static_cast<const char*>(block);
      std::size_t written = 0;
      while (written < size) {
        const auto count =
            ::pwrite(fd, data + written, size - written,
                     static_cast<off_t>(static_cast<std::uint64_t>(offset) + written));
        if (count < 0) {
          if (errno == EINTR) continue;
          return io_error("write");
        }
        written += static_cast<std::size_t>(count);
      }
      end = std::max(end, static_cast<std::uint64_t>(offset) + size);
    }
    // A sparse member may end in a hole.
    if (archive_entry_size_is_set(entry) != 0) {
      end = std::max(end, static_cast<std::uint64_t>(archive_entry_size(entry)));
    }
    if (end == 0) return refuse("has an empty istioctl (" + quote(path) + ")", "");
    if (::ftruncate(fd, static_cast<off_t>(end)) != 0) return io_error("write");
    return {};
  }

  Status close_and_fail(int fd, const std::string& action) {
    const auto error = io_error(action);
    ::close(fd);
    return error;
  }

  Error io_error(const std::string& action) const {
    return runtime_error(
        "cannot " + action + " " + destination_.string() + ": " + errno_text(errno),
        "check that the getmesh home is writable and has free space");
  }

  Error refuse(const std::string& problem, std::string hint) const {
    if (reader_.error()) return *reader_.error();
    return runtime_error("the archive " + origin_ + " " + problem + "; nothing was installed",
                         hint.empty() ? "this is not a usable istioctl archive; check the URL or "
                                        "the mirror (GETMESH_MIRROR)"
                                      : std::move(hint));
  }

  Error too_large(const std::string& path) const {
    return refuse("has an istioctl (" + quote(path) + ") larger than " +
                      std::to_string(max_size_ >> 20) + " MiB",
                  "");
  }

  Error damaged() const {
    if (reader_.error()) return *reader_.error();
    return runtime_error("the archive " + origin_ + " is damaged or truncated (" +
                             archive_error_string(archive_.get()) + "); nothing was installed",
                         kRetryHint);
  }

  Error not_an_archive() const {
    if (reader_.error()) return *reader_.error();
    const auto start = trim(reader_.prefix());
    if (reader_.prefix().empty()) {
      return runtime_error("the download " + origin_ + " is empty; nothing was installed",
                           kRetryHint);
    }
    if (start.starts_with('<')) {
      return runtime_error(
          "the download " + origin_ + " is an HTML page, not an archive; nothing was installed",
          "check the URL; if GETMESH_MIRROR is set, check that the mirror serves the archive "
          "files themselves");
    }
    const bool gzip = reader_.prefix().size() >= 2 && reader_.prefix()[0] == '\x1f' &&
                      reader_.prefix()[1] == '\x8b';
    if (gzip) return damaged();
    return runtime_error(
        "the download " + origin_ + " is not a gzip-compressed tar archive; nothing was installed",
        "check the URL or the mirror (GETMESH_MIRROR)");
  }

  Reader reader_;
  std::filesystem::path destination_;
  std::string origin_;
  std::uint64_t max_size_;
  std::unique_ptr<archive, decltype(&archive_read_free)> archive_;
  bool found_ = false;
  bool created_ = false;
};

}  // namespace

Status extract_istioctl(ByteSource& source, const std::filesystem::path& destination,
                        const std::string& origin, std::uint64_t max_size) {
  return Extraction(source, destination, origin, max_size).run();
}

}  // namespace getmesh::download
