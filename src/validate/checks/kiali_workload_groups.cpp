// Kiali's WorkloadGroup label check (KIA1702, workloadgroups/duplicate_labels_checker.go) and
// Sidecar outbound-policy check (KIA1007, sidecars/outbound_traffic_policy_mode.go).
#include "validate/checks/checks.hpp"

#include <algorithm>
#include <map>

namespace getmesh::validate {

namespace {

// KIA1702: WorkloadGroups of one namespace whose `metadata.labels` are the same: their
// WorkloadEntries cannot be told apart by selectors.
void check_duplicate_labels(const CheckContext& context) {
  std::map<std::pair<std::string, Labels>, std::vector<const Resource*>> groups;
  for (const auto* group : context.index.of_kind(Kind::kWorkloadGroup)) {
    if (!group->spec().has("metadata")) continue;
    auto labels = group->spec()["metadata"]["labels"].string_map();
    std::sort(labels.begin(), labels.end());
    groups[{group->namespace_, std::move(labels)}].push_back(group);
  }
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    for (const auto* group : members) {
      context.sink.add(*group, "KIA1702",
                       "More than one Workload Group with duplicate labels found in the same "
                       "namespace",
                       group->spec()["metadata"].line());
    }
  }
}

// KIA1007: a Sidecar `outboundTrafficPolicy` without a mode. Istio reads it as REGISTRY_ONLY
// (the enum's zero value), which the author may not have meant.
void check_outbound_policy_mode(const CheckContext& context) {
  for (const auto* sidecar : context.index.of_kind(Kind::kSidecar)) {
    const auto* policy = sidecar->spec().find("outboundTrafficPolicy");
    if (policy == nullptr || !(*policy)["mode"].str().empty()) continue;
    context.sink.add(*sidecar, "KIA1007",
                     "OutboundTrafficPolicy without a mode is ambiguous: Istio applies "
                     "REGISTRY_ONLY; set the mode explicitly",
                     policy->line());
  }
}

}  // namespace

void check_kiali_workload_groups(const CheckContext& context) {
  check_duplicate_labels(context);
  check_outbound_policy_mode(context);
}

}  // namespace getmesh::validate
