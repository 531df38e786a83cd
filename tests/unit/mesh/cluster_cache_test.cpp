#include "support/temp_dir.hpp"

#include <getmesh/mesh/cluster_cache.hpp>

#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

using testing::TempDir;

TEST(ClusterCache, FreshEntriesAreReadBackUntilTheyAgeOrTheKubeconfigChanges) {
  TempDir dir;
  const auto kubeconfig = dir.write("config", "current-context: a\n");
  const ClusterKey key{{kubeconfig, dir.path() / "absent"}, "", "istio-system"};
  ClusterLookup lookup;
  lookup.context = "a";
  lookup.checked_at = 1000;
  lookup.control_planes = {{"default", "1.30.5-istio-v0"}, {"canary", "1.31.1-istio-v0"}};
  ASSERT_TRUE(write_cluster_cache(dir.path() / "cache", key, lookup).ok());

  auto read = read_cluster_cache(dir.path() / "cache", key, 1100, std::chrono::seconds(300));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->context, "a");
  EXPECT_EQ(read->control_planes, lookup.control_planes);

  EXPECT_FALSE(read_cluster_cache(dir.path() / "cache", key, 1300, std::chrono::seconds(300)));
  EXPECT_FALSE(read_cluster_cache(dir.path() / "cache", key, 900, std::chrono::seconds(300)));
  ClusterKey other_context = key;
  other_context.context = "b";
  EXPECT_FALSE(
      read_cluster_cache(dir.path() / "cache", other_context, 1100, std::chrono::seconds(300)));
  ClusterKey other_namespace = key;
  other_namespace.istio_namespace = "mesh";
  EXPECT_FALSE(
      read_cluster_cache(dir.path() / "cache", other_namespace, 1100, std::chrono::seconds(300)));

  dir.write("config", "current-context: somewhere-else\n");  // kubectl config use-context
  EXPECT_FALSE(read_cluster_cache(dir.path() / "cache", key, 1100, std::chrono::seconds(300)));
}

TEST(ClusterCache, GarbageIsIgnored) {
  TempDir dir;
  const ClusterKey key{{dir.path() / "config"}, "", "istio-system"};
  ASSERT_TRUE(write_cluster_cache(dir.path(), key, ClusterLookup{}).ok());
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "clusters")) {
    dir.write("clusters/" + entry.path().filename().string(), "{not json");
  }
  EXPECT_FALSE(read_cluster_cache(dir.path(), key, 0, std::chrono::seconds(300)));
}

}  // namespace
}  // namespace getmesh::mesh
