#pragma once

#include <getmesh/core/result.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace getmesh {

Result<std::string> read_file(const std::filesystem::path& path);

// Replaces `path` with `content` so that readers see the old or the new file, never a mix: writes a
// temporary file beside it, fsyncs, renames, then fsyncs the directory.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         std::filesystem::perms mode = std::filesystem::perms(0644));

// mkdir -p with `mode` for the directories it creates.
Status ensure_directory(const std::filesystem::path& path,
                        std::filesystem::perms mode = std::filesystem::perms(0755));

// fsync on a file or directory; directories make renames inside them durable.
Status sync_path(const std::filesystem::path& path);

// Text for an errno value, e.g. "Permission denied".
std::string errno_text(int error_number);

}  // namespace getmesh
