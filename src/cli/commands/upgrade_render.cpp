#include "cli/commands/upgrade_render.hpp"

#include "cli/commands/mesh_json.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/connection.hpp>

#include <set>
#include <sstream>

namespace getmesh::cli {

namespace {

std::string release_text(const upgrade::Release& release) {
  return release.version.to_string() + " (revision " + release.revision + ")";
}

std::string count(std::size_t number, const std::string& word, const std::string& words = {}) {
  return std::to_string(number) + " " + (number == 1 ? word : words.empty() ? word + "s" : words);
}

std::string data_plane_summary(const upgrade::Plan& plan) {
  std::size_t relabelled = 0;
  std::size_t workloads = 0;
  for (const auto& move : plan.namespaces) {
    if (move.relabelled()) ++relabelled;
    workloads += move.workloads.size();
  }
  std::vector<std::string> parts;
  if (!plan.tags.empty()) {
    std::vector<std::string> names;
    for (const auto& tag : plan.tags) names.push_back(tag.tag);
    parts.push_back(count(plan.tags.size(), "revision tag") + " to move (" + join(names, ", ") +
                    ")");
  }
  if (relabelled > 0) parts.push_back(count(relabelled, "namespace") + " to relabel");
  parts.push_back(count(workloads, "workload") + " in " +
                  count(plan.namespaces.size(), "namespace") + " to restart in " +
                  count(plan.batches().size(), "batch", "batches"));
  return join(parts, ", ");
}

}  // namespace

std::string render_plan(const upgrade::Plan& plan, const upgrade::Record* progress) {
  std::ostringstream out;
  out << "Upgrade of context " << plan.context;
  if (!plan.server.empty()) out << " (" << plan.server << ")";
  out << ", Istio namespace " << plan.istio_namespace << "\n";
  out << "  from:        " << release_text(plan.source) << "\n";
  out << "  to:          " << release_text(plan.target);
  if (!plan.reason.empty()) out << ": " << plan.reason;
  out << "\n";
  out << "  data plane:  " << data_plane_summary(plan) << "\n";
  if (progress != nullptr) {
    out << "  in progress: phase " << upgrade::to_string(progress->phase) << ", started "
        << progress->started_at << "\n";
    if (!progress->message.empty()) out << "  last stop:   " << progress->message << "\n";
  }
  if (!plan.warnings.empty()) {
    out << "\nWarnings:\n";
    for (const auto& warning : plan.warnings) out << "  - " << warning << "\n";
  }
  out << "\nSteps:\n";
  int number = 0;
  for (const auto& step : upgrade::steps_of(plan)) {
    out << "  " << ++number << ". ";
    if (progress != nullptr && progress->is_done(step.key)) out << "[done] ";
    if (step.manual) out << "[manual] ";
    out << step.title << "\n";
    for (const auto& action : step.actions) out << "       " << action << "\n";
    if (!step.gate.empty()) out << "       gate: " << step.gate << "\n";
  }
  return escape_control(out.str());  // names and messages from the cluster and the record
}

nlohmann::ordered_json status_json(const std::string& context, const std::string& istio_namespace,
                                   const std::optional<upgrade::Record>& record,
                                   const mesh::MeshState* live) {
  nlohmann::ordered_json document;
  document["context"] = context;
  document["istio_namespace"] = istio_namespace;
  document["record"] = record ? upgrade::to_json(*record) : nlohmann::ordered_json();
  document["live"] = live != nullptr ? mesh_to_json(*live) : nlohmann::ordered_json();
  return document;
}

std::string render_status(const std::string& context, const std::string& istio_namespace,
                          const std::optional<upgrade::Record>& record,
                          const mesh::MeshState* live) {
  std::ostringstream out;
  if (!record) {
    out << "No upgrade recorded in " << istio_namespace << " of context " << context << ".\n";
  } else {
    const auto& plan = record->plan;
    out << "Upgrade of context " << context << ": " << upgrade::to_string(record->phase) << "\n";
    out << "  from:      " << release_text(plan.source) << "\n";
    out << "  to:        " << release_text(plan.target) << "\n";
    out << "  cluster:   " << kube::ClusterIdentity{plan.server, plan.cluster_uid}.describe()
        << "\n";
    out << "  started:   " << record->started_at << ", updated " << record->updated_at << "\n";
    if (record->holder) {
      out << "  run:       pid " << record->holder->pid << " on " << record->holder->host
          << ", last seen " << format_rfc3339(record->holder->renewed_at) << "\n";
    }
    if (!record->moved_tags.empty())
      out << "  tags:      " << join(record->moved_tags, ", ") << " moved\n";
    if (!record->moved_namespaces.empty()) {
      out << "  relabelled: " << join(record->moved_namespaces, ", ") << "\n";
    }
    out << "  batches:   " << record->batches_done << " of " << plan.batches().size()
        << " restarted and verified\n";
    if (!record->cordoned_nodes.empty()) {
      out << "  cordoned:  " << join(record->cordoned_nodes, ", ")
          << " (by this upgrade's --ztunnel-drain; \"getmesh upgrade\" or \"getmesh upgrade "
             "rollback\" uncordons)\n";
    }
    if (!record->message.empty()) out << "  message:   " << record->message << "\n";
    // After a rollback the steps it undid are no longer done.
    const bool rolled_back = record->phase == upgrade::Phase::kRolledBack;
    const bool rolling_back = record->phase == upgrade::Phase::kRollingBack;
    out << "\nSteps:\n";
    int number = 0;
    for (const auto& step : upgrade::steps_of(plan)) {
      const bool done = record->is_done(step.key);
      out << "  " << ++number << ". "
          << (rolled_back ? (done ? "[undone] " : "[      ] ") : (done ? "[done] " : "[    ] "))
          << step.title << "\n";
    }
    if (rolled_back) {
      out << "\nRolled back: the data plane is on " << release_text(plan.source)
          << " again and revision " << plan.target.revision << " is removed.\n";
    } else if (rolling_back) {
      out << "\nA rollback is under way: the steps marked done are being undone; run \"getmesh "
             "upgrade rollback\" to continue it.\n";
    }
  }
  if (live != nullptr) {
    out << "\nRunning now:\n";
    for (const auto& plane : live->control_planes) {
      out << "  control plane " << plane.revision << ": " << plane.version_text << " ("
          << count(static_cast<std::size_t>(plane.pods), "pod") << ")\n";
    }
    for (const auto& group : live->data_plane) {
      out << "  " << count(static_cast<std::size_t>(group.count), group.kind) << " on revision "
          << group.revision << ": " << group.version_text << "\n";
    }
  }
  return escape_control(out.str());  // names and messages from the cluster and the record
}

}  // namespace getmesh::cli
