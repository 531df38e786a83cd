#include "ca/retry.hpp"

#include <algorithm>
#include <random>

namespace getmesh::ca {

std::chrono::milliseconds backoff_delay(int attempt) {
  constexpr auto kFirst = std::chrono::milliseconds(250);
  constexpr auto kMax = std::chrono::milliseconds(4000);
  static thread_local std::mt19937 random{std::random_device{}()};
  const auto base = std::min(kMax, kFirst * (1 << std::clamp(attempt, 0, 8)));
  std::uniform_int_distribution<long> jitter(0, base.count() / 2);
  return base * 3 / 4 + std::chrono::milliseconds(jitter(random));
}

}  // namespace getmesh::ca
