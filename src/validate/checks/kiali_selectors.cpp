#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

const Node& selector_node(const Resource& resource) {
  return resource.kind == Kind::kSidecar ? resource.spec()["workloadSelector"]["labels"]
                                         : resource.spec()["selector"]["matchLabels"];
}

// KIA0002, KIA0003 (one kind) and KIA0004.
void check_kind(const CheckContext& context, Kind kind, bool exclusive) {
  std::unordered_map<std::string, std::vector<const Resource*>> selectorless;
  std::unordered_map<const Workload*, std::vector<const Resource*>> selecting;
  for (const auto* resource : context.index.of_kind(kind)) {
    const auto& selector = selector_node(*resource);
    if (selector.empty()) {
      selectorless[resource->namespace_].push_back(resource);
      continue;
    }
    if (!context.index.knows_workloads()) continue;
    const auto workloads = context.index.select(resource->namespace_, selector.string_map());
    if (workloads.empty()) {
      context.sink.add(*resource, "KIA0004",
                       "No matching workload found for the selector in this namespace",
                       selector.line());
    }
    for (const auto* workload : workloads) selecting[workload].push_back(resource);
  }
  if (!exclusive) return;
  for (const auto& [ns, resources] : selectorless) {
    if (resources.size() < 2) continue;
    for (const auto* resource : resources) {
      context.sink.add(*resource, "KIA0002",
                       "More than one selector-less object in the same namespace");
    }
  }
  std::set<const Resource*> reported;
  for (const auto& [workload, resources] : selecting) {
    if (resources.size() < 2) continue;
    for (const auto* resource : resources) {
      if (reported.insert(resource).second) {
        context.sink.add(*resource, "KIA0003", "More than one object applied to the same workload");
      }
    }
  }
}

// KIA0005: exportTo naming a namespace that does not exist.
void check_export_to(const CheckContext& context) {
  if (!context.index.knows(Kind::kNamespace)) return;
  for (const auto kind : {Kind::kVirtualService, Kind::kDestinationRule, Kind::kServiceEntry}) {
    for (const auto* resource : context.index.of_kind(kind)) {
      resource->spec()["exportTo"].for_each_item([&](const Node& entry) {
        const auto& ns = entry.str();
        if (ns == "." || ns == "*" || ns == "~" || context.index.namespace_exists(ns)) return;
        context.sink.add(*resource, "KIA0005",
                         "Namespace not found for this exportTo: " + quote(ns), entry.line());
      });
    }
  }
}

}  // namespace

void check_kiali_selectors(const CheckContext& context) {
  check_kind(context, Kind::kPeerAuthentication, true);
  // Istio merges the RequestAuthentications that apply to a workload, so several of them (with or
  // without selectors) are fine, as Kiali's common/multi_match_selector_checker.go says.
  check_kind(context, Kind::kRequestAuthentication, false);
  check_kind(context, Kind::kSidecar, true);
  check_kind(context, Kind::kAuthorizationPolicy, false);
  check_export_to(context);
}

}  // namespace getmesh::validate
