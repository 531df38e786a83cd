#include "cli/commands/activate.hpp"
#include "cli/commands/commands.hpp"

#include <getmesh/manifest/resolve.hpp>
#include <getmesh/store/installed.hpp>

namespace getmesh::cli {

namespace {

struct SwitchOptions {
  manifest::Query query;
  bool require_checksum = false;
  bool require_fips = false;
};

Result<int> run_switch(Context& context, const SwitchOptions& options) {
  const auto& query = options.query;
  auto home = context.home();
  if (!home) return home.error();
  auto config = context.config();
  if (!config) return config.error();
  auto installed = store::list_installed(**home);
  if (!installed) return installed.error();
  std::vector<DistributionName> names;
  for (const auto& distribution : *installed) names.push_back(distribution.name);

  std::optional<DistributionName> active;
  if (config->active && store::is_installed(**home, config->active->name)) {
    active = config->active->name;
  } else if (config->active && query.name.empty() &&
             (query.version.empty() || query.flavor.empty())) {
    const auto name = config->active->name.to_string();
    return usage_error("cannot tell which distribution to switch to: the active istioctl " + name +
                           " is not fetched, so the missing flags cannot come from it",
                       "give --name, or --version and --flavor, or fetch it with \"getmesh fetch "
                       "--name " +
                           name + "\"");
  }
  auto resolution = manifest::resolve_switch(query, active, names);
  if (!resolution) return resolution.error();
  for (const auto& note : resolution->notes) context.output().note(note);
  const auto& name = resolution->name;
  if (!store::is_installed(**home, name)) {
    return runtime_error(name.to_string() + " is not fetched",
                         "fetch it first with \"getmesh fetch --name " + name.to_string() + "\"");
  }
  if (options.require_checksum || config->require_checksum) {
    if (auto verified = store::check_verified(**home, name); !verified) return verified.error();
  }
  auto activated = activate(context, name, nullptr, nullptr, false, options.require_fips);
  if (!activated) return activated.error();
  return 0;
}

}  // namespace

Command add_switch_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<SwitchOptions>();
  auto& query = options->query;
  auto* command = parent.add_subcommand(
      "switch", "Make another fetched istioctl the active one (missing flags keep the active's)");
  command->add_option("--name", query.name, "Distribution name, e.g. 1.29.8-istio-v0")
      ->type_name("FETCHED_NAME");
  command
      ->add_option("--version", query.version,
                   "Istio version X.Y.Z, or X.Y for the newest fetched patch")
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  command->add_option("--flavor", query.flavor, "Flavor")->type_name("istio|tetrate|tetratefips");
  add_flavor_version_option(*command, query.flavor_version, "Flavor version (rebuild number)");
  command->add_flag("--require-checksum", options->require_checksum,
                    "Refuse a version that was installed without checksum verification");
  command->add_flag("--require-fips", options->require_fips,
                    "Refuse an istioctl that carries no FIPS 140 module");
  return {command, [&context, options] { return run_switch(context, *options); }};
}

}  // namespace getmesh::cli
