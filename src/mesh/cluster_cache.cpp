#include <getmesh/core/fs.hpp>
#include <getmesh/core/posix.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/mesh/cluster_cache.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace getmesh::mesh {

namespace {

using nlohmann::json;

std::string file_name(const ClusterKey& key) {
  // FNV-1a over the key fields: short, stable file names.
  std::uint64_t hash = 14695981039346656037ull;
  const auto mix = [&](const std::string& text) {
    for (const char c : text + '\0') {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
  };
  for (const auto& file : key.kubeconfig_files) mix(file.string());
  mix(key.context);
  mix(key.istio_namespace);
  char text[17];
  for (int i = 15; i >= 0; --i) {
    text[i] = "0123456789abcdef"[hash & 0xF];
    hash >>= 4;
  }
  text[16] = '\0';
  return std::string(text) + ".json";
}

// "<path> <size> <mtime ns>" per file; absent files count too, as "-".
json file_stamps(const ClusterKey& key) {
  json stamps = json::array();
  for (const auto& file : key.kubeconfig_files) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) {
      stamps.push_back(file.string() + " -");
      continue;
    }
    const auto mtime = posix::modification_time_ns(info);
    stamps.push_back(file.string() + " " + std::to_string(info.st_size) + " " +
                     std::to_string(mtime));
  }
  return stamps;
}

}  // namespace

// The largest cache file read back: a few control planes.
constexpr std::size_t kMaxClusterCacheBytes = 256 * 1024;

std::optional<ClusterLookup> read_cluster_cache(const std::filesystem::path& cache_dir,
                                                const ClusterKey& key, std::int64_t now,
                                                std::chrono::seconds max_age) {
  auto text = read_regular_file(cache_dir / "clusters" / file_name(key), kMaxClusterCacheBytes);
  if (!text) return std::nullopt;
  const auto document = json::parse(*text, nullptr, false);
  if (!document.is_object() || document.value("files", json()) != file_stamps(key) ||
      document.value("context_flag", "") != key.context ||
      document.value("istio_namespace", "") != key.istio_namespace) {
    return std::nullopt;
  }
  ClusterLookup lookup;
  lookup.checked_at = document.value("checked_at", std::int64_t{0});
  if (now - lookup.checked_at >= max_age.count() || now < lookup.checked_at) return std::nullopt;
  lookup.context = document.value("context", "");
  lookup.error = document.value("error", "");
  if (document.contains("control_planes") && document["control_planes"].is_array()) {
    for (const auto& plane : document["control_planes"]) {
      if (!plane.is_object()) continue;
      lookup.control_planes.emplace_back(plane.value("revision", ""), plane.value("version", ""));
    }
  }
  return lookup;
}

Status write_cluster_cache(const std::filesystem::path& cache_dir, const ClusterKey& key,
                           const ClusterLookup& lookup) {
  json planes = json::array();
  for (const auto& [revision, version] : lookup.control_planes) {
    planes.push_back({{"revision", revision}, {"version", version}});
  }
  const json document = {{"files", file_stamps(key)},
                         {"context_flag", key.context},
                         {"istio_namespace", key.istio_namespace},
                         {"context", lookup.context},
                         {"checked_at", lookup.checked_at},
                         {"error", lookup.error},
                         {"control_planes", planes}};
  const auto folder = cache_dir / "clusters";
  if (auto created = ensure_directory(folder); !created) return created;
  return write_file_atomic(folder / file_name(key), document.dump());
}

}  // namespace getmesh::mesh
