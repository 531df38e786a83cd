#pragma once

#include <getmesh/upgrade/plan.hpp>

#include <string>

// The steps of a plan whose control plane Helm installed (plan.helm set), in Istio's Helm canary
// order; the steps both kinds of mesh share (restart, proxy gate) come from plan_steps.cpp.
namespace getmesh::upgrade::helm_steps {

Step fetch(const Plan& plan);
Step install(const Plan& plan);
Step control_plane_gate(const Plan& plan, const std::string& timeout);
// The action that moves `tag` (rendered with the target's istiod chart and applied).
std::string tag_action(const Plan& plan, const TagMove& tag);
Step gateways(const Plan& plan, const std::string& timeout);
// Ambient mode (plan.helm->cni / ztunnel set), in Istio's ambient Helm order: istio-cni, then
// ztunnel (node by node with --ztunnel-drain) after the control plane; the waypoints after the
// data plane moved.
Step ambient_cni(const Plan& plan, const std::string& timeout);
Step ambient_ztunnel(const Plan& plan, const std::string& timeout);
Step ambient_waypoints(const Plan& plan, const std::string& timeout);
Step remove_old(const Plan& plan);

}  // namespace getmesh::upgrade::helm_steps
