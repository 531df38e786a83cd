#pragma once

#include <getmesh/core/result.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace getmesh::cli {

// Files given to getmesh that are not regular files (/dev/stdin, <(…), a FIFO) can be read only
// once, and getmesh reads a file before istioctl does (the default hub check). Such a file is
// read once into a private (0600) temporary file that getmesh and istioctl both read, so istioctl
// gets exactly the bytes getmesh read. The temporary files are removed with the snapshots.
class FileSnapshots {
 public:
  explicit FileSnapshots(std::filesystem::path dir) : dir_(std::move(dir)) {}
  FileSnapshots(const FileSnapshots&) = delete;
  FileSnapshots& operator=(const FileSnapshots&) = delete;
  ~FileSnapshots();

  // `path` itself when it is a regular file or does not exist (its reader reports that), else the
  // path of its snapshot.
  Result<std::string> stable_path(const std::string& path);

  // Replaces the values of -f/--filename in istioctl arguments by stable paths.
  Status stabilize_file_flags(std::vector<std::string>& args);

 private:
  std::filesystem::path dir_;
  std::vector<std::filesystem::path> made_;
};

}  // namespace getmesh::cli
