#pragma once

#include <nlohmann/json.hpp>

// Which pods of a DaemonSet run its current pod template, for --ztunnel-drain.
namespace getmesh::upgrade::daemon_pods {

// Whether `pod` of `daemon_set` runs its current template: its pod-template-generation label names
// the DaemonSet's template generation (apps/v1 keeps it in the annotation
// deprecated.daemonset.template.generation, which counts only the changes of spec.template, where
// metadata.generation also counts others, such as the update strategy), as the DaemonSet
// controller labels the pods it makes from that template; else
// (a pod of an identical earlier template, which the controller knows by its
// controller-revision-hash) it has the template's images and istio.io/rev annotation.
bool runs_current_template(const nlohmann::json& pod, const nlohmann::json& daemon_set);

}  // namespace getmesh::upgrade::daemon_pods
