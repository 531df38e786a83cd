#include "upgrade/helm_steps.hpp"

#include "upgrade/helm_commands.hpp"
#include "upgrade/helm_default_revision.hpp"
#include "upgrade/istioctl_commands.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/helm/chart_index.hpp>

namespace getmesh::upgrade::helm_steps {

namespace {

namespace commands = helm_commands;

std::vector<std::string> chart_names(const Plan& plan) {
  std::vector<std::string> charts;
  if (plan.helm->base) charts.emplace_back(helm::kBaseChart);
  charts.emplace_back(helm::kIstiodChart);
  if (!plan.helm->gateways.empty()) charts.emplace_back(helm::kGatewayChart);
  if (plan.helm->cni) charts.emplace_back(helm::kCniChart);
  if (plan.helm->ztunnel) charts.emplace_back(helm::kZtunnelChart);
  return charts;
}

}  // namespace

Step fetch(const Plan& plan) {
  return {StepId::kFetch,
          "fetch",
          "fetch istioctl " + plan.target.version.to_string() +
              " and the charts, run the precheck, render the new control plane",
          {"download and verify " + plan.target.version.to_string() +
               " into the getmesh store (the active istioctl stays as it is)",
           istioctl_commands::shown(istioctl_commands::precheck(plan, {"x", "precheck"})),
           "download the charts " + join(chart_names(plan), ", ") + " " +
               commands::chart_version(plan) + " from " + plan.helm->chart_repo +
               " and check each archive against the digest of its index.yaml",
           commands::shown(commands::render_control_plane(plan, "")) + "  (the values of release " +
               plan.helm->control_plane.name + " must render with the new chart)"},
          "",
          false};
}

Step install(const Plan& plan) {
  Step step{StepId::kInstall,
            "install",
            "install control plane revision " + plan.target.revision + " (" +
                plan.target.version.to_string() + ") as Helm release " + plan.helm->new_release +
                " beside " + plan.helm->control_plane.name,
            {},
            "",
            false};
  if (plan.helm->base) {
    step.actions.push_back(commands::shown(commands::upgrade_base(plan, "")) +
                           "  (CRDs and the base chart first, with the release's values)");
  }
  step.actions.push_back("configuration: the values of Helm release " +
                         plan.helm->control_plane.name + " (revision " + plan.source.revision +
                         "), revision=" + plan.target.revision);
  step.actions.push_back(commands::shown(commands::install_control_plane(plan, "")));
  return step;
}

Step control_plane_gate(const Plan& plan, const std::string& timeout) {
  return {StepId::kControlPlaneGate,
          "verify-control-plane",
          "wait for control plane " + plan.target.revision,
          {"read the istiod Deployment of revision " + plan.target.revision +
           " (verify-install checks IstioOperator installs, so it does not apply to Helm)"},
          "every replica of the istiod Deployment of revision " + plan.target.revision +
              " ready within " + timeout,
          false};
}

std::string tag_action(const Plan& plan, const TagMove& tag) {
  return commands::shown(commands::render_tag(plan, tag.tag, tag.to, "")) +
         ", then create or replace the webhooks it renders";
}

Step gateways(const Plan& plan, const std::string& timeout) {
  Step step{StepId::kGateways,
            "gateways",
            "upgrade the gateways in place",
            {},
            "each gateway's Deployment rolled out and its proxies on the revision it serves, "
            "within " +
                timeout,
            false};
  for (std::size_t i = 0; i < plan.helm->gateways.size(); ++i) {
    const auto& gateway = plan.helm->gateways[i];
    step.actions.push_back(commands::shown(commands::upgrade_gateway(plan, gateway, "")) + "  (" +
                           plan.helm->gateway_moves[i] + ")");
  }
  return step;
}

namespace {

std::string rollout_gate(const HelmRelease& release, const std::string& timeout) {
  return "the DaemonSet of release " + release.name + " rolled out on every node within " +
         timeout +
         " (as kubectl rollout status: its new specification observed, then "
         "updatedNumberScheduled and numberAvailable at desiredNumberScheduled)";
}

}  // namespace

Step ambient_cni(const Plan& plan, const std::string& timeout) {
  const auto& cni = *plan.helm->cni;
  return {StepId::kAmbientCni,
          "ambient-cni",
          "upgrade the istio-cni node agent in place (Helm release " + cni.name + ")",
          {commands::shown(commands::upgrade_in_place(plan, cni, helm::kCniChart, "")) +
           "  (the release's values)"},
          rollout_gate(cni, timeout),
          false};
}

Step ambient_ztunnel(const Plan& plan, const std::string& timeout) {
  const auto& ztunnel = *plan.helm->ztunnel;
  const auto upgrade =
      commands::shown(commands::upgrade_in_place(plan, ztunnel, helm::kZtunnelChart, ""));
  if (!plan.ambient.drain_nodes) {
    return {StepId::kAmbientZtunnel,
            "ambient-ztunnel",
            "upgrade ztunnel in place, bound to revision " + plan.target.revision,
            {upgrade + "  (the release's values, revision=" + plan.target.revision + ")"},
            rollout_gate(ztunnel, timeout),
            false};
  }
  return {
      StepId::kAmbientZtunnel,
      "ambient-ztunnel",
      "upgrade ztunnel node by node, bound to revision " + plan.target.revision +
          ", each node cordoned and drained first",
      {commands::shown(commands::upgrade_in_place(plan, ztunnel, helm::kZtunnelChart, "",
                                                  commands::on_delete_sets())) +
           "  (the release's values, revision=" + plan.target.revision +
           "; the new pods wait for their node's turn)",
       "for each node running ztunnel, one at a time: cordon it (spec.unschedulable), evict its "
       "pods through the Eviction API (policy/v1; DaemonSet pods stay, as kubectl drain "
       "--ignore-daemonsets does), delete its ztunnel pod, wait for the new one to be ready, "
       "uncordon it (a node cordoned before stays cordoned)",
       upgrade +
           "  (the release's own update strategy back; its pods already run the new version)"},
      rollout_gate(ztunnel, timeout) + "; each node's drain and new ztunnel pod within " + timeout,
      false};
}

Step ambient_waypoints(const Plan& plan, const std::string& timeout) {
  Step step{StepId::kAmbientWaypoints,
            "ambient-waypoints",
            "restart the waypoints on " + plan.target.revision,
            {},
            "each waypoint's Deployment rolled out with its proxies on revision " +
                plan.target.revision + " and " + plan.target.version.to_string() + ", within " +
                timeout,
            false};
  for (const auto& waypoint : plan.ambient.waypoints) {
    step.actions.push_back("restart Deployment " + waypoint +
                           " (the kubectl.kubernetes.io/restartedAt pod-template annotation, "
                           "unless the restart step did)");
  }
  if (step.actions.empty()) step.actions.emplace_back("no waypoint moves with this upgrade");
  return step;
}

Step remove_old(const Plan& plan) {
  std::vector<std::string> actions;
  if (!plan.remove_old) {
    actions.emplace_back("only with --remove-old, or later with \"getmesh upgrade finish\"");
  }
  if (helm_default_revision::applies(plan)) {
    actions.push_back(commands::shown(helm_default_revision::switch_to_target(plan, "")) +
                      "  (revision " + plan.target.revision +
                      " becomes the default, as Istio's Helm guide does)");
  }
  actions.push_back(commands::shown(commands::uninstall(plan, plan.helm->control_plane.name)) +
                    "  (the old release only)");
  return {
      StepId::kRemoveOld,
      "remove-old",
      "remove control plane " + plan.source.revision + " (" + plan.source.version.to_string() + ")",
      std::move(actions),
      "no proxy in the cluster uses revision " + plan.source.revision,
      false};
}

}  // namespace getmesh::upgrade::helm_steps
