#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

// Cordoning and draining a node the way kubectl does, for --ztunnel-drain.
namespace getmesh::upgrade::node_drain {

// Whether the node is cordoned (spec.unschedulable).
Result<bool> cordoned(const kube::Client& client, const std::string& node);
// kubectl cordon / uncordon: a merge patch of spec.unschedulable (true, or removed).
Status set_cordoned(const kube::Client& client, const std::string& node, bool cordon);

// The label selector (`k=v,…`) that lists the pods of `daemon_set`, from its spec.selector; an
// error when matchLabels alone would not select just its pods: a selector with matchExpressions
// (read only in part, it would select others too) or none at all (every pod of the namespace).
Result<std::string> daemon_set_selector(const nlohmann::json& daemon_set);

// The pods `kubectl drain --ignore-daemonsets --delete-emptydir-data` evicts from `node`: all but
// DaemonSet pods, mirror pods and finished ones (emptyDir data goes with its pod). Pods that no
// controller manages are refused, as kubectl drain refuses them without --force (nothing would
// bring them back).
Result<std::vector<nlohmann::json>> pods_to_evict(const kube::Client& client,
                                                  const std::string& node);

// Asks the Eviction API (POST pods/<name>/eviction, policy/v1) to evict `pod`: nullopt when it
// is evicted or already gone, else why it may not go yet (a PodDisruptionBudget: 429).
Result<std::optional<std::string>> evict(const kube::Client& client, const nlohmann::json& pod);

// Whether the pod named like `pod` is gone (or replaced by another of the same name).
Result<bool> gone(const kube::Client& client, const nlohmann::json& pod);

}  // namespace getmesh::upgrade::node_drain
