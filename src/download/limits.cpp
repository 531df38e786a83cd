#include <getmesh/download/install.hpp>

namespace getmesh::download {

Result<Limits> Limits::from_environment(const Environment& environment) {
  Limits limits;
  const auto megabytes = positive_number(environment, "GETMESH_MAX_DOWNLOAD_MB",
                                         static_cast<std::int64_t>(limits.max_archive_bytes >> 20));
  if (!megabytes) return megabytes.error();
  const auto seconds =
      positive_number(environment, "GETMESH_STALL_TIMEOUT", limits.stall_timeout.count());
  if (!seconds) return seconds.error();
  limits.max_archive_bytes = static_cast<std::uint64_t>(*megabytes) << 20;
  limits.stall_timeout = std::chrono::seconds(*seconds);
  return limits;
}

}  // namespace getmesh::download
