#include "ca/encoding.hpp"

#include <getmesh/ca/file_set.hpp>
#include <getmesh/core/fs.hpp>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::ca {

namespace fs = std::filesystem;

namespace {

fs::path directory_of(const fs::path& path) {
  return path.parent_path().empty() ? fs::path(".") : path.parent_path();
}

Status check_writable_directory(const fs::path& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    return runtime_error(directory.string() + " is not a directory",
                         "choose a path in an existing directory");
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    return runtime_error("cannot write in " + directory.string() + ": " + errno_text(errno),
                         "choose a directory you can write to");
  }
  return {};
}

// Removes what a failed write_new_files created, newest first.
class Rollback {
 public:
  Rollback() = default;
  Rollback(const Rollback&) = delete;
  Rollback& operator=(const Rollback&) = delete;
  ~Rollback() {
    if (committed_) return;
    for (auto it = files_.rbegin(); it != files_.rend(); ++it) ::unlink(it->c_str());
    for (auto it = directories_.rbegin(); it != directories_.rend(); ++it) ::rmdir(it->c_str());
  }
  void file(fs::path path) { files_.push_back(std::move(path)); }
  void directory(fs::path path) { directories_.push_back(std::move(path)); }
  void commit() { committed_ = true; }

 private:
  std::vector<fs::path> files_;
  std::vector<fs::path> directories_;
  bool committed_ = false;
};

Status create_directories(const fs::path& directory, Rollback& rollback) {
  std::error_code error;
  if (fs::is_directory(directory, error)) return {};
  const auto parent = directory.parent_path();
  if (!parent.empty() && parent != directory) {
    if (auto created = create_directories(parent, rollback); !created) return created;
  }
  if (::mkdir(directory.c_str(), 0700) != 0) {
    return runtime_error("cannot create the directory " + directory.string() + ": " +
                         errno_text(errno));
  }
  rollback.directory(directory);
  return {};
}

Status place(const NewFile& file, Rollback& rollback) {
  const auto directory = directory_of(file.path);
  if (auto created = create_directories(directory, rollback); !created) return created;
  const auto staged =
      directory / ("." + file.path.filename().string() + ".getmesh-" + random_token(8));
  if (auto written = write_file_atomic(staged, file.content, file.mode); !written) return written;
  const int linked = ::link(staged.c_str(), file.path.c_str());
  const int link_error = errno;
  ::unlink(staged.c_str());
  if (linked != 0) {
    if (link_error == EEXIST) {
      return runtime_error(file.path.string() + " appeared while getmesh was writing it",
                           "another program is writing there; move it away and run again");
    }
    return runtime_error("cannot write " + file.path.string() + ": " + errno_text(link_error));
  }
  rollback.file(file.path);
  return sync_path(directory);
}

}  // namespace

Status check_new_file(const fs::path& path, bool create_directory) {
  std::error_code error;
  if (fs::symlink_status(path, error).type() != fs::file_type::not_found) {
    return runtime_error(path.string() + " already exists",
                         "move it away or choose another path; getmesh never overwrites files");
  }
  auto directory = directory_of(path);
  if (create_directory) {
    // The nearest existing ancestor is where the missing directories will be created.
    while (fs::symlink_status(directory, error).type() == fs::file_type::not_found) {
      directory = directory.has_parent_path() ? directory.parent_path() : fs::path(".");
    }
  } else if (!fs::exists(directory, error)) {
    return runtime_error("the directory " + directory.string() + " does not exist",
                         "create it first or choose a path in an existing directory");
  }
  return check_writable_directory(directory);
}

Status write_new_files(const std::vector<NewFile>& files) {
  Rollback rollback;
  for (const auto& file : files) {
    if (auto placed = place(file, rollback); !placed) return placed;
  }
  rollback.commit();
  return {};
}

}  // namespace getmesh::ca
