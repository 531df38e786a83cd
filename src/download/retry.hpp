#pragma once

#include <getmesh/download/install.hpp>

#include <chrono>
#include <string_view>

namespace getmesh::download {

// The wait before retry number `retry` (1 for the first): the server's Retry-After (seconds or an
// HTTP date) when it sends one, else first_delay doubled per earlier retry; at most max_delay.
std::chrono::milliseconds retry_delay(
    const RetryPolicy& policy, int retry, std::string_view retry_after,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace getmesh::download
