#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/mesh/state.hpp>
#include <getmesh/upgrade/helm.hpp>
#include <getmesh/upgrade/layout.hpp>
#include <getmesh/upgrade/target.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::upgrade {

// A control plane revision and the build it runs.
struct Release {
  std::string revision;
  DistributionName version;
};

// A revision tag to point at the new revision (`istioctl tag set <tag> --revision <to>
// --overwrite`).
struct TagMove {
  std::string tag;
  std::string from;
  std::string to;
};

// A namespace whose workloads move: with a tag, or by relabelling it to the new revision.
struct NamespaceMove {
  std::string name;
  std::string
      label;        // the injection label as found: "istio-injection=enabled", "istio.io/rev=prod"
  std::string tag;  // it moves with this tag; empty: it is relabelled
  std::vector<std::string> workloads;  // "Deployment/web": restarted to get the new proxy
  std::vector<std::string> bare_pods;  // proxies without a controller: to recreate by hand
  // "Deployment/batch (revision canary)": proxies on another revision than the source; the
  // upgrade neither restarts nor waits for them.
  std::vector<std::string> left_alone;
  [[nodiscard]] bool relabelled() const { return tag.empty(); }
};

// How the new revision is installed: the running revision's installed-state IstioOperator (with
// the version-specific fields dropped), then the user's -f files and --set values.
struct InstallConfig {
  std::string installed_state;       // the IstioOperator's name; empty when there is none
  std::string profile;               // from the installed state; empty when unknown
  nlohmann::json spec;               // its spec, ready for the new revision; null when none
  std::vector<std::string> dropped;  // fields of the installed state left out ("spec.tag")
  std::vector<std::string> files;
  std::vector<std::string> sets;
  std::string hub;  // getmesh's default hub, set when nothing else chooses one
  [[nodiscard]] bool complete() const { return !spec.is_null() || !files.empty() || !sets.empty(); }
};

// Ambient mode: applied for Helm installs (Istio documents ambient upgrades with Helm only),
// planned as manual steps for istioctl ones.
struct Ambient {
  int ztunnel_pods = 0;
  std::vector<std::string> namespaces;
  // "namespace/name" of the waypoint Deployments that move with a tag or namespace of the plan:
  // restarted and gated after the data plane moved.
  std::vector<std::string> waypoints;
  // --ztunnel-drain: ztunnel replaced node by node, each node cordoned and drained first.
  bool drain_nodes = false;
  [[nodiscard]] bool present() const { return ztunnel_pods > 0; }
};

// The upgrade of one cluster, decided before anything changes. A value: printed by --dry-run,
// stored in the state record, and executed step by step.
struct Plan {
  std::string context;      // the kubeconfig's name for the cluster when planned: for messages only
  std::string server;       // the cluster's identity: its API server URL
  std::string cluster_uid;  // and the UID of its kube-system namespace (empty in older records)
  std::string istio_namespace;
  Release source;
  Release target;
  std::string reason;  // why this target
  std::vector<std::string> warnings;
  InstallConfig install;
  std::vector<TagMove> tags;
  std::vector<NamespaceMove> namespaces;
  std::vector<std::string> unmoved_proxies;  // "ns/pod" of the old revision outside `namespaces`
  int batch_size = 1;
  std::int64_t timeout_seconds = 300;
  bool remove_old = false;
  Ambient ambient;
  // Set for a Helm-installed control plane: Helm installs and removes it (`install` is unused).
  std::optional<HelmUpgrade> helm;

  // The namespaces restarted together, `batch_size` at a time, in plan order.
  [[nodiscard]] std::vector<std::vector<std::string>> batches() const;
};

enum class StepId {
  kFetch,
  kInstall,
  kControlPlaneGate,
  kAmbientCni,
  kAmbientZtunnel,
  kMoveDataPlane,
  kRestart,
  kProxyGate,
  kGateways,
  kAmbientWaypoints,
  kRemoveOld,
};

// One numbered step of a plan: what it runs or changes, and the gate that follows it.
struct Step {
  StepId id;
  std::string key;  // stable name: "fetch", "install", "verify-control-plane", …
  std::string title;
  std::vector<std::string> actions;  // commands and changes, as they will be made
  std::string gate;                  // what must hold before going on; empty: none
  bool manual = false;               // getmesh does not apply it (ambient): `actions` are by hand
};

// The steps of `plan` in order (numbered from 1 by position).
std::vector<Step> steps_of(const Plan& plan);

// What make_plan needs besides the cluster reading.
struct PlanRequest {
  std::string context;
  std::string server;
  std::string cluster_uid;  // kube-system's UID (kube::identify_cluster)
  std::string from_revision;
  TargetRequest target;
  std::vector<std::string> files;
  std::vector<std::string> sets;
  std::string default_hub;  // config.json default_hub; empty: istioctl's own
  int batch_size = 1;
  std::int64_t timeout_seconds = 300;
  bool remove_old = false;
  // For a Helm-installed control plane: the Istio releases of every namespace, with their values
  // (read with helm), and the chart repository of the target's charts.
  std::optional<std::vector<HelmRelease>> helm_releases;
  std::string chart_repo;
  bool ztunnel_drain = false;  // --ztunnel-drain
};

// A plan, or why there is nothing to upgrade.
struct Planned {
  std::optional<Plan> plan;
  std::string nothing_to_do;
};

// Reads `path` for the hub check of -f files; nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

// Decides the upgrade: source and target (target rules), the install configuration, tags to move,
// namespaces to relabel or restart, batches and gates. Pure: everything comes from the arguments.
Result<Planned> make_plan(const mesh::MeshState& state, const Layout& layout,
                          const manifest::Manifest& manifest, const CivilDate& today,
                          const PlanRequest& request, const FileReader& read_file);

// The plan as JSON (with its steps), and back (steps are derived again).
nlohmann::ordered_json to_json(const Plan& plan);
Result<Plan> plan_from_json(const nlohmann::json& document);

}  // namespace getmesh::upgrade
