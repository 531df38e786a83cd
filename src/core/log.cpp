#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace getmesh::log {

namespace {

std::atomic<bool> verbose_enabled{false};

spdlog::logger& logger() {
  static auto instance = [] {
    auto created = spdlog::stderr_logger_mt("getmesh");
    created->set_pattern("[%H:%M:%S.%e] %v");
    created->set_level(spdlog::level::debug);
    return created;
  }();
  return *instance;
}

}  // namespace

void enable_verbose() { verbose_enabled = true; }

bool verbose() { return verbose_enabled; }

void debug(std::string_view message) {
  // Messages quote servers, catalogues and records: escaped like everything getmesh prints.
  if (verbose_enabled) logger().debug("{}", escape_control(message));
}

}  // namespace getmesh::log
