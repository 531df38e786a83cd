#include "download/expected_checksum.hpp"

#include "download/checksum_file.hpp"
#include "download/retry.hpp"
#include "download/status_error.hpp"

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
                                                          const RetryPolicy& retry) {
  if (!plan.sha256.empty()) return std::optional(ExpectedChecksum{plan.sha256, "manifest"});
  if (plan.checksum_url.empty()) return std::optional<ExpectedChecksum>();
  net::Request request;
  request.url = plan.checksum_url;
  request.connect_timeout_ms = 10000;
  request.max_body_bytes = kMaxChecksumFileBytes;
  for (int attempt = 1;; ++attempt) {
    auto response = http.send(request);
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
    if (attempt >= retry.attempts) {
      error.message += " (gave up after " + std::to_string(attempt) + " attempts)";
      return error;
    }
    std::this_thread::sleep_for(retry_delay(retry, attempt, retry_after));
  }
}

}  // namespace getmesh::download
