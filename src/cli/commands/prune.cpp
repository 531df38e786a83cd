#include "cli/commands/commands.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/download/leftovers.hpp>
#include <getmesh/manifest/resolve.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/lock.hpp>

namespace getmesh::cli {

namespace {

struct PruneOptions {
  std::string name;
  std::string version;
  std::string flavor;
  std::int64_t flavor_version = -1;
  bool dry_run = false;
  bool yes = false;
};

// The one distribution named by --name, or by all of --version/--flavor/--flavor-version; nullopt
// when none of them is given (prune everything but the active one).
Result<std::optional<DistributionName>> target_of(const PruneOptions& options) {
  if (!options.name.empty()) {
    auto name = manifest::parse_name_flag(options.name);
    if (!name) return name.error();
    return std::optional<DistributionName>(*name);
  }
  const int given = (options.version.empty() ? 0 : 1) + (options.flavor.empty() ? 0 : 1) +
                    (options.flavor_version < 0 ? 0 : 1);
  if (given == 0) return std::optional<DistributionName>();
  if (given != 3) {
    return usage_error("--version, --flavor and --flavor-version must be given together",
                       "or name the distribution with --name, or give none to prune every "
                       "distribution but the active one");
  }
  auto version = Version::parse(options.version);
  if (!version) return usage_error("--version: " + version.error().message);
  if (!is_valid_flavor(options.flavor)) {
    return usage_error("--flavor " + quote(options.flavor) + " is not a flavor name",
                       "use --flavor istio, tetrate or tetratefips");
  }
  return std::optional<DistributionName>(
      DistributionName{*version, options.flavor, options.flavor_version});
}

Result<int> run_prune(Context& context, const PruneOptions& options) {
  auto target = target_of(options);
  if (!target) return target.error();
  auto home = context.home();
  if (!home) return home.error();
  auto active = context.active();
  if (!active) return active.error();
  auto config = context.config();
  if (!config) return config.error();
  auto& output = context.output();

  // Keep what config.json and a pin in this directory point at.
  const auto is_kept = [&](const DistributionName& name) {
    return (config->active && config->active->name == name) || (*active && (*active)->name == name);
  };
  std::vector<DistributionName> doomed;
  if (*target) {
    if (is_kept(**target)) {
      output.warn("skipping " + (*target)->to_string() + ": it is the active istioctl");
      return 0;
    }
    if (!store::is_installed(**home, **target)) {
      return runtime_error(
          (*target)->to_string() + " is not fetched, so there is nothing to remove",
          "see the fetched versions with \"getmesh show\"");
    }
    doomed.push_back(**target);
  } else {
    auto installed = store::installed_names(**home);
    if (!installed) return installed.error();
    // Oldest first, like show.
    for (auto name = installed->rbegin(); name != installed->rend(); ++name) {
      if (!is_kept(*name)) doomed.push_back(*name);
    }
  }
  // Leftovers of killed fetches go with a prune of everything but the active.
  std::vector<download::Leftover> leftovers;
  if (!*target) {
    for (auto& leftover : download::find_leftovers(**home)) {
      if (!leftover.name || !is_kept(*leftover.name)) leftovers.push_back(std::move(leftover));
    }
  }
  if (doomed.empty() && leftovers.empty()) {
    output.out() << "Nothing to prune\n";
    return 0;
  }
  std::vector<std::string> names;
  for (const auto& name : doomed) names.push_back(name.to_string());
  const auto describe = [&](const download::Leftover& leftover) {
    return leftover.path.lexically_relative((*home)->root()).string() + " (" + leftover.kind + ")";
  };
  if (options.dry_run) {
    std::uint64_t bytes = 0;
    for (const auto& name : doomed) {
      output.out() << "would remove " << name.to_string() << "\n";
      bytes += disk_usage((*home)->distribution_dir(name));
    }
    for (const auto& leftover : leftovers) {
      output.out() << "would remove " << describe(leftover) << "\n";
      bytes += leftover.bytes;
    }
    output.out() << "would free " << describe_bytes(bytes) << "\n";
    return 0;
  }
  if (!names.empty() && !*target && !options.yes && output.interactive() &&
      !output.confirm("Remove " + join(names, ", ") + "?")) {
    return Error{ErrorKind::kCancelled, "prune cancelled; nothing was removed", ""};
  }
  auto lock = store::FileLock::acquire((*home)->store_lock());
  if (!lock) return lock.error();
  std::uint64_t freed = 0;
  for (const auto& name : doomed) {
    const auto bytes = disk_usage((*home)->distribution_dir(name));
    if (auto removed = store::remove_installed(**home, name); !removed) return removed.error();
    output.out() << "removed " << name.to_string() << "\n";
    freed += bytes;
  }
  for (const auto& leftover : leftovers) {
    auto removed = download::remove_leftover(**home, leftover);
    if (!removed) return removed.error();
    if (!*removed) {
      output.note("kept " + describe(leftover) + ": a running fetch uses it");
      continue;
    }
    output.out() << "removed " << describe(leftover) << "\n";
    freed += leftover.bytes;
  }
  output.out() << "freed " << describe_bytes(freed) << "\n";
  return 0;
}

}  // namespace

Command add_prune_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<PruneOptions>();
  auto* command = parent.add_subcommand(
      "prune", "Remove fetched istioctl versions: one given version, or all but the active one");
  command->add_option("--name", options->name, "Distribution name, e.g. 1.28.10-istio-v0")
      ->type_name("FETCHED_NAME");
  command->add_option("--version", options->version, "Istio version X.Y.Z")
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  command->add_option("--flavor", options->flavor, "Flavor")
      ->type_name("istio|tetrate|tetratefips");
  add_flavor_version_option(*command, options->flavor_version, "Flavor version");
  command->add_flag("--dry-run", options->dry_run, "Only print what would be removed");
  command->add_flag("-y,--yes", options->yes, "Do not ask for confirmation on a terminal");
  return {command, [&context, options] { return run_prune(context, *options); }};
}

}  // namespace getmesh::cli
