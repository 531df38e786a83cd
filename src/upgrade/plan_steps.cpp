#include "upgrade/helm_steps.hpp"
#include "upgrade/istioctl_commands.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/upgrade/plan.hpp>

namespace getmesh::upgrade {

namespace {

namespace commands = istioctl_commands;

std::string duration(std::int64_t seconds) {
  if (seconds % 60 == 0 && seconds >= 60) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

Step fetch_step(const Plan& plan) {
  return {StepId::kFetch,
          "fetch",
          "fetch istioctl " + plan.target.version.to_string() + " and run its precheck",
          {"download and verify " + plan.target.version.to_string() +
               " into the getmesh store (the active istioctl stays as it is)",
           commands::shown(commands::precheck(plan, {"x", "precheck"}))},
          "",
          false};
}

Step install_step(const Plan& plan) {
  Step step{StepId::kInstall,
            "install",
            "install control plane revision " + plan.target.revision + " (" +
                plan.target.version.to_string() + ") beside " + plan.source.revision,
            {},
            "",
            false};
  if (!plan.install.installed_state.empty()) {
    step.actions.push_back("configuration: profile " + plan.install.profile +
                           " and the values of IstioOperator " + plan.install.installed_state +
                           " (revision " + plan.source.revision + ")");
  } else if (plan.install.complete()) {
    step.actions.push_back(
        "configuration: the -f files and --set values given (no installed-state "
        "IstioOperator in " +
        plan.istio_namespace + ")");
  } else {
    step.actions.push_back("configuration MISSING: there is no installed-state IstioOperator in " +
                           plan.istio_namespace +
                           "; give the running configuration with -f FILE and/or --set");
  }
  if (!plan.install.hub.empty()) {
    step.actions.push_back("images from the default hub " + plan.install.hub);
  }
  step.actions.push_back(
      commands::shown(commands::install(plan, commands::operator_file_name(plan))));
  return step;
}

Step control_plane_gate(const Plan& plan) {
  return {StepId::kControlPlaneGate,
          "verify-control-plane",
          "wait for control plane " + plan.target.revision,
          {commands::shown(commands::verify_install(plan, commands::operator_file_name(plan)))},
          "every replica of the istiod Deployment of revision " + plan.target.revision +
              " ready within " + duration(plan.timeout_seconds) + ", and verify-install passes",
          false};
}

Step move_step(const Plan& plan) {
  Step step{StepId::kMoveDataPlane,
            "move",
            "point the data plane at " + plan.target.revision,
            {},
            "",
            false};
  for (const auto& tag : plan.tags) {
    const auto action = plan.helm ? helm_steps::tag_action(plan, tag)
                                  : commands::shown(commands::tag_set(plan, tag.tag, tag.to));
    std::vector<std::string> names;
    for (const auto& move : plan.namespaces) {
      if (move.tag == tag.tag) names.push_back(move.name);
    }
    step.actions.push_back(action + "  (tag " + tag.tag + ": " + tag.from + " → " + tag.to +
                           (names.empty() ? std::string(", no namespace uses it")
                                          : ", namespaces " + join(names, ", ")) +
                           ")");
  }
  for (const auto& move : plan.namespaces) {
    if (!move.relabelled()) continue;
    std::string action = "label namespace " + move.name + " " + kRevisionLabel + "=";
    action += plan.target.revision;
    if (move.label.starts_with(kInjectionLabel)) {
      action += " and remove ";
      action += kInjectionLabel;
    }
    action += " (was " + move.label + ")";
    step.actions.push_back(std::move(action));
  }
  if (step.actions.empty())
    step.actions.push_back("nothing: no namespace or tag uses revision " + plan.source.revision);
  return step;
}

Step restart_step(const Plan& plan) {
  std::vector<std::string> actions;
  int number = 0;
  for (const auto& batch : plan.batches()) {
    std::vector<std::string> parts;
    for (const auto& name : batch) {
      for (const auto& move : plan.namespaces) {
        if (move.name != name) continue;
        parts.push_back(
            name + " (" +
            (move.workloads.empty() ? std::string("no workloads") : join(move.workloads, ", ")) +
            ")");
      }
    }
    actions.push_back("batch " + std::to_string(++number) + ": " + join(parts, "; "));
  }
  if (actions.empty()) actions.emplace_back("nothing to restart");
  std::vector<std::string> left_alone;
  for (const auto& move : plan.namespaces) {
    for (const auto& workload : move.left_alone) left_alone.push_back(move.name + "/" + workload);
  }
  if (!left_alone.empty()) {
    actions.push_back("left alone, their proxies are not on " + plan.source.revision + ": " +
                      join(left_alone, ", "));
  }
  actions.emplace_back(
      "each by setting the kubectl.kubernetes.io/restartedAt pod-template annotation, as "
      "kubectl rollout restart does");
  return {StepId::kRestart,
          "restart",
          "restart the workloads, " + std::to_string(plan.batch_size) + " namespace" +
              (plan.batch_size == 1 ? "" : "s") + " at a time",
          std::move(actions),
          "",
          false};
}

Step proxy_gate(const Plan& plan) {
  return {StepId::kProxyGate,
          "verify-proxies",
          "wait for the proxies of each batch",
          {"read every pod of the batch's namespaces, as check-upgrade does"},
          "every proxy reports revision " + plan.target.revision + " and " +
              plan.target.version.to_string() + " within " + duration(plan.timeout_seconds) +
              " per batch (the pods that did not move are listed)",
          false};
}

Step remove_step(const Plan& plan) {
  std::vector<std::string> actions;
  if (!plan.remove_old) {
    actions.emplace_back("only with --remove-old, or later with \"getmesh upgrade finish\"");
  }
  actions.push_back(
      commands::shown(commands::uninstall(plan, {"uninstall"}, plan.source.revision)));
  return {
      StepId::kRemoveOld,
      "remove-old",
      "remove control plane " + plan.source.revision + " (" + plan.source.version.to_string() + ")",
      std::move(actions),
      "no proxy in the cluster uses revision " + plan.source.revision,
      false};
}

std::vector<Step> ambient_steps(const Plan& plan, bool before_data_plane) {
  if (plan.helm && plan.helm->ztunnel) {  // Istio's ambient Helm upgrade, applied by getmesh
    const auto timeout = duration(plan.timeout_seconds);
    if (!before_data_plane) return {helm_steps::ambient_waypoints(plan, timeout)};
    std::vector<Step> steps;
    if (plan.helm->cni) steps.push_back(helm_steps::ambient_cni(plan, timeout));
    steps.push_back(helm_steps::ambient_ztunnel(plan, timeout));
    return steps;
  }
  const auto version = plan.target.version.version.to_string();
  const auto& ns = plan.istio_namespace;
  if (before_data_plane) {
    return {{StepId::kAmbientCni,
             "ambient-cni",
             "upgrade the istio-cni node agent in place (ambient; by hand)",
             {"helm upgrade istio-cni istio/cni -n " + ns + " --version " + version},
             "the istio-cni DaemonSet rolled out on every node",
             true},
            {StepId::kAmbientZtunnel,
             "ambient-ztunnel",
             "upgrade ztunnel in place, node by node (ambient; by hand)",
             {"helm upgrade ztunnel istio/ztunnel -n " + ns + " --version " + version,
              "cordon and drain each node first where long-lived connections matter"},
             "the ztunnel DaemonSet rolled out on every node",
             true}};
  }
  std::vector<std::string> actions;
  for (const auto& waypoint : plan.ambient.waypoints) {
    const auto slash = waypoint.find('/');
    actions.push_back("kubectl rollout restart deployment/" + waypoint.substr(slash + 1) + " -n " +
                      waypoint.substr(0, slash) + " (after its namespace or tag points at " +
                      plan.target.revision + ")");
  }
  if (actions.empty()) actions.emplace_back("no waypoint found");
  return {{StepId::kAmbientWaypoints, "ambient-waypoints",
           "move the waypoints to " + plan.target.revision + " (ambient; by hand)",
           std::move(actions), "every waypoint runs " + version, true}};
}

}  // namespace

std::vector<Step> steps_of(const Plan& plan) {
  std::vector<Step> steps;
  if (plan.helm) {
    steps = {helm_steps::fetch(plan), helm_steps::install(plan),
             helm_steps::control_plane_gate(plan, duration(plan.timeout_seconds))};
  } else {
    steps = {fetch_step(plan), install_step(plan), control_plane_gate(plan)};
  }
  if (plan.ambient.present()) {
    for (auto& step : ambient_steps(plan, true)) steps.push_back(std::move(step));
  }
  steps.push_back(move_step(plan));
  steps.push_back(restart_step(plan));
  steps.push_back(proxy_gate(plan));
  if (plan.helm && !plan.helm->gateways.empty()) {
    steps.push_back(helm_steps::gateways(plan, duration(plan.timeout_seconds)));
  }
  if (plan.ambient.present()) {
    for (auto& step : ambient_steps(plan, false)) steps.push_back(std::move(step));
  }
  steps.push_back(plan.helm ? helm_steps::remove_old(plan) : remove_step(plan));
  return steps;
}

}  // namespace getmesh::upgrade
