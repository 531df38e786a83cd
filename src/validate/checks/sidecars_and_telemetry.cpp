#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

// The labels a policy of `kind` selects workloads with; nullopt when it has no selector.
std::optional<Labels> selector_of(const Resource& resource) {
  const auto& selector = resource.kind == Kind::kSidecar
                             ? resource.spec()["workloadSelector"]["labels"]
                             : resource.spec()["selector"]["matchLabels"];
  if (selector.empty()) return std::nullopt;
  return selector.string_map();
}

// Several selector-less objects in a namespace (`code`), workloads selected by several
// (`pod_code`) and, with `report_unmatched`, selectors matching no workload of the namespace
// (IST0101).
void check_selection(const CheckContext& context, Kind kind, std::string_view code,
                     std::string_view pod_code, bool report_unmatched) {
  std::unordered_map<std::string, std::vector<const Resource*>> selectorless;
  std::unordered_map<const Workload*, std::vector<const Resource*>> selecting;
  for (const auto* resource : context.index.of_kind(kind)) {
    const auto selector = selector_of(*resource);
    if (!selector) {
      selectorless[resource->namespace_].push_back(resource);
      continue;
    }
    if (!context.index.knows_workloads()) continue;
    const auto workloads = context.index.select(resource->namespace_, *selector);
    for (const auto* workload : workloads) selecting[workload].push_back(resource);
    if (workloads.empty() && report_unmatched) {
      context.sink.add(*resource, "IST0101",
                       "Referenced selector not found: " + quote(selector_text(*selector)));
    }
  }
  const auto kind_text = std::string(kind_name(kind));
  for (const auto& [ns, resources] : selectorless) {
    if (resources.size() < 2) continue;
    std::vector<std::string> names;
    for (const auto* resource : resources) names.push_back(resource->name);
    for (const auto* resource : resources) {
      context.sink.add(*resource, code,
                       "The " + kind_text + "s " + join(names, ", ") + " in namespace " + ns +
                           " have no workload selector; at most one such " + kind_text +
                           " is allowed per namespace");
    }
  }
  std::set<std::pair<const Resource*, std::string>> reported;
  for (const auto& [workload, resources] : selecting) {
    if (resources.size() < 2) continue;
    std::vector<std::string> names;
    for (const auto* resource : resources) names.push_back(resource->name);
    const auto workload_name = std::string(kind_name(workload->resource->kind)) + " " +
                               workload->namespace_ + "/" + workload->resource->name;
    for (const auto* resource : resources) {
      if (!reported.insert({resource, workload_name}).second) continue;
      context.sink.add(*resource, pod_code,
                       "The " + kind_text + "s " + join(names, ", ") + " in namespace " +
                           workload->namespace_ + " select the same workload " + workload_name +
                           ", which makes the outcome undefined");
    }
  }
}

// IST0157: access logging without a provider while the mesh has no default provider.
void check_telemetry_providers(const CheckContext& context) {
  if (!context.mesh().default_access_log_providers.empty()) return;
  for (const auto* telemetry : context.index.of_kind(Kind::kTelemetry)) {
    telemetry->spec()["accessLogging"].for_each_item([&](const Node& logging) {
      if (!logging["providers"].empty() || logging["disabled"].as_bool().value_or(false)) return;
      context.sink.add(
          *telemetry, "IST0157",
          "The Telemetry " + telemetry->name + " in namespace " + telemetry->namespace_ +
              " is invalid: access logging has no provider and the mesh defines no default access "
              "log provider; name a provider in accessLogging[].providers",
          logging.line());
    });
  }
}

}  // namespace

void check_sidecars_and_telemetry(const CheckContext& context) {
  check_selection(context, Kind::kSidecar, "IST0111", "IST0110", false);
  check_selection(context, Kind::kTelemetry, "IST0160", "IST0159", true);
  check_telemetry_providers(context);
}

}  // namespace getmesh::validate
