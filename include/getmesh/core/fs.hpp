#pragma once

#include <getmesh/core/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace getmesh {

Result<std::string> read_file(const std::filesystem::path& path);

// Reads at most `max_bytes` + 1 bytes, so a caller tells a file beyond its limit by the size of
// what came back (the size a file claims is not trusted: FIFOs and /proc files report little).
// Files that others may replace by a FIFO or a device are read with read_regular_file.
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes);

// Replaces `path` with `content` so that readers see the old or the new file, never a mix: writes a
// temporary file beside it, fsyncs, renames, then fsyncs the directory. The umask narrows `mode`.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         std::filesystem::perms mode = std::filesystem::perms(0644));

// mkdir -p with `mode` for the directories it creates.
Status ensure_directory(const std::filesystem::path& path,
                        std::filesystem::perms mode = std::filesystem::perms(0755));

// fsync on a file or directory; directories make renames inside them durable.
Status sync_path(const std::filesystem::path& path);

// Bytes the regular files in `path` (a file or a folder, links not followed) take; 0 when missing.
std::uint64_t disk_usage(const std::filesystem::path& path);

// `mode` narrowed by the process's umask, as open() and mkdir() narrow theirs.
std::filesystem::perms masked_by_umask(std::filesystem::perms mode);

// Text for an errno value, e.g. "Permission denied".
std::string errno_text(int error_number);

}  // namespace getmesh
