#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/mesh/state.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::upgrade {

inline constexpr const char* kInjectionLabel = "istio-injection";
inline constexpr const char* kRevisionLabel = "istio.io/rev";
inline constexpr const char* kTagWebhookPrefix = "istio-revision-tag-";
inline constexpr const char* kDefaultTag = "default";

// A revision tag: the `istio-revision-tag-<tag>` MutatingWebhookConfiguration and the revision its
// `istio.io/rev` label points at.
struct RevisionTag {
  std::string tag;
  std::string revision;
};

// How a namespace asks for sidecar injection, and which revision answers.
struct NamespaceInjection {
  std::string name;
  std::string label;     // "istio-injection" or "istio.io/rev"; empty: no injection asked for
  std::string value;     // "enabled", or the revision or tag named
  std::string tag;       // the tag injection goes through; empty: a revision directly
  std::string revision;  // the revision that injects; empty when none
  bool ambient = false;  // istio.io/dataplane-mode=ambient
};

// A Deployment, StatefulSet or DaemonSet and the pods its selector picks.
struct Workload {
  std::string kind;  // "Deployment", "StatefulSet", "DaemonSet"
  std::string namespace_name;
  std::string name;
  std::map<std::string, std::string> selector;  // spec.selector.matchLabels
  std::string restarted_at;  // the kubectl.kubernetes.io/restartedAt pod-template annotation
  [[nodiscard]] std::string id() const { return kind + "/" + name; }
};

// The IstioOperator istioctl left in the Istio namespace (installed-state[-<revision>]).
struct InstalledState {
  std::string name;
  std::string revision;  // spec.revision; "default" when empty
  nlohmann::json spec;
};

// A waypoint: the Deployment Istio's gateway controller made for a waypoint Gateway.
struct WaypointDeployment {
  std::string namespace_name;
  std::string name;
  std::string revision_label;  // its istio.io/rev label (from the Gateway): a tag or revision
  [[nodiscard]] std::string id() const { return namespace_name + "/" + name; }
};

// What decides how a mesh's data plane moves: namespaces, tags, workloads and their proxies, the
// installed-state IstioOperators, and whether ambient mode is in use.
struct Layout {
  std::vector<NamespaceInjection> namespaces;
  std::vector<RevisionTag> tags;
  std::vector<Workload> workloads;
  std::vector<nlohmann::json> pods;
  std::vector<InstalledState> installed_states;
  int ztunnel_pods = 0;
  std::vector<WaypointDeployment> waypoints;
};

// The tags among MutatingWebhookConfigurations (by name prefix, revision from the label).
std::vector<RevisionTag> tags_from(const std::vector<nlohmann::json>& webhooks);

// How each namespace is injected. `istio-injection=enabled` wins over `istio.io/rev` and is served
// by the `default` tag when there is one, else by the revision `default_revision` (the one the
// unrevisioned injector belongs to).
std::vector<NamespaceInjection> injection_of(const std::vector<nlohmann::json>& namespaces,
                                             const std::vector<RevisionTag>& tags,
                                             const std::string& default_revision);

// Deployments, StatefulSets and DaemonSets as workloads.
std::vector<Workload> workloads_from(const std::vector<nlohmann::json>& objects,
                                     const std::string& kind);

// Whether `pod` is one of `workload`'s (same namespace, every selector label matches).
bool selects(const Workload& workload, const nlohmann::json& pod);

// Reads the layout (namespaces, tag webhooks, workloads, pods, IstioOperators). `default_revision`
// is the revision that serves `istio-injection=enabled` when no `default` tag exists.
Result<Layout> read_layout(const kube::Client& client, const std::string& istio_namespace,
                           const std::string& default_revision);

}  // namespace getmesh::upgrade
