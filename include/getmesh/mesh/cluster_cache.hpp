#pragma once

#include <getmesh/core/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace getmesh::mesh {

// How long a cluster lookup stays fresh (GETMESH_CLUSTER_CACHE_SECONDS overrides).
inline constexpr std::chrono::seconds kClusterCacheTtl{300};

// What identifies a lookup: the kubeconfig files (their size and mtime are checked, so editing
// them or switching the current context makes the entry stale), the --context given, and the Istio
// namespace.
struct ClusterKey {
  std::vector<std::filesystem::path> kubeconfig_files;
  std::string context;
  std::string istio_namespace;
};

// The control plane versions of one cluster, as cached for the istioctl passthrough.
struct ClusterLookup {
  std::string context;                                              // the context that was resolved
  std::vector<std::pair<std::string, std::string>> control_planes;  // revision, version name
  std::string error;            // set when the cluster could not be read
  std::int64_t checked_at = 0;  // seconds since the epoch
};

// The cached lookup for `key` when it is younger than `max_age` and the files are unchanged.
// Reads a few small files and never touches the network.
std::optional<ClusterLookup> read_cluster_cache(const std::filesystem::path& cache_dir,
                                                const ClusterKey& key, std::int64_t now,
                                                std::chrono::seconds max_age);

// Stores `lookup` for `key` under <cache_dir>/clusters/ (atomically).
Status write_cluster_cache(const std::filesystem::path& cache_dir, const ClusterKey& key,
                           const ClusterLookup& lookup);

}  // namespace getmesh::mesh
