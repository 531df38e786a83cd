#pragma once

// Everything that bounds what a download may cost, in one place (docs/configuration.md#limits).

#include <cstddef>
#include <cstdint>

namespace getmesh::download {

// The largest istioctl extracted from an archive (real ones are about 100 MB).
inline constexpr std::uint64_t kMaxIstioctlBytes = std::uint64_t{1} << 30;
// An archive file hashed on disk (a mirror's): far beyond any istioctl archive, only so that a
// file that never ends cannot hold a command for ever.
inline constexpr std::uint64_t kMaxArchiveFileBytes = std::uint64_t{16} << 30;
// A `.sha256` file, downloaded or in a mirror: one line per archive.
inline constexpr std::size_t kMaxChecksumFileBytes = std::size_t{1} << 20;
// downloads/<name>.tar.gz.partial.json: a URL and two headers.
inline constexpr std::size_t kMaxPartialMetaBytes = 64 * 1024;
// Bytes after a failure that count as progress again; a trickle that fails every time does not.
inline constexpr std::uint64_t kSteadyProgressBytes = 64 * 1024;
// Failed attempts of one download in all, as a multiple of RetryPolicy::attempts: bounds a server
// that sends a little and drops every connection.
inline constexpr int kFailureBudgetFactor = 5;

// What a server may make a download cost, configurable through the environment, is
// download::Limits (install.hpp); how failures are retried is RetryPolicy there.

}  // namespace getmesh::download
