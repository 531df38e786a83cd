#pragma once

#include "download/byte_source.hpp"
#include "download/partial.hpp"
#include "download/sha256.hpp"

#include <getmesh/download/install.hpp>
#include <getmesh/net/http.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::download {

// How large the archive may be and how long its transfer may stall.
struct TransferLimits {
  std::uint64_t max_bytes = 0;  // more is refused
  bool exact_size = false;      // max_bytes is the size the manifest gives; fewer is refused too
  long stall_timeout_s = 30;
};

// The archive at `url` as a ByteSource. Every byte is appended to the partial file and hashed on
// the way through. Transient failures are retried with backoff and continued with Range + If-Range
// without the reader noticing. Bytes left by an interrupted run are re-read from disk first, once
// the server confirmed (206) that they are still current.
//
// When the server sends the whole archive again (a 200 to a range request: Range unsupported or
// the file changed), read() fails once with restart_pending() set; the reader must start over, and
// the next read() returns the first byte again. An archive beyond `limits` is an error (not
// transient) as soon as the server announces it or the bytes exceed it.
class ResumableDownload final : public ByteSource {
 public:
  ResumableDownload(const net::Client& http, std::string url, PartialFiles files, RetryPolicy retry,
                    TransferLimits limits, ProgressCallback progress);
  ResumableDownload(const ResumableDownload&) = delete;
  ResumableDownload& operator=(const ResumableDownload&) = delete;
  ~ResumableDownload() override;

  Result<std::string_view> read() override;

  [[nodiscard]] bool restart_pending() const { return restart_pending_; }
  // The last read() failed (rather than the reader giving up on the bytes it got).
  [[nodiscard]] bool failed() const { return failed_; }
  // Some bytes came from an earlier run or an earlier connection.
  [[nodiscard]] bool resumed() const { return resumed_; }
  // SHA-256 of every byte read (call once, at the end).
  std::string digest() { return hasher_.finish(); }

 private:
  Result<std::string_view> next();
  Status begin();
  // Opens the network stream at the end of the partial file, retrying transient failures.
  Status connect();
  // Handles the response of a connection attempt; false with no error means "try again now".
  Result<bool> accept(std::unique_ptr<net::Stream> stream, std::uint64_t from);
  // Counts a failure and sleeps before the next attempt, or returns the error when out of tries.
  Status retry_after(const Error& error, const std::string& retry_after_header);
  // Empties the partial file; the reader must start over if it had received bytes.
  Status start_over();
  Result<std::string_view> read_disk();
  Status append(std::string_view chunk);
  void deliver(std::string_view chunk);
  // The error for an archive of `size` bytes (`complete`: all of it) that breaks the limits.
  [[nodiscard]] std::optional<Error> size_error(std::uint64_t size, bool complete) const;
  // The error for a size the server announces that differs from the catalogue's or is too large.
  [[nodiscard]] std::optional<Error> announced_size_error(std::uint64_t announced) const;
  // "received 1000 bytes of the 5000 the catalogue declares" (the most any attempt had), for
  // giving up.
  [[nodiscard]] std::string received_text() const;

  const net::Client& http_;
  std::string url_;
  PartialFiles files_;
  RetryPolicy retry_;
  TransferLimits limits_;
  ProgressCallback progress_;
  PartialMeta meta_;
  Sha256 hasher_;
  int fd_ = -1;
  std::unique_ptr<net::Stream> stream_;
  std::vector<char> disk_buffer_;
  std::uint64_t partial_size_ = 0;         // bytes in the partial file
  std::uint64_t delivered_ = 0;            // bytes returned by read() since the last start
  std::uint64_t disk_remaining_ = 0;       // bytes of the partial file still to re-read
  std::uint64_t total_ = 0;                // archive size when the server said, else 0
  std::uint64_t furthest_ = 0;             // the most bytes of the archive any attempt had
  std::uint64_t furthest_at_failure_ = 0;  // furthest_ at the last failed attempt
  int failures_ = 0;                       // failed attempts since steady progress
  int all_failures_ = 0;                   // failed attempts of the whole download
  bool started_ = false;
  bool finished_ = false;
  bool restart_pending_ = false;
  bool failed_ = false;
  bool resumed_ = false;
};

}  // namespace getmesh::download
