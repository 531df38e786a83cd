#include "cli/commands/commands.hpp"

#include <getmesh/store/settings.hpp>

namespace getmesh::cli {

namespace {

struct HubOptions {
  std::string set;
  bool remove = false;
  bool show = false;
};

Result<int> run_default_hub(Context& context, const HubOptions& options) {
  const int chosen =
      (options.set.empty() ? 0 : 1) + (options.remove ? 1 : 0) + (options.show ? 1 : 0);
  if (chosen != 1) {
    return usage_error("give exactly one of --set, --remove and --show",
                       "for example: getmesh default-hub --set docker.io/istio");
  }
  auto& out = context.output().out();
  if (options.show) {
    auto config = context.config();
    if (!config) return config.error();
    if (config->default_hub.empty()) {
      out << "The default hub is not set yet. Istioctl's default value is used for \"getmesh "
             "istioctl install\" command\n";
    } else {
      out << "The current default hub is set to " << config->default_hub << "\n";
    }
    return 0;
  }
  // The same check as "getmesh config set default_hub".
  const auto* setting = store::find_setting("default_hub");
  store::Config changed;
  if (!options.set.empty()) {
    if (auto valid = store::set_setting(changed, *setting, options.set, "--set"); !valid) {
      return valid.error();
    }
  }
  auto updated = context.update_config(
      [&](store::Config& config) { config.default_hub = changed.default_hub; });
  if (!updated) return updated.error();
  if (options.remove) {
    out << "The default hub is removed. Now Istioctl's default value is used for \"getmesh "
           "istioctl install\" command\n";
  } else {
    out << "The default hub is now set to " << options.set << "\n";
  }
  return 0;
}

}  // namespace

Command add_default_hub_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<HubOptions>();
  auto* command = parent.add_subcommand(
      "default-hub", "Set, remove or show the image registry used by \"getmesh istioctl install\"");
  command->add_option("--set", options->set, "Registry to inject as --set hub=<registry>");
  command->add_flag("--remove", options->remove, "Stop injecting a hub");
  command->add_flag("--show", options->show, "Show the current default hub");
  return {command, [&context, options] { return run_default_hub(context, *options); }};
}

}  // namespace getmesh::cli
