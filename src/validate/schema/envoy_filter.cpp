#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate::schema {

void check_envoy_filter(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  report.warning(
      spec, "spec",
      "EnvoyFilter exposes internal implementation details that may change at any time. Prefer "
      "other APIs if possible, and exercise extreme caution, especially around upgrades.");
  check_selector(report, spec["workloadSelector"]["labels"], "spec.workloadSelector.labels");
  std::size_t index = 0;
  spec["configPatches"].for_each_item([&](const Node& patch) {
    const auto path = item("spec.configPatches", index++);
    if (patch["applyTo"].empty()) report.error(patch, path + ".applyTo", "applyTo is required");
    const auto& body = patch["patch"];
    if (!body.is_map() || body["operation"].empty()) {
      report.error(patch, path + ".patch", "a patch with an operation is required");
      return;
    }
    if (body["operation"].str() != "REMOVE" && body["value"].is_null()) {
      report.error(body, path + ".patch.value",
                   "value is required for operation " + body["operation"].str());
    }
    if (const auto& version = patch["match"]["proxy"]["proxyVersion"]; !version.empty()) {
      check_regex(report, version, path + ".match.proxy.proxyVersion");
    }
  });
}

}  // namespace getmesh::validate::schema
