#pragma once

#include <getmesh/mesh/state.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace getmesh::upgrade {

// Whether `proxy` belongs to `release`: its revision, and its version when the image tells it.
bool runs(const mesh::Proxy& proxy, const Release& release);

// The proxies of `pods` (terminating pods skipped) that have yet to move from revision `from` to
// `release`: still on `from`, or on `release`'s revision with another version; as
// "namespace/pod (revision r, version)". Proxies of any other revision are not the move's business.
std::vector<std::string> not_moved(const std::vector<nlohmann::json>& pods, const std::string& from,
                                   const Release& release);

// The proxies of `pods` that still use `revision`, as "namespace/pod".
std::vector<std::string> using_revision(const std::vector<nlohmann::json>& pods,
                                        const std::string& revision);

// Why an istiod Deployment is not ready yet ("1 of 2 replicas ready"); nullopt when every
// replica is ready and updated.
std::optional<std::string> not_ready(const nlohmann::json& deployment);

// Why a DaemonSet has not finished its rollout on every node, as `kubectl rollout status` judges
// it: its new specification observed (status.observedGeneration), then updatedNumberScheduled and
// numberAvailable up to desiredNumberScheduled; nullopt once it has.
std::optional<std::string> daemon_set_pending(const nlohmann::json& daemon_set);

}  // namespace getmesh::upgrade
