#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

// What the upgrade's restarts and waits share, for the istioctl and Helm steps alike.
namespace getmesh::upgrade {

// The pod template annotation `kubectl rollout restart` sets; its value is the restart's stamp.
inline constexpr const char* kRestartedAt = "kubectl.kubernetes.io/restartedAt";
// How many names a message about what is still waiting lists before "and N more".
inline constexpr std::size_t kListed = 10;

// Seconds since the epoch, for stamps and claims.
inline std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace getmesh::upgrade
