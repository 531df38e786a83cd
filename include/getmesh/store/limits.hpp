#pragma once

// The largest files of the home the store reads (docs/configuration.md#limits). Each is read only
// when it is a regular file of at most this size (read_regular_file), so a FIFO or a link to
// /dev/zero put in their place is an error, never a hang.

#include <cstddef>

namespace getmesh::store {

// config.json: a handful of settings and the active distribution.
inline constexpr std::size_t kMaxConfigBytes = std::size_t{1} << 20;
// istio/<name>/.getmesh-install.json: a URL, digests and a receipt.
inline constexpr std::size_t kMaxInstallRecordBytes = 64 * 1024;
// (.getmesh-version pins: kMaxPinBytes in pin.hpp.)

}  // namespace getmesh::store
