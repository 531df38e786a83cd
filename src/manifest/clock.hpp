#pragma once

#include <chrono>
#include <cstdint>

namespace getmesh::manifest {

// Seconds since the epoch, the unit of the manifest and catalogue caches' times.
inline std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace getmesh::manifest
