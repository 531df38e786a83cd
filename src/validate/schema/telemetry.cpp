#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

namespace getmesh::validate::schema {

void check_telemetry(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  check_policy_target(report, spec, "selector");
  if (spec["tracing"].size() > 1)
    report.warning(spec["tracing"], "spec.tracing",
                   "only one tracing configuration is used; multiple are not supported");
  std::size_t index = 0;
  spec["tracing"].for_each_item([&](const Node& tracing) {
    const auto path = item("spec.tracing", index++);
    if (tracing["providers"].size() > 1)
      report.warning(tracing["providers"], path + ".providers",
                     "only one tracing provider is supported");
    check_percent(report, tracing["randomSamplingPercentage"], path + ".randomSamplingPercentage");
    for (const auto& tag : tracing["customTags"].entries()) {
      if (tag.value.empty())
        report.error(tag.value, path + ".customTags." + tag.key,
                     "custom tag must set literal, environment or header");
    }
  });
  for (const char* section : {"tracing", "metrics", "accessLogging"}) {
    std::size_t entry_index = 0;
    spec[section].for_each_item([&](const Node& entry) {
      std::size_t provider = 0;
      entry["providers"].for_each_item([&](const Node& value) {
        if (value["name"].empty())
          report.error(
              value,
              item(item(std::string("spec.") + section, entry_index) + ".providers", provider) +
                  ".name",
              "provider name must not be empty");
        ++provider;
      });
      ++entry_index;
    });
  }
  index = 0;
  spec["metrics"].for_each_item([&](const Node& metrics) {
    const auto path = item("spec.metrics", index++);
    std::size_t override_index = 0;
    metrics["overrides"].for_each_item([&](const Node& override_) {
      const auto override_path = item(path + ".overrides", override_index++);
      for (const auto& tag : override_["tagOverrides"].entries()) {
        const auto tag_path = override_path + ".tagOverrides." + tag.key;
        const auto operation =
            tag.value["operation"].empty() ? std::string("UPSERT") : tag.value["operation"].str();
        if (operation == "UPSERT" && tag.value["value"].empty())
          report.error(tag.value, tag_path, "UPSERT needs a value");
        if (operation == "REMOVE" && tag.value.has("value"))
          report.error(tag.value, tag_path, "REMOVE must not have a value");
      }
    });
  });
}

}  // namespace getmesh::validate::schema
