#pragma once

#include "download/byte_source.hpp"
#include "download/partial.hpp"
#include "download/sha256.hpp"

#include <getmesh/download/install.hpp>
#include <getmesh/net/http.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace getmesh::download {

// The archive at `url` as a ByteSource. Every byte is appended to the partial file and hashed on
// the way through. Transient failures are retried with backoff and continued with Range + If-Range
// without the reader noticing. Bytes left by an interrupted run are re-read from disk first, once
// the server confirmed (206) that they are still current.
//
// When the server sends the whole archive again (a 200 to a range request: Range unsupported or
// the file changed), read() fails once with restart_pending() set; the reader must start over, and
// the next read() returns the first byte again.
class ResumableDownload final : public ByteSource {
 public:
  ResumableDownload(const net::Client& http, std::string url, PartialFiles files, RetryPolicy retry,
                    ProgressCallback progress);
  ResumableDownload(const ResumableDownload&) = delete;
  ResumableDownload& operator=(const ResumableDownload&) = delete;
  ~ResumableDownload() override;

  Result<std::string_view> read() override;

  [[nodiscard]] bool restart_pending() const { return restart_pending_; }
  // Some bytes came from an earlier run or an earlier connection.
  [[nodiscard]] bool resumed() const { return resumed_; }
  // SHA-256 of every byte read (call once, at the end).
  std::string digest() { return hasher_.finish(); }

 private:
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

  const net::Client& http_;
  std::string url_;
  PartialFiles files_;
  RetryPolicy retry_;
  ProgressCallback progress_;
  PartialMeta meta_;
  Sha256 hasher_;
  int fd_ = -1;
  std::unique_ptr<net::Stream> stream_;
  std::vector<char> disk_buffer_;
  std::uint64_t partial_size_ = 0;    // bytes in the partial file
  std::uint64_t delivered_ = 0;       // bytes returned by read() since the last start
  std::uint64_t disk_remaining_ = 0;  // bytes of the partial file still to re-read
  std::uint64_t total_ = 0;           // archive size when the server said, else 0
  int failures_ = 0;                  // failed attempts since the last byte arrived
  int all_failures_ = 0;              // failed attempts of the whole download
  bool started_ = false;
  bool finished_ = false;
  bool restart_pending_ = false;
  bool resumed_ = false;
};

}  // namespace getmesh::download
