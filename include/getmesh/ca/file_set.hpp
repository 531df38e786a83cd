#pragma once

#include <getmesh/core/result.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace getmesh::ca {

struct NewFile {
  std::filesystem::path path;
  std::string content;
  std::filesystem::perms mode = std::filesystem::perms(0644);
};

// Checks, before anything is produced, that `path` does not exist and that its directory exists
// (or, with `create_directory`, can be created) and is writable.
Status check_new_file(const std::filesystem::path& path, bool create_directory);

// Writes every file or none. Missing directories are created (0700); each file is written beside
// its target with its exact mode, synced, and linked into place without replacing anything. On
// any failure the files and directories created so far are removed again.
Status write_new_files(const std::vector<NewFile>& files);

}  // namespace getmesh::ca
