#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/upgrade/plan.hpp>
#include <getmesh/upgrade/record.hpp>

#include <optional>
#include <string>

namespace getmesh::upgrade {

// What `getmesh upgrade` finds: the upgrade in progress to continue, a new plan, or nothing to do.
struct Prepared {
  std::optional<Record> in_progress;  // an active record: continue it instead of a new upgrade
  std::optional<Plan> plan;           // a new plan (when nothing is in progress)
  std::optional<Record> previous;     // a finished or rolled-back record the new one replaces
  std::string nothing_to_do;          // set when there is neither
};

// Reads the record and, when no upgrade is in progress, the cluster, and makes a plan. A --to or
// --flavor that disagrees with the upgrade in progress is a refusal.
Result<Prepared> prepare(const kube::Client& client, const mesh::MeshState& state,
                         const manifest::Manifest& manifest, const CivilDate& today,
                         const PlanRequest& request, const FileReader& read_file);

// Refuses plans getmesh cannot apply: ambient meshes (planned, applied by hand) and an install
// without a configuration. The one place for guards on what may be upgraded.
Status check_applicable(const Plan& plan);

// Records a new upgrade of `plan`, claimed by this run: creates the ConfigMap, or replaces the
// finished `previous` one by its resourceVersion, so two runs starting at once cannot both win.
Result<Record> start(const RecordStore& store, Plan plan, const std::optional<Record>& previous,
                     std::int64_t now);

}  // namespace getmesh::upgrade
