#pragma once

#include <getmesh/core/result.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace getmesh::store {

// An exclusive flock(2) on a lock file, released on destruction (or when the process dies, so a
// killed getmesh never leaves a stale lock behind).
class FileLock {
 public:
  // Blocks until the lock is held. `on_wait` is called once if another process holds it.
  static Result<FileLock> acquire(const std::filesystem::path& path,
                                  const std::function<void()>& on_wait = {});
  // Takes the lock only when nobody holds it; nullopt when another process does.
  static Result<std::optional<FileLock>> try_acquire(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  static Result<FileLock> open(const std::filesystem::path& path);
  int fd_ = -1;
};

}  // namespace getmesh::store
