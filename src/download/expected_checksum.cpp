#include "download/expected_checksum.hpp"

#include "download/checksum_file.hpp"
#include "download/retry.hpp"
#include "download/status_error.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <thread>

namespace getmesh::download {

namespace {

constexpr std::size_t kMaxChecksumFileBytes = 1u << 20;

std::string archive_name(const std::string& url) {
  auto path = url.substr(0, url.find_first_of("?#"));
  return path.substr(path.find_last_of('/') + 1);
}

}  // namespace

Result<std::optional<ExpectedChecksum>> expected_checksum(const Plan& plan, const net::Client& http,
                                                          const RetryPolicy& retry,
                                                          std::chrono::seconds timeout) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::milliseconds;
  if (!plan.sha256.empty()) return std::optional(ExpectedChecksum{plan.sha256, "manifest"});
  if (plan.checksum_url.empty()) return std::optional<ExpectedChecksum>();
  const auto deadline = Clock::now() + timeout;
  const auto out_of_time = [&] {
    return runtime_error("cannot get the checksum file " + plan.checksum_url + " within " +
                             describe_duration(timeout) + ", so the archive cannot be verified",
                         "the server is too slow or stalls; try again later, use a mirror with "
                         "GETMESH_MIRROR, or allow more time with GETMESH_STALL_TIMEOUT");
  };
  net::Request request;
  request.url = plan.checksum_url;
  request.connect_timeout_ms = 10000;
  request.max_body_bytes = kMaxChecksumFileBytes;
  request.stall_timeout_s = timeout.count();
  for (int attempt = 1;; ++attempt) {
    request.timeout_ms = std::max<long>(
        1, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
    auto response = http.send(request);
    if (!response && Clock::now() >= deadline) return out_of_time();
    std::string retry_after;
    Error error;
    if (!response) {
      error = response.error();
    } else if (response->status == 404 || response->status == 410) {
      return std::optional<ExpectedChecksum>();
    } else if (response->status == 200) {
      auto digest = parse_checksum_file(response->body, archive_name(plan.url), plan.checksum_url);
      if (!digest) return digest.error();
      return std::optional(ExpectedChecksum{*digest, plan.checksum_url});
    } else {
      error = status_error(plan.checksum_url, response->status);
      error.message = "cannot get the checksum: " + error.message;
      retry_after = response->header("retry-after");
    }
    if (!error.transient) return error;
    const auto delay = retry_delay(retry, attempt, retry_after);
    if (attempt >= retry.attempts || Clock::now() + delay >= deadline) {
      if (attempt > 1) error.message += " (gave up after " + std::to_string(attempt) + " attempts)";
      return error;
    }
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace getmesh::download
