#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::upgrade {

// The ConfigMap in the Istio namespace that records an upgrade, and its key.
inline constexpr const char* kRecordName = "getmesh-upgrade";
inline constexpr const char* kRecordKey = "upgrade.json";
// How long a run on another machine holds the upgrade without renewing its claim.
inline constexpr std::int64_t kLeaseSeconds = 120;

enum class Phase {
  kInProgress,   // a run is applying it (or was killed while doing so)
  kStopped,      // a gate stopped it; nothing is broken, running again continues
  kFailed,       // a step failed; running again retries it
  kMoved,        // the data plane moved; `finish` removes the old control plane
  kRollingBack,  // a rollback is under way (or was interrupted)
  kRolledBack,   // done: back on the old revision
  kFinished,     // done: the old revision is gone
};

std::string to_string(Phase phase);

// The run applying an upgrade: renewed at every write; a dead run is recognised by its pid on
// the same host, elsewhere by a claim older than kLeaseSeconds.
struct Holder {
  std::string id;
  std::string host;
  long pid = 0;
  std::int64_t renewed_at = 0;  // seconds since the epoch
  // The istioctl the run waits for (0: none): on the same host the claim holds while it runs,
  // even when the run itself was killed and left it behind.
  long child = 0;
};

// The upgrade in progress: the plan and how far it got.
struct Record {
  Plan plan;
  Phase phase = Phase::kInProgress;
  std::vector<std::string> done;              // step keys, in order
  std::vector<std::string> moved_tags;        // tags pointed at the new revision
  std::vector<std::string> moved_namespaces;  // namespaces relabelled
  // Revisions this upgrade installed (recorded before istioctl runs): the only ones a rollback
  // removes. Never anything but the plan's target revision.
  std::vector<std::string> installed_revisions;
  // Nodes this upgrade cordoned (--ztunnel-drain), recorded before the cordon: a resume, a
  // rollback or the end of the step uncordons them; a node cordoned before is never listed.
  std::vector<std::string> cordoned_nodes;
  // The base release's defaultRevision was pointed at the target (noted before helm runs): a
  // rollback points it back.
  bool default_revision_moved = false;
  int batches_done = 0;        // batches restarted and through the proxy gate
  std::string restart_stamp;   // the restartedAt value of this upgrade's restarts
  std::string rollback_stamp;  // the same for the rollback's restarts
  std::string message;         // why it stopped or failed
  std::optional<Holder> holder;
  std::string started_at;
  std::string updated_at;
  std::string resource_version;  // of the ConfigMap it was read from
  // The Helm values of the plan are in Secret getmesh-upgrade-values-<values_id> (owned by the
  // ConfigMap), never in the ConfigMap; `values_stored`: that Secret holds this plan's values.
  std::string values_id;
  bool values_stored = false;
  // False when that Secret was read without an owner (a run killed before it owned it to the
  // ConfigMap): the next write owns it, so it does not outlive the ConfigMap.
  bool values_owned = true;

  [[nodiscard]] bool active() const {
    return phase != Phase::kRolledBack && phase != Phase::kFinished;
  }
  [[nodiscard]] bool is_done(const std::string& step) const;
  [[nodiscard]] bool installed(const std::string& revision) const;
  void mark_done(const std::string& step);
};

nlohmann::ordered_json to_json(const Record& record);
Result<Record> record_from_json(const nlohmann::json& document);

// This process as a holder.
Holder current_holder(std::int64_t now);
// Whether `holder` still runs: the same host and its pid or its istioctl child alive, or another
// host and a claim less than kLeaseSeconds from `now` (either way: one dated in the future is
// judged from now).
bool holder_alive(const Holder& holder, const std::string& this_host, std::int64_t now);

// The record kept in the ConfigMap; every update names the resourceVersion it read, so two runs
// can never both write. A Helm plan's release values (which may hold secrets) go to a Secret the
// ConfigMap owns, written once per plan: before the ConfigMap names it (removed again when the
// ConfigMap write loses), then given the ConfigMap as owner, so deleting the record deletes it.
class RecordStore {
 public:
  RecordStore(const kube::Client& client, std::string istio_namespace)
      : client_(client), istio_namespace_(std::move(istio_namespace)) {}

  // The record with its plan's Helm values put back; an active record whose values Secret is
  // missing or another record's is unreadable (a finished one is read without its values).
  Result<std::optional<Record>> load() const;
  // Creates the ConfigMap; another run that created it first is an error with http_status 409.
  Status create(Record& record) const;
  // Replaces the ConfigMap if nobody changed it since `record` was read (else 409).
  Status save(Record& record) const;
  [[nodiscard]] std::string describe() const;  // "ConfigMap istio-system/getmesh-upgrade"

 private:
  // The ConfigMap and the values taken out of the plan.
  [[nodiscard]] std::pair<nlohmann::json, nlohmann::json> config_map(const Record& record) const;
  Status write(Record& record, bool create) const;
  [[nodiscard]] std::string secrets_path(const std::string& name = {}) const;

  const kube::Client& client_;
  std::string istio_namespace_;
};

}  // namespace getmesh::upgrade
