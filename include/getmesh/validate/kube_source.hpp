#pragma once

#include <getmesh/kube/client.hpp>
#include <getmesh/validate/source.hpp>

namespace getmesh::validate {

// How long a cluster may take to answer /version before it counts as unreachable; callers ask
// before reading, so that a hanging cluster costs seconds, not the client's longer limits.
inline constexpr long kReachTimeoutMs = 3000;

// The live cluster behind a Kubernetes client. Finds the served version of each kind through
// discovery (groups that are not installed are skipped), then lists every kind in all namespaces
// concurrently, page by page.
// Secrets are listed as metadata only (their data is fetched only by read_secret), CRDs and Nodes
// too (served versions come from discovery); ConfigMaps only as istiod's own, in its namespaces.
// A list of Secrets, ConfigMaps, webhook configurations, CRDs or Nodes the user may not read (403)
// is a warning and the checks treat that kind as unknown; any other failure is an error.
class KubeResourceSource : public ResourceSource {
 public:
  explicit KubeResourceSource(const kube::Client& client) : client_(client) {}
  Result<ClusterState> read(std::span<const Kind> kinds) override;
  Result<std::optional<Resource>> read_secret(const std::string& namespace_,
                                              const std::string& name) override;
  [[nodiscard]] std::string describe() const override { return client_.config().describe(); }

 private:
  const kube::Client& client_;
};

}  // namespace getmesh::validate
