#include "upgrade/ambient_runner.hpp"

#include "upgrade/daemon_pods.hpp"
#include "upgrade/helm_commands.hpp"
#include "upgrade/node_drain.hpp"
#include "upgrade/restarts.hpp"
#include "upgrade/words.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/kube/object.hpp>
#include <getmesh/upgrade/gates.hpp>
#include <getmesh/upgrade/layout.hpp>

#include <algorithm>
#include <set>

namespace getmesh::upgrade {

namespace {

using kube::text_at;
using nlohmann::json;
using AmbientClock = std::chrono::steady_clock;

constexpr const char* kReleaseNameAnnotation = "meta.helm.sh/release-name";

bool pod_ready(const json& pod) {
  if (text_at(pod, {"status", "phase"}) != "Running") return false;
  if (pod.contains("metadata") && pod["metadata"].contains("deletionTimestamp")) return false;
  if (!pod.contains("status") || !pod["status"].contains("conditions")) return true;
  for (const auto& condition : pod["status"]["conditions"]) {
    if (condition.value("type", "") == "Ready") return condition.value("status", "") == "True";
  }
  return true;
}

// The drain stopped (by `stopped`), and uncordoning the nodes this upgrade cordoned failed: they
// stay cordoned, and in the record, for the next run or the rollback to uncordon.
Error still_cordoned(ErrorKind kind, const std::string& stopped,
                     const std::vector<std::string>& nodes, const Error& failure) {
  return Error{kind,
               stopped + "; the nodes this upgrade cordoned (" + join(nodes, ", ") +
                   ") are still cordoned: uncordoning failed: " + failure.message,
               "the next \"getmesh upgrade\" or \"getmesh upgrade rollback\" uncordons them (or "
               "\"kubectl uncordon <node>\")"};
}

}  // namespace

Status AmbientRunner::check() {
  if (!plan_.ambient.drain_nodes || !plan_.helm->ztunnel) return {};
  if (auto usable = check_selectors(*plan_.helm->ztunnel); !usable) return usable;
  return helm_.check_ztunnel_on_delete(helm_commands::on_delete_sets());
}

Status AmbientRunner::check_selectors(const HelmRelease& ztunnel) {
  auto daemon_sets = daemon_sets_of(ztunnel);
  if (!daemon_sets) return daemon_sets.error();
  for (const auto& daemon_set : *daemon_sets) {
    if (auto selector = node_drain::daemon_set_selector(daemon_set); !selector) {
      return selector.error();
    }
  }
  return {};
}

GateResult AmbientRunner::wait_until(
    const std::string& what, const std::function<Result<std::optional<std::string>>()>& pending) {
  const auto deadline = AmbientClock::now() + std::chrono::seconds(plan_.timeout_seconds);
  auto delay = runtime_.first_poll;
  while (true) {
    auto waiting = pending();
    if (!waiting) return waiting.error();
    if (!*waiting) return std::optional<std::string>();
    if (AmbientClock::now() >= deadline) {
      return std::optional<std::string>(what + " within " + std::to_string(plan_.timeout_seconds) +
                                        "s (" + **waiting + ")");
    }
    if (auto renewed = hooks_.keep_alive(); !renewed) return renewed.error();
    if (runtime_.waiting) runtime_.waiting(what + ": " + **waiting);
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - AmbientClock::now());
    if (!sleep_unless_interrupted(std::max(std::chrono::milliseconds(1), std::min(delay, left)))) {
      return interrupted_error();
    }
    delay = std::min(delay * 2, runtime_.max_poll);
  }
}

Result<std::vector<json>> AmbientRunner::daemon_sets_of(const HelmRelease& release) {
  auto listed = client_.list(kube::resource_path("apps/v1", "daemonsets", release.namespace_name));
  if (!listed) return listed.error();
  std::vector<json> found;
  for (auto& daemon_set : *listed) {
    if (text_at(daemon_set, {"metadata", "annotations", kReleaseNameAnnotation}) == release.name)
      found.push_back(std::move(daemon_set));
  }
  return found;
}

GateResult AmbientRunner::wait_for_rollout(const HelmRelease& release) {
  return wait_until(
      "the DaemonSet of Helm release " + release.name + " did not roll out on every node",
      [&]() -> Result<std::optional<std::string>> {
        auto daemon_sets = daemon_sets_of(release);
        if (!daemon_sets) return daemon_sets.error();
        if (daemon_sets->empty()) {
          return std::optional<std::string>("no DaemonSet of the release in " +
                                            release.namespace_name + " yet");
        }
        for (const auto& daemon_set : *daemon_sets) {
          if (auto why = daemon_set_pending(daemon_set)) {
            return std::optional<std::string>(
                "DaemonSet " + text_at(daemon_set, {"metadata", "name"}) + ": " + *why);
          }
        }
        return std::optional<std::string>();
      });
}

GateResult AmbientRunner::upgrade_cni() {
  const auto& cni = *plan_.helm->cni;
  if (auto upgraded = helm_.upgrade_in_place(cni, helm::kCniChart); !upgraded) {
    return upgraded.error();
  }
  return wait_for_rollout(cni);
}

GateResult AmbientRunner::upgrade_ztunnel() {
  const auto& ztunnel = *plan_.helm->ztunnel;
  if (plan_.ambient.drain_nodes) {
    GateResult result = std::optional<std::string>();
    bool stopped_by_signal = false;
    {
      const InterruptScope interrupt_scope;  // Ctrl-C: stop, then uncordon before exiting
      result = replace_node_by_node(ztunnel);
      stopped_by_signal = interrupted();
    }
    if (stopped_by_signal || !result || *result) {
      // Read before a fresh scope forgets the signal, so that the clean-up's requests are not
      // cut short (the exit code still names the signal: 128 + it).
      const auto stopped = interrupted_error().message;
      std::optional<InterruptScope> clean_up;
      if (stopped_by_signal) clean_up.emplace();
      auto restored = restore_nodes();
      if (stopped_by_signal) {
        if (!restored) {
          return still_cordoned(ErrorKind::kCancelled, stopped, record_.cordoned_nodes,
                                restored.error());
        }
        return Error{ErrorKind::kCancelled,
                     stopped + "; the nodes this upgrade cordoned are uncordoned again", ""};
      }
      if (restored) return result;
      if (!result) {
        return still_cordoned(result.error().kind, result.error().message, record_.cordoned_nodes,
                              restored.error());
      }
      return still_cordoned(ErrorKind::kRuntime, "stopped at a gate: " + **result,
                            record_.cordoned_nodes, restored.error());
    }
    if (auto restored = restore_nodes(); !restored) return restored.error();
  }
  // With --ztunnel-drain this gives the DaemonSet its own update strategy back (its pods already
  // run the new template); otherwise it is the upgrade, rolled out by the DaemonSet itself.
  if (auto upgraded = helm_.upgrade_in_place(ztunnel, helm::kZtunnelChart); !upgraded) {
    return upgraded.error();
  }
  return wait_for_rollout(ztunnel);
}

GateResult AmbientRunner::replace_node_by_node(const HelmRelease& ztunnel) {
  // Again before the upgrade, for a resumed run (a DaemonSet's selector cannot change).
  if (auto usable = check_selectors(ztunnel); !usable) return usable.error();
  if (auto upgraded =
          helm_.upgrade_in_place(ztunnel, helm::kZtunnelChart, helm_commands::on_delete_sets());
      !upgraded) {
    return upgraded.error();
  }
  auto daemon_sets = daemon_sets_of(ztunnel);
  if (!daemon_sets) return daemon_sets.error();
  if (daemon_sets->empty()) {
    return runtime_error("helm upgrade " + ztunnel.name + " left no DaemonSet of the release in " +
                         ztunnel.namespace_name);
  }
  const auto& daemon_set = daemon_sets->front();
  auto selector = node_drain::daemon_set_selector(daemon_set);
  if (!selector) return selector.error();
  kube::ListOptions options;
  options.label_selector = *selector;
  auto pods = client_.list(kube::resource_path("", "pods", ztunnel.namespace_name), options);
  if (!pods) return pods.error();
  std::set<std::string> nodes(record_.cordoned_nodes.begin(), record_.cordoned_nodes.end());
  for (const auto& pod : *pods) {
    if (auto node = text_at(pod, {"spec", "nodeName"}); !node.empty()) nodes.insert(node);
  }
  for (const auto& node : nodes) {
    auto stopped = replace_on_node(ztunnel, daemon_set, *selector, node);
    if (!stopped || *stopped) return stopped;
  }
  return std::optional<std::string>();
}

GateResult AmbientRunner::replace_on_node(const HelmRelease& ztunnel, const json& daemon_set,
                                          const std::string& selector, const std::string& node) {
  const auto pods_path = kube::resource_path("", "pods", ztunnel.namespace_name);
  kube::ListOptions options;
  options.label_selector = selector;
  options.field_selector = "spec.nodeName=" + node;
  const auto updated = [&](const json& pod) {
    return daemon_pods::runs_current_template(pod, daemon_set);
  };
  auto pods = client_.list(pods_path, options);
  if (!pods) return pods.error();
  const bool ours = std::find(record_.cordoned_nodes.begin(), record_.cordoned_nodes.end(), node) !=
                    record_.cordoned_nodes.end();
  const bool done = !pods->empty() && std::all_of(pods->begin(), pods->end(), [&](const json& pod) {
    return updated(pod) && pod_ready(pod);
  });
  if (done) {  // replaced by an earlier run
    if (auto restored = uncordon(node); !restored) return restored.error();
    return std::optional<std::string>();
  }
  bool cordoned_before = false;
  if (!ours) {
    auto cordoned = node_drain::cordoned(client_, node);
    if (!cordoned) return cordoned.error();
    cordoned_before = *cordoned;
    if (!cordoned_before) {  // recorded first: a run killed now is uncordoned by the next one
      record_.cordoned_nodes.push_back(node);
      if (auto saved = hooks_.save(); !saved) return saved.error();
    }
  }
  if (!cordoned_before) {
    if (auto cordoned = node_drain::set_cordoned(client_, node, true); !cordoned) {
      return cordoned.error();
    }
  }
  auto evicting = node_drain::pods_to_evict(client_, node);
  if (!evicting) return evicting.error();
  const auto count = evicting->size();
  auto drained =
      wait_until("node " + node + " was not drained", [&]() -> Result<std::optional<std::string>> {
        std::vector<std::string> waiting;
        for (const auto& pod : *evicting) {
          auto is_gone = node_drain::gone(client_, pod);
          if (!is_gone) return is_gone.error();
          if (*is_gone) continue;
          auto refused = node_drain::evict(client_, pod);
          if (!refused) return refused.error();
          waiting.push_back(*refused ? **refused
                                     : text_at(pod, {"metadata", "namespace"}) + "/" +
                                           text_at(pod, {"metadata", "name"}) + " is going");
        }
        if (waiting.empty()) return std::optional<std::string>();
        return std::optional<std::string>(words::listed(waiting, kListed));
      });
  if (!drained || *drained) return drained;
  for (const auto& pod : *pods) {
    if (updated(pod)) continue;
    auto removed = client_.remove(kube::resource_path("", "pods", ztunnel.namespace_name,
                                                      text_at(pod, {"metadata", "name"})));
    if (!removed && removed.error().http_status != 404) return removed.error();
  }
  auto replaced = wait_until(
      "ztunnel was not replaced on node " + node, [&]() -> Result<std::optional<std::string>> {
        auto current = client_.list(pods_path, options);
        if (!current) return current.error();
        for (const auto& pod : *current) {
          if (updated(pod) && pod_ready(pod)) return std::optional<std::string>();
        }
        return std::optional<std::string>("its new ztunnel pod is not ready yet");
      });
  if (!replaced || *replaced) return replaced;
  if (auto restored = uncordon(node); !restored) return restored.error();
  if (runtime_.detail) {
    runtime_.detail("node " + node + ": drained (" + std::to_string(count) +
                    (count == 1 ? " pod" : " pods") + " evicted), ztunnel replaced, " +
                    (cordoned_before ? "left cordoned as it was" : "uncordoned"));
  }
  return std::optional<std::string>();
}

Status AmbientRunner::uncordon(const std::string& node) {
  const auto found = std::find(record_.cordoned_nodes.begin(), record_.cordoned_nodes.end(), node);
  if (found == record_.cordoned_nodes.end()) return {};  // cordoned before: it stays so
  auto restored = node_drain::set_cordoned(client_, node, false);
  if (!restored && restored.error().http_status != 404) return restored;
  record_.cordoned_nodes.erase(found);
  return hooks_.save();
}

Status AmbientRunner::restore_nodes() {
  const auto nodes = record_.cordoned_nodes;
  for (const auto& node : nodes) {
    if (auto restored = uncordon(node); !restored) return restored;
    if (runtime_.detail) runtime_.detail("node " + node + " uncordoned");
  }
  return {};
}

GateResult AmbientRunner::restart_waypoints(std::string& stamp, const std::string& from,
                                            const Release& release) {
  if (stamp.empty()) {
    stamp = format_rfc3339(now_seconds());
    if (auto saved = hooks_.save(); !saved) return saved.error();
  }
  for (const auto& waypoint : plan_.ambient.waypoints) {
    const auto slash = waypoint.find('/');
    const auto namespace_name = waypoint.substr(0, slash);
    const auto name = waypoint.substr(slash + 1);
    const auto path = kube::resource_path("apps/v1", "deployments", namespace_name, name);
    // The pods of the waypoint's Deployment, as the restart step reads a workload's pods.
    const auto selected_pods = [&](const json& deployment) -> Result<std::vector<json>> {
      auto pods = client_.list(kube::resource_path("", "pods", namespace_name));
      if (!pods) return pods.error();
      const auto workloads = workloads_from({deployment}, "Deployment");
      std::vector<json> selected;
      for (const auto& pod : *pods) {
        if (!workloads.empty() && selects(workloads.front(), pod)) selected.push_back(pod);
      }
      return selected;
    };
    auto deployment = client_.get_if_exists(path);
    if (!deployment) return deployment.error();
    if (!*deployment) continue;  // deleted meanwhile: nothing to move
    auto pods = selected_pods(**deployment);
    if (!pods) return pods.error();
    if (text_at(**deployment, {"spec", "template", "metadata", "annotations", kRestartedAt}) !=
            stamp &&
        !using_revision(*pods, from).empty()) {
      const json patch{
          {"spec", {{"template", {{"metadata", {{"annotations", {{kRestartedAt, stamp}}}}}}}}}};
      if (auto patched = client_.patch(path, patch, kube::PatchType::kStrategicMerge); !patched) {
        return patched.error();
      }
    }
    auto stopped =
        wait_until("waypoint " + waypoint + " did not move to revision " + release.revision,
                   [&]() -> Result<std::optional<std::string>> {
                     auto current = client_.get(path);
                     if (!current) return current.error();
                     if (auto why = not_ready(*current)) return std::optional<std::string>(*why);
                     auto selected = selected_pods(*current);
                     if (!selected) return selected.error();
                     const auto pending = not_moved(*selected, from, release);
                     if (pending.empty()) return std::optional<std::string>();
                     return std::optional<std::string>(words::listed(pending, kListed));
                   });
    if (!stopped || *stopped) return stopped;
    if (runtime_.detail) runtime_.detail("waypoint " + waypoint + " runs " + release.revision);
  }
  return std::optional<std::string>();
}

GateResult AmbientRunner::restore(const HelmRelease& release) {
  if (auto restored = helm_.restore_release(release); !restored) return restored.error();
  return wait_for_rollout(release);
}

}  // namespace getmesh::upgrade
