#pragma once

#include <getmesh/download/install.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::download {

struct StoredArchive {
  std::string sha256;
  std::vector<std::string> checksum_sources;  // "manifest", "upstream-digest", a .sha256 URL
  bool downloaded = false;                    // false: `destination` already held these bytes
};

// Makes `destination` hold the archive of `plan`, verified against every checksum known, of which
// there must be at least one. A file already there is re-hashed and kept when it matches.
// Otherwise the archive is downloaded through the same resumable, retried stream as install()
// into `<destination's directory>/.partial/<file>.partial` (continued by the next call after an
// interruption) and renamed to `destination` only after the checksums matched: an interrupted or
// tampered download never appears under the final name. Callers serialise calls per destination.
Result<StoredArchive> store_archive(const Plan& plan, const std::filesystem::path& destination,
                                    const net::Client& http, const Options& options);

// The SHA-256 of the regular file at `path` (at most kMaxArchiveFileBytes), read in chunks.
Result<std::string> sha256_of_file(const std::filesystem::path& path);

// The digest the local `.sha256` file `path` (sha256sum format, a regular file of at most
// kMaxChecksumFileBytes) gives for `archive_name`.
Result<std::string> read_checksum_file(const std::filesystem::path& path,
                                       std::string_view archive_name);

}  // namespace getmesh::download
