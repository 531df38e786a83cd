#include "cli/commands/activate.hpp"
#include "cli/commands/commands.hpp"
#include "cli/fetch_distribution.hpp"

#include <getmesh/manifest/resolve.hpp>
#include <getmesh/store/installed.hpp>

namespace getmesh::cli {

namespace {

struct FetchOptions {
  manifest::Query query;
  bool require_checksum = false;
};

Result<int> run_fetch(Context& context, const FetchOptions& options) {
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();
  auto resolution = manifest::resolve_fetch(**manifest, options.query);
  if (!resolution) return resolution.error();
  auto& output = context.output();
  for (const auto& note : resolution->notes) output.note(note);
  const auto& name = resolution->name;

  auto home = context.home();
  if (!home) return home.error();
  const auto* distribution = (*manifest)->find(name);
  auto config = context.config();
  if (!config) return config.error();
  const bool require_checksum = options.require_checksum || config->require_checksum;
  if (store::is_installed(**home, name)) {
    if (require_checksum) {
      auto verified = check_installed(context, **manifest, distribution, name);
      if (!verified) return verified.error();
    }
    output.out() << name.to_string() << " already fetched: download skipped\n";
  } else {
    if (distribution == nullptr) {
      return runtime_error(name.to_string() + " is not in the manifest",
                           "see the available distributions with \"getmesh list\"");
    }
    auto record = download_distribution(context, **manifest, *distribution, require_checksum);
    if (!record) return record.error();
    if (!record->verified) {
      output.warn(name.to_string() + " was installed WITHOUT checksum verification");
    }
    if (distribution != nullptr && !distribution->release_notes.empty()) {
      output.out() << "For more information about " << name.to_string()
                   << ", please refer to the release notes:\n";
      for (const auto& note : distribution->release_notes) output.out() << "- " << note << "\n";
      output.out() << "\n";
    }
  }
  auto activated = activate(context, name, distribution, *manifest);
  if (!activated) return activated.error();
  return 0;
}

}  // namespace

Command add_fetch_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<FetchOptions>();
  auto* command = parent.add_subcommand(
      "fetch", "Download a vetted istioctl, verify it, and make it the active one");
  command->add_option("--name", options->query.name,
                      "Distribution name, e.g. 1.29.8-istio-v0 (overrides the other flags)");
  command->add_option("--version", options->query.version,
                      "Istio version X.Y.Z, or X.Y for its latest patch");
  command->add_option("--flavor", options->query.flavor, "istio, tetrate or tetratefips");
  add_flavor_version_option(*command, options->query.flavor_version,
                            "Flavor version (rebuild number); the newest when not given");
  command->add_flag("--require-checksum", options->require_checksum,
                    "Refuse to install an archive that has no checksum to verify");
  return {command, [&context, options] { return run_fetch(context, *options); }};
}

}  // namespace getmesh::cli
