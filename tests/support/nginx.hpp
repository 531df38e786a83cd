#pragma once

#include "support/background_process.hpp"
#include "support/temp_dir.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::testing {

// Debian's nginx serving the directory `root` on 127.0.0.1 (a free port), with its config, pid,
// logs and temp files in a private temp dir; stopped on destruction. `/` serves `root` as it is;
// `/slow/` serves the same files at `slow_rate` bytes per second (for killing a download part
// way). Works as root (workers then run as root, so they can read mkdtemp's 0700 directories).
//
//   if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
//   Nginx nginx(mirror_dir);  nginx.url("a.tar.gz");  nginx.requests("/a.tar.gz");
class Nginx {
 public:
  static constexpr const char* kBinary = "/usr/sbin/nginx";
  static constexpr const char* kMissing =
      "nginx is not installed (/usr/sbin/nginx); run `make deps` or apt-get install nginx-light";
  static bool available();

  explicit Nginx(std::filesystem::path root, std::uint64_t slow_rate = 512 * 1024);

  [[nodiscard]] int port() const { return port_; }
  // http://127.0.0.1:<port>/<path> and http://127.0.0.1:<port>/slow/<path>
  [[nodiscard]] std::string url(std::string_view path = "") const;
  [[nodiscard]] std::string slow_url(std::string_view path = "") const;

  // One line per finished request: `<method> <uri> <status> range="<Range>"
  // if_range="<If-Range>" bytes=<body bytes sent>`.
  [[nodiscard]] std::vector<std::string> access_log() const;
  // The finished requests whose URI ends with `uri_suffix`.
  [[nodiscard]] std::vector<std::string> requests(std::string_view uri_suffix) const;

 private:
  TempDir work_;
  std::filesystem::path root_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace getmesh::testing
