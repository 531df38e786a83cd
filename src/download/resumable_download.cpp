#include "download/resumable_download.hpp"

#include "download/retry.hpp"
#include "download/status_error.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/download/limits.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::download {

namespace {

constexpr std::size_t kDiskChunk = 256 * 1024;
constexpr long kConnectTimeoutMs = 10000;

struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t total = 0;  // 0 when the server says "*"
};

// "bytes <first>-<last>/<total|*>"
std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = trim(value);
  if (!value.starts_with("bytes ")) return std::nullopt;
  value.remove_prefix(6);
  const auto dash = value.find('-');
  const auto slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return std::nullopt;
  }
  const auto first = parse_non_negative(value.substr(0, dash));
  if (!first) return std::nullopt;
  ContentRange range{static_cast<std::uint64_t>(*first), 0};
  if (const auto total = parse_non_negative(value.substr(slash + 1))) {
    range.total = static_cast<std::uint64_t>(*total);
  }
  return range;
}

std::uint64_t content_length(const net::Response& head) {
  const auto length = parse_non_negative(head.header("content-length"));
  return length ? static_cast<std::uint64_t>(*length) : 0;
}

constexpr const char* kOtherFileHint =
    "the server has another file than the catalogue describes; check the mirror (GETMESH_MIRROR) "
    "and the manifest, or read the catalogue again with \"getmesh list --refresh\"";

Error io_error(const std::string& action, const std::filesystem::path& path) {
  return runtime_error("cannot " + action + " " + path.string() + ": " + errno_text(errno),
                       "check that the getmesh home is writable and has free space");
}

}  // namespace

ResumableDownload::ResumableDownload(const net::Client& http, std::string url, PartialFiles files,
                                     RetryPolicy retry, TransferLimits limits,
                                     ProgressCallback progress)
    : http_(http),
      url_(std::move(url)),
      files_(std::move(files)),
      retry_(retry),
      limits_(limits),
      progress_(std::move(progress)) {}

ResumableDownload::~ResumableDownload() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string_view> ResumableDownload::read() {
  auto chunk = next();
  failed_ = !chunk.ok();
  return chunk;
}

Result<std::string_view> ResumableDownload::next() {
  restart_pending_ = false;
  if (!started_) {
    started_ = true;
    if (auto began = begin(); !began) return began.error();
  }
  if (disk_remaining_ > 0) return read_disk();
  while (!finished_) {
    if (!stream_) {
      if (auto connected = connect(); !connected) return connected.error();
      if (restart_pending_) {
        return runtime_error("the server sent " + url_ + " from the start again");
      }
      if (disk_remaining_ > 0) return read_disk();
    }
    auto chunk = stream_->read();
    if (!chunk) {
      stream_.reset();
      if (auto waited = retry_after(chunk.error(), ""); !waited) return waited.error();
      continue;
    }
    if (chunk->empty()) {
      stream_.reset();
      if (total_ > 0 && partial_size_ < total_) {
        Error early = runtime_error("the connection for " + url_ + " closed after " +
                                    std::to_string(partial_size_) + " of " +
                                    std::to_string(total_) + " bytes");
        early.transient = true;
        if (auto waited = retry_after(early, ""); !waited) return waited.error();
        continue;
      }
      if (auto wrong = size_error(partial_size_, true)) return *wrong;
      finished_ = true;
      break;
    }
    if (auto wrong = size_error(partial_size_ + chunk->size(), false)) return *wrong;
    if (auto appended = append(*chunk); !appended) return appended.error();
    deliver(*chunk);
    return *chunk;
  }
  return std::string_view();
}

Status ResumableDownload::begin() {
  if (auto created = ensure_directory(files_.data.parent_path()); !created) return created;
  // O_APPEND: network bytes always go to the end while re-reading starts at offset 0. Never
  // through a symbolic link (or into anything but a regular file): whatever sits there is replaced
  // by a new file, as istioctl's own downloads do.
  constexpr int kFlags = O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  fd_ = ::open(files_.data.c_str(), kFlags, 0644);
  struct stat info {};
  if (fd_ < 0 && errno != ELOOP) return io_error("open", files_.data);
  if (fd_ < 0 || ::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ignored;
    std::filesystem::remove(files_.data, ignored);
    fd_ = ::open(files_.data.c_str(), kFlags | O_EXCL, 0644);
    if (fd_ < 0) return io_error("create", files_.data);
    info = {};
  }
  const auto meta = files_.read_meta();
  if (info.st_size > 0 && meta && meta->url == url_) {
    meta_ = *meta;
    partial_size_ = static_cast<std::uint64_t>(info.st_size);
  } else if (info.st_size > 0 && ::ftruncate(fd_, 0) != 0) {
    return io_error("truncate", files_.data);
  }
  return connect();
}

Status ResumableDownload::connect() {
  while (true) {
    net::Request request;
    request.url = url_;
    request.connect_timeout_ms = kConnectTimeoutMs;
    request.resume_from = partial_size_;
    request.stall_timeout_s = limits_.stall_timeout_s;
    if (partial_size_ > 0) {
      // Only a strong ETag or a date may guard a range; without either the checksum still catches
      // a mix of two versions.
      if (!meta_.etag.empty() && !meta_.etag.starts_with("W/")) {
        request.headers.emplace_back("If-Range", meta_.etag);
      } else if (!meta_.last_modified.empty()) {
        request.headers.emplace_back("If-Range", meta_.last_modified);
      }
    }
    auto stream = http_.open(request);
    if (!stream) {
      if (auto waited = retry_after(stream.error(), ""); !waited) return waited;
      continue;
    }
    auto accepted = accept(std::move(*stream), request.resume_from);
    if (!accepted) return accepted.error();
    if (*accepted) return {};
  }
}

Result<bool> ResumableDownload::accept(std::unique_ptr<net::Stream> stream, std::uint64_t from) {
  const auto& head = stream->head();
  if (head.status == 416 && from > 0) {  // the partial file is longer than the archive now
    Error refused = status_error(url_, head.status);
    refused.message += " for the bytes from " + std::to_string(from);
    refused.transient = true;  // the next attempt starts from the first byte
    if (auto waited = retry_after(refused, ""); !waited) return waited.error();
    if (auto emptied = start_over(); !emptied) return emptied.error();
    return false;
  }
  if (head.status != 200 && head.status != 206) {
    auto error = status_error(url_, head.status);
    if (auto waited = retry_after(error, head.header("retry-after")); !waited) {
      return waited.error();
    }
    return false;
  }
  if (to_lower(head.header("content-type")).starts_with("text/html")) {
    return runtime_error("the server sent an HTML page instead of an archive for " + url_,
                         "check the URL; if GETMESH_MIRROR is set, check that the mirror serves "
                         "the archive files themselves");
  }
  if (head.status == 206) {
    const auto range = parse_content_range(head.header("content-range"));
    if (!range || range->first != from) {  // not the part we asked for: fetch everything again
      if (auto emptied = start_over(); !emptied) return emptied.error();
      return false;
    }
    total_ = range->total > 0 ? range->total : from + content_length(head);
    if (auto wrong = announced_size_error(total_)) return *wrong;
    if (from > 0) resumed_ = true;
    if (delivered_ == 0) disk_remaining_ = partial_size_;  // a new run: re-read the kept bytes
  } else {
    if (from > 0 || partial_size_ > 0) {
      if (auto emptied = start_over(); !emptied) return emptied.error();
    }
    total_ = content_length(head);
    if (auto wrong = announced_size_error(total_)) return *wrong;
    meta_ = PartialMeta{url_, head.header("etag"), head.header("last-modified")};
    if (auto saved = files_.write_meta(meta_); !saved) return saved.error();
  }
  stream_ = std::move(stream);
  return true;
}

std::optional<Error> ResumableDownload::announced_size_error(std::uint64_t announced) const {
  if (limits_.exact_size && announced > 0 && announced < limits_.max_bytes) {
    return runtime_error(url_ + " is smaller than the catalogue says (" +
                             std::to_string(limits_.max_bytes) + " bytes): the server announces " +
                             std::to_string(announced) + " bytes; nothing was installed",
                         kOtherFileHint);
  }
  if (auto wrong = size_error(announced, false)) {
    if (limits_.exact_size)
      wrong->message += " (the server announces " + std::to_string(announced) + " bytes)";
    return wrong;
  }
  return std::nullopt;
}

std::optional<Error> ResumableDownload::size_error(std::uint64_t size, bool complete) const {
  const bool too_large = size > limits_.max_bytes;
  const bool too_small = complete && limits_.exact_size && size < limits_.max_bytes;
  if (!too_large && !too_small) return std::nullopt;
  const auto bytes = std::to_string(limits_.max_bytes) + " bytes";
  if (limits_.exact_size) {
    return runtime_error(url_ + " is " + (too_large ? "larger" : "smaller") +
                             " than the catalogue says (" + bytes +
                             "): " + (too_large ? "more" : "only " + std::to_string(size)) +
                             " bytes arrived; nothing was installed",
                         kOtherFileHint);
  }
  return runtime_error(url_ + " is larger than " + std::to_string(limits_.max_bytes >> 20) +
                           " MiB, the download limit; nothing was installed",
                       "if the archive really is that large, raise GETMESH_MAX_DOWNLOAD_MB; "
                       "otherwise the server sends something other than an istioctl archive");
}

Status ResumableDownload::retry_after(const Error& error, const std::string& retry_after_header) {
  // Progress is reaching further into the archive than any attempt before, by a steady amount:
  // bytes received again after a restart, or a trickle, are none.
  const bool progressed = furthest_ >= furthest_at_failure_ + kSteadyProgressBytes;
  furthest_at_failure_ = furthest_;
  failures_ = progressed ? 1 : failures_ + 1;
  ++all_failures_;
  // Progress resets failures_, so all_failures_ bounds a server that drops every connection.
  const int budget = retry_.attempts * kFailureBudgetFactor;
  if (!error.transient || failures_ >= retry_.attempts || all_failures_ >= budget) {
    if (!error.transient || all_failures_ <= 1) return error;
    Error final_error = error;
    final_error.message +=
        " (gave up after " + std::to_string(all_failures_) + " attempts: " + received_text() + ")";
    return final_error;
  }
  if (!sleep_unless_interrupted(retry_delay(retry_, failures_, retry_after_header))) {
    return interrupted_error();
  }
  return {};
}

std::string ResumableDownload::received_text() const {
  const auto expected = limits_.exact_size ? limits_.max_bytes : total_;
  std::string text = "received " + std::to_string(furthest_) + " bytes";
  if (expected > 0) {
    text += " of the " + std::to_string(expected) +
            (limits_.exact_size ? " the catalogue declares" : " the server announced");
  }
  return text;
}

Status ResumableDownload::start_over() {
  if (::ftruncate(fd_, 0) != 0) return io_error("truncate", files_.data);
  if (delivered_ > 0) restart_pending_ = true;
  partial_size_ = 0;
  delivered_ = 0;
  disk_remaining_ = 0;
  total_ = 0;
  resumed_ = false;
  hasher_.reset();
  return {};
}

Result<std::string_view> ResumableDownload::read_disk() {
  disk_buffer_.resize(kDiskChunk);
  const auto wanted =
      static_cast<std::size_t>(std::min<std::uint64_t>(kDiskChunk, disk_remaining_));
  ssize_t count = 0;
  do {
    count = ::pread(fd_, disk_buffer_.data(), wanted, static_cast<off_t>(delivered_));
  } while (count < 0 && errno == EINTR);
  if (count <= 0) {
    if (count == 0) errno = EIO;
    return io_error("read", files_.data);
  }
  const std::string_view chunk(disk_buffer_.data(), static_cast<std::size_t>(count));
  disk_remaining_ -= chunk.size();
  resumed_ = true;
  deliver(chunk);
  return chunk;
}

Status ResumableDownload::append(std::string_view chunk) {
  while (!chunk.empty()) {
    const auto count = ::write(fd_, chunk.data(), chunk.size());
    if (count < 0) {
      if (errno == EINTR) continue;
      return io_error("write", files_.data);
    }
    chunk.remove_prefix(static_cast<std::size_t>(count));
    partial_size_ += static_cast<std::uint64_t>(count);
  }
  furthest_ = std::max(furthest_, partial_size_);
  return {};
}

void ResumableDownload::deliver(std::string_view chunk) {
  hasher_.update(chunk);
  delivered_ += chunk.size();
  if (progress_) progress_(delivered_, total_);
}

}  // namespace getmesh::download
