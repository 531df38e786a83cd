#include "cli/file_snapshots.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::cli {

namespace {

// The most getmesh reads from a pipe: IstioOperator files are kilobytes.
constexpr std::size_t kMaxSnapshotBytes = 64u << 20;

Status write_all(int fd, const std::string& content) {
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return runtime_error(std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

FileSnapshots::~FileSnapshots() {
  for (const auto& file : made_) {
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
  }
}

Result<std::string> FileSnapshots::stable_path(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode) || S_ISDIR(status.st_mode)) {
    return path;
  }
  auto content = read_file(path, kMaxSnapshotBytes);
  if (!content) return content.error().with_context("-f " + path);
  if (content->size() > kMaxSnapshotBytes) {
    return usage_error("-f " + path + " holds more than " + describe_bytes(kMaxSnapshotBytes),
                       "give an IstioOperator file");
  }
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  auto pattern = (dir_ / "stdin-XXXXXX.yaml").string();
  const int fd = ::mkstemps(pattern.data(), 5);  // mode 0600
  if (fd < 0) {
    return runtime_error("cannot create a temporary file in " + dir_.string() + " for -f " + path +
                         ": " + std::strerror(errno));
  }
  made_.emplace_back(pattern);
  auto written = write_all(fd, *content);
  ::close(fd);
  if (!written) {
    return runtime_error("cannot write " + pattern + " (the copy of -f " + path +
                         "): " + written.error().message);
  }
  return pattern;
}

Status FileSnapshots::stabilize_file_flags(std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    for (const std::string spelling : {"-f", "--filename"}) {
      std::string* value = nullptr;
      std::string prefix;
      if (args[i] == spelling && i + 1 < args.size()) {
        value = &args[++i];
      } else if (args[i].starts_with(spelling + "=")) {
        value = &args[i];
        prefix = spelling + "=";
      }
      if (value == nullptr) continue;
      auto stable = stable_path(value->substr(prefix.size()));
      if (!stable) return stable.error();
      *value = prefix + *stable;
      break;
    }
  }
  return {};
}

}  // namespace getmesh::cli
