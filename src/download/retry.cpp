#include "download/retry.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <ctime>
#include <optional>
#include <string>

namespace getmesh::download {

namespace {

using std::chrono::milliseconds;

// Retry-After is either a number of seconds or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (auto seconds = parse_non_negative(value)) {
    return milliseconds(std::min<std::int64_t>(*seconds, 24 * 3600) * 1000);
  }
  std::tm parts{};
  const std::string text(value);
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(::timegm(&parts));
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(at - now));
}

}  // namespace

milliseconds retry_delay(const RetryPolicy& policy, int retry, std::string_view retry_after,
                         std::chrono::system_clock::time_point now) {
  if (auto server = parse_retry_after(retry_after, now)) return std::min(*server, policy.max_delay);
  auto delay = policy.first_delay;
  for (int i = 1; i < retry && delay < policy.max_delay; ++i) delay *= 2;
  return std::min(delay, policy.max_delay);
}

}  // namespace getmesh::download
