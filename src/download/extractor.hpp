#pragma once

#include "download/byte_source.hpp"

#include <getmesh/core/result.hpp>
#include <getmesh/download/limits.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace getmesh::download {

// Reads the gzip-compressed tar in `source` to its very end (the checksum covers every byte) and
// writes its istioctl member (see classify_member) to `destination`: a new file, mode 0755, synced
// to disk. No other member is ever written. Refuses non-gzip or non-tar data (naming HTML pages),
// damaged or truncated archives, unsafe member paths, an istioctl that is not a regular file or is
// larger than `max_size`, and archives with no or two istioctl. `origin` names the archive in
// messages. Errors of `source` itself are returned as they are.
Status extract_istioctl(ByteSource& source, const std::filesystem::path& destination,
                        const std::string& origin, std::uint64_t max_size = kMaxIstioctlBytes);

}  // namespace getmesh::download
