#pragma once

#include "upgrade/helm_installer.hpp"

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/upgrade/apply.hpp>
#include <getmesh/upgrade/plan.hpp>
#include <getmesh/upgrade/record.hpp>

#include <functional>
#include <optional>
#include <string>

namespace getmesh::upgrade {

// What a step reports: nullopt when it passed its gate, else why the run stops there (exit 3).
using GateResult = Result<std::optional<std::string>>;

// The ambient steps of a Helm plan, in Istio's ambient Helm upgrade order: istio-cni, then ztunnel
// (node by node with --ztunnel-drain), then the waypoints; and their undoing. The executor keeps
// the order, the claim and the record; each operation reads before it writes, so running it again
// after an interruption continues.
class AmbientRunner {
 public:
  struct Hooks {
    std::function<Status()> save;        // saves the record
    std::function<Status()> keep_alive;  // renews the claim while a gate waits
  };

  AmbientRunner(const Plan& plan, Record& record, const kube::Client& client,
                const Runtime& runtime, HelmInstaller& helm, Hooks hooks)
      : plan_(plan),
        record_(record),
        client_(client),
        runtime_(runtime),
        helm_(helm),
        hooks_(std::move(hooks)) {}

  // Before any change, with --ztunnel-drain: ztunnel's DaemonSet selects its pods by matchLabels
  // alone, and the ztunnel chart takes the OnDelete strategy.
  Status check();
  GateResult upgrade_cni();
  GateResult upgrade_ztunnel();
  // Restarts the plan's waypoints (once per `stamp`) and waits until each rolled out with its
  // proxies moved from revision `from` to `release`.
  GateResult restart_waypoints(std::string& stamp, const std::string& from, const Release& release);
  // Rollback: the release back to its revision before the upgrade (when this upgrade upgraded
  // it), gated on its DaemonSet's rollout.
  GateResult restore(const HelmRelease& release);
  // Uncordons every node the record says this upgrade cordoned.
  Status restore_nodes();

 private:
  GateResult wait_until(const std::string& what,
                        const std::function<Result<std::optional<std::string>>()>& pending);
  GateResult wait_for_rollout(const HelmRelease& release);
  Result<std::vector<nlohmann::json>> daemon_sets_of(const HelmRelease& release);
  // An error unless each DaemonSet of the release selects its pods by matchLabels alone.
  Status check_selectors(const HelmRelease& ztunnel);
  GateResult replace_node_by_node(const HelmRelease& ztunnel);
  // `selector`: the DaemonSet's pods (node_drain::daemon_set_selector).
  GateResult replace_on_node(const HelmRelease& ztunnel, const nlohmann::json& daemon_set,
                             const std::string& selector, const std::string& node);
  Status uncordon(const std::string& node);

  const Plan& plan_;
  Record& record_;
  const kube::Client& client_;
  const Runtime& runtime_;
  HelmInstaller& helm_;
  Hooks hooks_;
};

}  // namespace getmesh::upgrade
