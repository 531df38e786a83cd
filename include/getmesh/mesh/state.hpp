#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/mesh/owner.hpp>
#include <getmesh/mesh/platform.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace getmesh::mesh {

inline constexpr const char* kDefaultRevision = "default";

// One istiod revision: its `app=istiod` pods (and Deployment) in the Istio namespace.
struct ControlPlane {
  std::string revision;                     // the istio.io/rev label; "default" when unlabelled
  std::optional<DistributionName> version;  // the oldest version its pods run; empty when unknown
  std::string version_text;                 // what is shown: name, raw tag or "unknown"
  std::string image;                        // an image of the revision, for messages
  int pods = 0;                             // running pods
  std::vector<std::string> pod_versions;    // distinct versions seen (several during a rollout)
  bool fips = false;                        // every image of the revision is a FIPS flavor
};

// Proxies that share a version, kind and revision.
struct ProxyGroup {
  std::optional<DistributionName> version;
  std::string version_text;
  std::string kind;      // "sidecar", "gateway" or "ztunnel"
  std::string revision;  // the control plane revision they are injected for
  int count = 0;
  std::vector<std::string> examples;  // a few "namespace/pod" names
  std::string image;
  bool fips = false;  // the image is a FIPS flavor
};

// How many of a set of images are FIPS flavors.
enum class FipsCoverage { kNothingRuns, kAll, kSome, kNone };

// "n/a", "yes", "partly", "no".
std::string to_string(FipsCoverage coverage);

// The proxy of one pod, read the way check-upgrade reads it.
struct Proxy {
  std::string namespace_name;
  std::string pod;
  std::string kind;      // "sidecar", "gateway" or "ztunnel"
  std::string revision;  // the control plane revision it was injected for
  std::optional<DistributionName> version;
  std::string version_text;  // the distribution name, raw tag or "unknown"
  std::string image;
  bool fips = false;  // the image is a FIPS flavor
};

// What is running in one cluster.
struct MeshState {
  kube::ServerVersion kubernetes;
  std::string istio_namespace;
  std::vector<ControlPlane> control_planes;  // by revision name
  std::vector<ProxyGroup> data_plane;        // by version, then kind, then revision
  PlatformGuess platform;
  MeshOwner owner;

  [[nodiscard]] const ControlPlane* control_plane(const std::string& revision) const;
  [[nodiscard]] int proxy_count() const;
  [[nodiscard]] FipsCoverage control_plane_fips() const;
  [[nodiscard]] FipsCoverage data_plane_fips() const;
};

// Control planes from `app=istiod` pods and Deployments (either may be empty).
std::vector<ControlPlane> control_planes_from(const std::vector<nlohmann::json>& pods,
                                              const std::vector<nlohmann::json>& deployments);
// The proxy of a pod; nullopt for pods without one and for finished (Succeeded, Failed) pods.
std::optional<Proxy> proxy_of(const nlohmann::json& pod);
// The data plane from every pod's `istio-proxy` container (sidecars, native sidecars, gateways)
// and ztunnel pods. Finished pods (Succeeded, Failed) are skipped.
std::vector<ProxyGroup> data_plane_from(const std::vector<nlohmann::json>& pods);

// Reads the Kubernetes version, control planes, data plane, platform and owner of a cluster
// without istioctl.
Result<MeshState> read_mesh(const kube::Client& client, const std::string& istio_namespace);

// Only the control planes (a cheap read for the istioctl passthrough).
Result<std::vector<ControlPlane>> read_control_planes(const kube::Client& client,
                                                      const std::string& istio_namespace);

}  // namespace getmesh::mesh
