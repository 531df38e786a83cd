#include "upgrade/node_drain.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/kube/object.hpp>

namespace getmesh::upgrade::node_drain {

namespace {

using kube::text_at;
using nlohmann::json;

constexpr long kTooManyRequests = 429;
constexpr long kNotFound = 404;

std::string node_path(const std::string& node) {
  return kube::resource_path("", "nodes", {}, node);
}

std::string pod_id(const json& pod) {
  return text_at(pod, {"metadata", "namespace"}) + "/" + text_at(pod, {"metadata", "name"});
}

// The kind of the pod's controller ("DaemonSet", "ReplicaSet" …); empty when it has none.
std::string controller_kind(const json& pod) {
  if (!pod.contains("metadata") || !pod["metadata"].contains("ownerReferences") ||
      !pod["metadata"]["ownerReferences"].is_array()) {
    return {};
  }
  for (const auto& owner : pod["metadata"]["ownerReferences"]) {
    if (owner.is_object() && owner.value("controller", false)) return owner.value("kind", "");
  }
  return {};
}

}  // namespace

Result<bool> cordoned(const kube::Client& client, const std::string& node) {
  auto object = client.get(node_path(node));
  if (!object) return object.error();
  const auto& spec = (*object).contains("spec") ? (*object)["spec"] : json::object();
  return spec.is_object() && spec.value("unschedulable", false);
}

Status set_cordoned(const kube::Client& client, const std::string& node, bool cordon) {
  const json patch{{"spec", {{"unschedulable", cordon ? json(true) : json(nullptr)}}}};
  auto patched = client.patch(node_path(node), patch, kube::PatchType::kMerge);
  if (!patched) return patched.error();
  return {};
}

Result<std::string> daemon_set_selector(const json& daemon_set) {
  const auto name = "DaemonSet " + text_at(daemon_set, {"metadata", "namespace"}) + "/" +
                    text_at(daemon_set, {"metadata", "name"});
  const auto refused = [&](const std::string& why) {
    return runtime_error(name + why +
                             ", so --ztunnel-drain cannot tell its pods from the others "
                             "on a node",
                         "upgrade without --ztunnel-drain (ztunnel then rolls out by itself)");
  };
  const auto selector = daemon_set.value("spec", json::object()).value("selector", json::object());
  const auto expressions = selector.find("matchExpressions");
  if (expressions != selector.end() && !expressions->is_null() &&
      !(expressions->is_array() && expressions->empty())) {
    return refused(" selects its pods with matchExpressions");
  }
  std::vector<std::string> terms;
  for (const auto& [key, value] : kube::strings_at(daemon_set, {"spec", "selector", "matchLabels"}))
    terms.push_back(key + "=" + value);
  if (terms.empty()) return refused(" has no spec.selector.matchLabels");
  return join(terms, ",");
}

Result<std::vector<json>> pods_to_evict(const kube::Client& client, const std::string& node) {
  kube::ListOptions options;
  options.field_selector = "spec.nodeName=" + node;
  auto pods = client.list(kube::resource_path("", "pods"), options);
  if (!pods) return pods.error();
  std::vector<json> evicted;
  std::vector<std::string> unmanaged;
  for (auto& pod : *pods) {
    const auto phase = text_at(pod, {"status", "phase"});
    if (phase == "Succeeded" || phase == "Failed") continue;
    if (!text_at(pod, {"metadata", "annotations", "kubernetes.io/config.mirror"}).empty()) continue;
    const auto kind = controller_kind(pod);
    if (kind == "DaemonSet") continue;
    if (kind.empty()) {
      unmanaged.push_back(pod_id(pod));
      continue;
    }
    evicted.push_back(std::move(pod));
  }
  if (!unmanaged.empty()) {
    return runtime_error("cannot drain node " + node + ": " + join(unmanaged, ", ") +
                             (unmanaged.size() == 1 ? " is" : " are") +
                             " managed by no controller, so an eviction would delete " +
                             (unmanaged.size() == 1 ? "it" : "them") +
                             " for good (kubectl drain refuses them without --force)",
                         "move or delete them by hand, then run the command again");
  }
  return evicted;
}

Result<std::optional<std::string>> evict(const kube::Client& client, const json& pod) {
  const auto name = text_at(pod, {"metadata", "name"});
  const auto namespace_name = text_at(pod, {"metadata", "namespace"});
  const json eviction{{"apiVersion", "policy/v1"},
                      {"kind", "Eviction"},
                      {"metadata", {{"name", name}, {"namespace", namespace_name}}}};
  auto created =
      client.create(kube::resource_path("", "pods", namespace_name, name) + "/eviction", eviction);
  if (created) return std::optional<std::string>();
  if (created.error().http_status == kNotFound) return std::optional<std::string>();
  if (created.error().http_status == kTooManyRequests) {
    return std::optional<std::string>(pod_id(pod) + ": " + created.error().message);
  }
  return created.error().with_context("evicting pod " + pod_id(pod));
}

Result<bool> gone(const kube::Client& client, const json& pod) {
  auto current = client.get_if_exists(kube::resource_path(
      "", "pods", text_at(pod, {"metadata", "namespace"}), text_at(pod, {"metadata", "name"})));
  if (!current) return current.error();
  return !*current || text_at(**current, {"metadata", "uid"}) != text_at(pod, {"metadata", "uid"});
}

}  // namespace getmesh::upgrade::node_drain
