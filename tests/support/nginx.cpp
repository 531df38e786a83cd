#include "support/nginx.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace getmesh::testing {

namespace {

std::string config(const std::filesystem::path& work, const std::filesystem::path& root, int port,
                   std::uint64_t slow_rate) {
  const auto dir = work.string();
  std::ostringstream text;
  text << "daemon off;\nworker_processes 1;\n"
       << (::geteuid() == 0 ? "user root;\n" : "") << "pid " << dir << "/nginx.pid;\n"
       << "error_log " << dir << "/error.log warn;\n"
       << "events { worker_connections 256; }\n"
       << "http {\n"
       << "  default_type application/octet-stream;\n"
       << "  types { text/html html; application/json json; }\n"
       << "  log_format getmesh '$request_method $uri $status range=\"$http_range\" "
          "if_range=\"$http_if_range\" bytes=$body_bytes_sent';\n"
       << "  access_log " << dir << "/access.log getmesh;\n";
  for (const char* kind : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    text << "  " << kind << "_temp_path " << dir << "/" << kind << ";\n";
  }
  text << "  server {\n"
       << "    listen 127.0.0.1:" << port << ";\n"
       << "    root " << root.string() << ";\n"
       << "    location /slow/ { alias " << root.string() << "/; limit_rate " << slow_rate
       << "; }\n"
       << "  }\n}\n";
  return text.str();
}

}  // namespace

bool Nginx::available() { return ::access(kBinary, X_OK) == 0; }

Nginx::Nginx(std::filesystem::path root, std::uint64_t slow_rate) : root_(std::move(root)) {
  const auto conf = work_.path() / "nginx.conf";
  for (int attempt = 0; attempt < 5; ++attempt) {  // another process may take the port first
    port_ = free_loopback_port();
    work_.write("nginx.conf", config(work_.path(), root_, port_, slow_rate));
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{kBinary, "-p", work_.path().string(), "-c", conf.string(), "-e",
                                 (work_.path() / "error.log").string()},
        work_.path() / "output.log");
    if (wait_for_port(port_, *process_)) return;
    process_.reset();
  }
  std::ifstream log(work_.path() / "error.log");
  throw std::runtime_error("nginx did not start: " +
                           std::string(std::istreambuf_iterator<char>(log), {}));
}

std::string Nginx::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + std::string(path);
}

std::string Nginx::slow_url(std::string_view path) const {
  return url("slow/" + std::string(path));
}

std::vector<std::string> Nginx::access_log() const {
  std::vector<std::string> lines;
  std::ifstream log(work_.path() / "access.log");
  for (std::string line; std::getline(log, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Nginx::requests(std::string_view uri_suffix) const {
  std::vector<std::string> matching;
  for (const auto& line : access_log()) {
    const auto first_space = line.find(' ');
    const auto second_space = line.find(' ', first_space + 1);
    const auto uri = line.substr(first_space + 1, second_space - first_space - 1);
    if (uri.ends_with(uri_suffix)) matching.push_back(line);
  }
  return matching;
}

}  // namespace getmesh::testing
