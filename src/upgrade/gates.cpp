#include <getmesh/upgrade/gates.hpp>

#include <algorithm>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;

bool terminating(const json& pod) {
  return pod.contains("metadata") && pod["metadata"].contains("deletionTimestamp") &&
         !pod["metadata"]["deletionTimestamp"].is_null();
}

long number_at(const json& object, const char* section, const char* key, long fallback) {
  if (!object.contains(section) || !object[section].is_object()) return fallback;
  const auto& node = object[section];
  return node.contains(key) && node[key].is_number_integer() ? node[key].get<long>() : fallback;
}

}  // namespace

bool runs(const mesh::Proxy& proxy, const Release& release) {
  if (proxy.revision != release.revision) return false;
  return !proxy.version || (proxy.version->version == release.version.version &&
                            proxy.version->flavor == release.version.flavor);
}

std::vector<std::string> not_moved(const std::vector<json>& pods, const std::string& from,
                                   const Release& release) {
  std::vector<std::string> pending;
  for (const auto& pod : pods) {
    if (terminating(pod)) continue;
    auto proxy = mesh::proxy_of(pod);
    if (!proxy || proxy->kind == "ztunnel" || runs(*proxy, release)) continue;
    if (proxy->revision != from && proxy->revision != release.revision) continue;
    pending.push_back(proxy->namespace_name + "/" + proxy->pod + " (revision " + proxy->revision +
                      ", " + proxy->version_text + ")");
  }
  return pending;
}

std::vector<std::string> using_revision(const std::vector<json>& pods,
                                        const std::string& revision) {
  std::vector<std::string> found;
  for (const auto& pod : pods) {
    auto proxy = mesh::proxy_of(pod);
    if (proxy && proxy->kind != "ztunnel" && proxy->revision == revision)
      found.push_back(proxy->namespace_name + "/" + proxy->pod);
  }
  return found;
}

std::optional<std::string> not_ready(const json& deployment) {
  const long wanted = number_at(deployment, "spec", "replicas", 1);
  const long ready = number_at(deployment, "status", "readyReplicas", 0);
  const long updated = number_at(deployment, "status", "updatedReplicas", ready);
  const long generation =
      deployment.contains("metadata") ? number_at(deployment, "metadata", "generation", 0) : 0;
  const long observed = number_at(deployment, "status", "observedGeneration", generation);
  if (observed < generation) return "its new specification is not rolled out yet";
  if (ready < wanted || updated < wanted) {
    return std::to_string(std::min(ready, updated)) + " of " + std::to_string(wanted) +
           " replicas ready";
  }
  return std::nullopt;
}

std::optional<std::string> daemon_set_pending(const json& daemon_set) {
  const long generation =
      daemon_set.contains("metadata") ? number_at(daemon_set, "metadata", "generation", 0) : 0;
  const long observed = number_at(daemon_set, "status", "observedGeneration", 0);
  if (observed < generation) return "its new specification is not observed yet";
  const long desired = number_at(daemon_set, "status", "desiredNumberScheduled", 0);
  const long updated = number_at(daemon_set, "status", "updatedNumberScheduled", 0);
  const long available = number_at(daemon_set, "status", "numberAvailable", 0);
  if (updated < desired) {
    return std::to_string(updated) + " of " + std::to_string(desired) +
           " new pods have been updated";
  }
  if (available < desired) {
    return std::to_string(available) + " of " + std::to_string(desired) +
           " updated pods are available";
  }
  return std::nullopt;
}

}  // namespace getmesh::upgrade
