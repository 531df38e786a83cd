#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/mesh/advice.hpp>
#include <getmesh/mesh/state.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace getmesh::cli {

// check-upgrade's exit codes (docs/exit-codes.md).
inline constexpr int kExitNothingToDo = 0;
inline constexpr int kExitActionNeeded = 3;
inline constexpr int kExitCheckFailed = 1;

// The outcome for one cluster: its mesh and advice, or why it could not be checked.
struct ClusterReport {
  std::string context;
  std::string server;
  std::optional<mesh::MeshState> state;
  mesh::Advice advice;
  std::optional<Error> error;
  bool unreachable = false;  // the error is a connection failure or timeout
  long elapsed_ms = 0;

  // "ok", "action_needed", "no_istio", "unreachable" or "error" (the table shows spaces).
  [[nodiscard]] std::string status() const;
};

int exit_code_of(const std::vector<ClusterReport>& reports);

nlohmann::ordered_json report_to_json(const ClusterReport& report);

// The single-cluster text report: what runs, then one line per finding.
std::string render_cluster(const ClusterReport& report, bool color);
// The fleet summary table followed by each cluster's findings.
std::string render_fleet(const std::vector<ClusterReport>& reports, bool color);

}  // namespace getmesh::cli
