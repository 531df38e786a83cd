#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/mesh/owner.hpp>
#include <getmesh/mesh/platform.hpp>

#include <string>

namespace getmesh::mesh {

// Where a cluster runs and who owns its Istio control plane.
struct ClusterIdentity {
  PlatformGuess platform;
  MeshOwner owner;
};

// Reads the clues with a few concurrent requests (/apis, istiod Deployments in every namespace,
// Helm release Secrets' metadata, one Node, and the Google, Sail and OpenShift Service Mesh
// resources when their API groups exist). What the user may not read is skipped, so this never
// fails; `version` is the /version already read.
ClusterIdentity read_identity(const kube::Client& client, const kube::ServerVersion& version,
                              const std::string& istio_namespace);

// Whether getmesh may change the control plane in `istio_namespace` (for `istioctl install` and
// `getmesh upgrade`): reads the owner and decides. Fails only when the cluster cannot be read.
Result<ChangeDecision> may_change_control_plane(const kube::Client& client,
                                                const std::string& istio_namespace);

}  // namespace getmesh::mesh
