#pragma once

// The retry policy shared by the cloud providers' clients. Private to src/ca.

#include <getmesh/ca/provider.hpp>

#include <chrono>
#include <string>
#include <thread>

namespace getmesh::ca {

// Attempts per request before a throttled or transient failure is reported.
inline constexpr int kRequestAttempts = 5;

// Exponential backoff with jitter before retry number `attempt` (0-based): about 250 ms, 500 ms,
// 1 s, 2 s, capped at 4 s.
std::chrono::milliseconds backoff_delay(int attempt);

// Runs `attempt()` until `why_retry(result)` is empty (done, or a failure not worth retrying) or
// kRequestAttempts have run; before each retry, tells `notify` "<what>: <why>; retrying in N ms"
// and waits backoff_delay. Returns the last result.
template <typename Attempt, typename WhyRetry>
auto with_retries(const std::string& what, const Notify& notify, Attempt attempt,
                  WhyRetry why_retry) {
  for (int attempt_number = 0;; ++attempt_number) {
    auto result = attempt();
    const std::string why = why_retry(result);
    if (why.empty() || attempt_number + 1 == kRequestAttempts) return result;
    const auto delay = backoff_delay(attempt_number);
    if (notify) {
      notify(what + ": " + why + "; retrying in " + std::to_string(delay.count()) + " ms");
    }
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace getmesh::ca
