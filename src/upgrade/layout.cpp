#include <getmesh/kube/object.hpp>
#include <getmesh/upgrade/layout.hpp>

#include <algorithm>
#include <future>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;

using kube::strings_at;
using kube::text_at;

using Items = Result<std::vector<json>>;

std::future<Items> list_async(const kube::Client& client, std::string path) {
  return std::async(std::launch::async,
                    [&client, path = std::move(path)] { return client.list(path); });
}

// The IstioOperator CRD is gone from newer Istio releases: a 404 means there is none.
Items installed_operators(const kube::Client& client, const std::string& istio_namespace) {
  auto items = client.list(
      kube::resource_path("install.istio.io/v1alpha1", "istiooperators", istio_namespace));
  if (!items && items.error().http_status == 404) return std::vector<json>{};
  return items;
}

}  // namespace

std::vector<RevisionTag> tags_from(const std::vector<json>& webhooks) {
  std::vector<RevisionTag> tags;
  const std::string prefix = kTagWebhookPrefix;
  for (const auto& webhook : webhooks) {
    const auto name = text_at(webhook, {"metadata", "name"});
    if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
    auto tag = text_at(webhook, {"metadata", "labels", "istio.io/tag"});
    if (tag.empty()) tag = name.substr(prefix.size());
    tags.push_back({tag, text_at(webhook, {"metadata", "labels", kRevisionLabel})});
  }
  std::sort(tags.begin(), tags.end(),
            [](const RevisionTag& a, const RevisionTag& b) { return a.tag < b.tag; });
  return tags;
}

std::vector<NamespaceInjection> injection_of(const std::vector<json>& namespaces,
                                             const std::vector<RevisionTag>& tags,
                                             const std::string& default_revision) {
  const auto tag_named = [&](const std::string& name) -> const RevisionTag* {
    const auto found = std::find_if(tags.begin(), tags.end(),
                                    [&](const RevisionTag& tag) { return tag.tag == name; });
    return found == tags.end() ? nullptr : &*found;
  };
  std::vector<NamespaceInjection> result;
  for (const auto& object : namespaces) {
    NamespaceInjection entry;
    entry.name = text_at(object, {"metadata", "name"});
    const auto labels = strings_at(object, {"metadata", "labels"});
    const auto label = [&](const char* key) {
      const auto found = labels.find(key);
      return found == labels.end() ? std::string() : found->second;
    };
    entry.ambient = label("istio.io/dataplane-mode") == "ambient";
    std::string asked;  // the tag or revision asked for
    if (label(kInjectionLabel) == "enabled") {
      entry.label = kInjectionLabel;
      entry.value = "enabled";
      asked = kDefaultTag;
    } else if (!label(kRevisionLabel).empty() && label(kInjectionLabel) != "disabled") {
      entry.label = kRevisionLabel;
      entry.value = label(kRevisionLabel);
      asked = entry.value;
    }
    if (!asked.empty()) {
      if (const auto* tag = tag_named(asked)) {
        entry.tag = tag->tag;
        entry.revision = tag->revision;
      } else {
        entry.revision =
            asked == kDefaultTag && entry.label == kInjectionLabel ? default_revision : asked;
      }
    }
    result.push_back(std::move(entry));
  }
  std::sort(
      result.begin(), result.end(),
      [](const NamespaceInjection& a, const NamespaceInjection& b) { return a.name < b.name; });
  return result;
}

std::vector<Workload> workloads_from(const std::vector<json>& objects, const std::string& kind) {
  std::vector<Workload> workloads;
  for (const auto& object : objects) {
    Workload workload;
    workload.kind = kind;
    workload.namespace_name = text_at(object, {"metadata", "namespace"});
    workload.name = text_at(object, {"metadata", "name"});
    workload.selector = strings_at(object, {"spec", "selector", "matchLabels"});
    workload.restarted_at = text_at(object, {"spec", "template", "metadata", "annotations",
                                             "kubectl.kubernetes.io/restartedAt"});
    workloads.push_back(std::move(workload));
  }
  return workloads;
}

bool selects(const Workload& workload, const json& pod) {
  if (workload.selector.empty() ||
      text_at(pod, {"metadata", "namespace"}) != workload.namespace_name)
    return false;
  const auto labels = strings_at(pod, {"metadata", "labels"});
  return std::all_of(workload.selector.begin(), workload.selector.end(), [&](const auto& entry) {
    const auto found = labels.find(entry.first);
    return found != labels.end() && found->second == entry.second;
  });
}

Result<Layout> read_layout(const kube::Client& client, const std::string& istio_namespace,
                           const std::string& default_revision) {
  // Independent lists go out at once: a slow API server costs one round trip.
  auto namespaces = list_async(client, kube::resource_path("", "namespaces"));
  auto webhooks = list_async(client, kube::resource_path("admissionregistration.k8s.io/v1",
                                                         "mutatingwebhookconfigurations"));
  auto deployments = list_async(client, kube::resource_path("apps/v1", "deployments"));
  auto statefulsets = list_async(client, kube::resource_path("apps/v1", "statefulsets"));
  auto daemonsets = list_async(client, kube::resource_path("apps/v1", "daemonsets"));
  auto operators = std::async(std::launch::async, [&client, &istio_namespace] {
    return installed_operators(client, istio_namespace);
  });
  auto pods = client.list(kube::resource_path("", "pods"));
  Layout layout;
  std::vector<Items> lists;
  for (auto* pending :
       {&namespaces, &webhooks, &deployments, &statefulsets, &daemonsets, &operators})
    lists.push_back(pending->get());
  if (!pods) return pods.error();
  for (const auto& list : lists) {
    if (!list) return list.error();
  }
  layout.tags = tags_from(*lists[1]);
  layout.namespaces = injection_of(*lists[0], layout.tags, default_revision);
  for (const auto& [index, kind] :
       {std::pair{std::size_t{2}, "Deployment"}, std::pair{std::size_t{3}, "StatefulSet"},
        std::pair{std::size_t{4}, "DaemonSet"}}) {
    auto found = workloads_from(*lists[index], kind);
    layout.workloads.insert(layout.workloads.end(), found.begin(), found.end());
  }
  for (const auto& deployment : *lists[2]) {
    if (text_at(deployment, {"metadata", "labels", "gateway.istio.io/managed"}) ==
        "istio.io-mesh-controller") {
      layout.waypoints.push_back({text_at(deployment, {"metadata", "namespace"}),
                                  text_at(deployment, {"metadata", "name"}),
                                  text_at(deployment, {"metadata", "labels", kRevisionLabel})});
    }
  }
  for (const auto& object : *lists[5]) {
    InstalledState state;
    state.name = text_at(object, {"metadata", "name"});
    state.revision = text_at(object, {"spec", "revision"});
    if (state.revision.empty()) state.revision = mesh::kDefaultRevision;
    state.spec = object.contains("spec") ? object["spec"] : json::object();
    layout.installed_states.push_back(std::move(state));
  }
  for (const auto& pod : *pods) {
    if (text_at(pod, {"metadata", "labels", "app"}) == "ztunnel") ++layout.ztunnel_pods;
  }
  layout.pods = std::move(*pods);
  return layout;
}

}  // namespace getmesh::upgrade
