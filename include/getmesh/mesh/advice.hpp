#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/mesh/state.hpp>

#include <string>
#include <vector>

namespace getmesh::mesh {

// kOk and kInfo need nothing; kWarning and kAction mean someone should act (check-upgrade exits 3).
enum class Severity { kOk, kInfo, kWarning, kAction };

std::string to_string(Severity severity);

// One result of comparing a cluster with the manifest.
struct Finding {
  Severity severity = Severity::kInfo;
  std::string code;  // stable identifier, e.g. "patch-available" (docs/commands/check-upgrade.md)
  std::string subject;  // "control plane default", "data plane", "kubernetes"
  std::string message;
  std::string target;  // the distribution to move to, when there is one
};

struct Advice {
  std::vector<Finding> findings;
  [[nodiscard]] bool needs_action() const;
};

// Compares what runs in a cluster with the manifest: newer patches (and security ones) in the same
// minor and flavor, end of life (community and Tetrate dates, days left), minors no longer in the
// manifest, data plane newer than its control plane or more than one minor behind it, mixed minors,
// proxies without a control plane, unknown versions, and the Kubernetes version against the
// distribution's supported list.
Advice advise(const MeshState& state, const manifest::Manifest& manifest, const CivilDate& today);

}  // namespace getmesh::mesh
