#pragma once

// The retry policy shared by the cloud providers' clients. Private to src/ca.

#include <chrono>

namespace getmesh::ca {

// Attempts per request before a throttled or transient failure is reported.
inline constexpr int kRequestAttempts = 5;

// Exponential backoff with jitter before retry number `attempt` (0-based): about 250 ms, 500 ms,
// 1 s, 2 s, capped at 4 s.
std::chrono::milliseconds backoff_delay(int attempt);

}  // namespace getmesh::ca
