#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/connection.hpp>
#include <getmesh/upgrade/plan.hpp>

namespace getmesh::upgrade {

// How a recorded plan matched the cluster this run is connected to.
enum class Binding {
  kSameCluster,  // the API server URL and the kube-system UID both match
  kServerOnly,   // a record from before identities were kept (no UID): the URL matches
};

// Refuses to act on a record of another cluster: `here` (what this run's connection reaches) must
// have the plan's API server URL and kube-system UID. A record without a UID is bound by its URL
// alone (kServerOnly); one without either is refused. The error shows both identities.
Result<Binding> check_binding(const Plan& plan, const kube::ClusterIdentity& here);

}  // namespace getmesh::upgrade
