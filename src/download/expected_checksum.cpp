#include "download/expected_checksum.hpp"

#include "download/checksum_file.hpp"
#include "download/retry.hpp"
#include "download/status_error.hpp"

#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/download/limits.hpp>

#include <algorithm>

namespace getmesh::download {

namespace {

std::string archive_name(const std::string& url) {
  auto path = url.substr(0, url.find_first_of("?#"));
  return path.substr(path.find_last_of('/') + 1);
}

// The digest in the plan's `.sha256` file; nullopt when the file does not exist (404 or 410).
// Transient failures are retried within `timeout` in all.
Result<std::optional<std::string>> checksum_file_digest(const Plan& plan, const net::Client& http,
                                                        const RetryPolicy& retry,
                                                        std::chrono::seconds timeout) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::milliseconds;
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
      return std::optional<std::string>();
    } else if (response->status == 200) {
      auto digest = parse_checksum_file(response->body, archive_name(plan.url), plan.checksum_url);
      if (!digest) return digest.error();
      return std::optional(*digest);
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
    if (!sleep_unless_interrupted(delay)) return interrupted_error();
  }
}

Error disagreement(const Plan& plan, const std::vector<ExpectedDigest>& digests) {
  std::vector<std::string> values;
  for (const auto& digest : digests) values.push_back(digest.sha256 + " (" + digest.source + ")");
  return runtime_error("the checksums of " + plan.url + " disagree: sha256 " +
                           join(values, " vs ") + "; nothing was downloaded",
                       "one source is wrong or was tampered with: report it, and pin the right "
                       "sha256 in a manifest (--manifest) once you know which");
}

}  // namespace

Result<std::optional<ExpectedChecksum>> expected_checksum(const Plan& plan, const net::Client& http,
                                                          const RetryPolicy& retry,
                                                          std::chrono::seconds timeout) {
  auto digests = plan.checksums;
  if (!plan.checksum_url.empty()) {
    auto from_file = checksum_file_digest(plan, http, retry, timeout);
    if (!from_file) return from_file.error();
    if (*from_file) digests.push_back({**from_file, plan.checksum_url});
  }
  if (digests.empty()) return std::optional<ExpectedChecksum>();
  ExpectedChecksum expected{digests.front().sha256, {}};
  for (const auto& digest : digests) {
    if (digest.sha256 != expected.sha256) return disagreement(plan, digests);
    expected.sources.push_back(digest.source);
  }
  return std::optional(std::move(expected));
}

Error checksum_mismatch(const Plan& plan, const ExpectedChecksum& expected,
                        const std::string& actual, const std::string& consequence) {
  return runtime_error("checksum mismatch for " + plan.url + ": expected sha256 " +
                           expected.sha256 + " (from " + join(expected.sources, " and ") +
                           "), got " + actual +
                           ": the archive was changed or damaged on its way, possibly tampered "
                           "with; " +
                           consequence,
                       "do not trust this server until you know why; check the mirror "
                       "(GETMESH_MIRROR) and the manifest's sha256, then run the command again");
}

}  // namespace getmesh::download
