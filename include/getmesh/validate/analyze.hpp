#pragma once

#include <getmesh/validate/finding.hpp>
#include <getmesh/validate/resource.hpp>

#include <string>
#include <vector>

namespace getmesh::validate {

// The mesh-wide settings the checks depend on (Istio's defaults unless told otherwise).
struct MeshSettings {
  std::string root_namespace = "istio-system";
  bool auto_mtls = true;
};

struct AnalyzeOptions {
  MeshSettings mesh;
  // True when the resources include a live cluster's objects: every kind is then complete, so a
  // missing Service means it does not exist. Offline, checks that need a Kubernetes kind (Services,
  // Pods, Namespaces, ...) only run when the input holds at least one object of that kind.
  bool cluster_state = false;
};

// Runs every check on `resources` (the whole world: files overlaid on the cluster) and returns the
// findings, honouring `galley.istio.io/analyze-suppress`, sorted and de-duplicated.
std::vector<Finding> analyze(const std::vector<Resource>& resources, const AnalyzeOptions& options);

}  // namespace getmesh::validate
