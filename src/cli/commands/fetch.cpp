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
  bool no_switch = false;
  bool quiet = false;
  bool require_fips = false;
};

bool selects_nothing(const manifest::Query& query) {
  return query.name.empty() && query.version.empty() && query.flavor.empty() &&
         query.flavor_version < 0;
}

// What `getmesh fetch` without flags fetches under a pin: what the pin asks for.
manifest::Query query_of(const store::Pin& pin) {
  manifest::Query query;
  if (pin.kind == store::PinKind::kName) {
    query.name = pin.name.to_string();
  } else {
    query.version = pin.text();
    query.flavor = pin.name.flavor;
  }
  return query;
}

Result<int> run_fetch(Context& context, FetchOptions options) {
  if (auto checked = manifest::check_query(options.query); !checked) return checked.error();
  auto& output = context.output();
  std::optional<store::Pin> pin;
  if (selects_nothing(options.query)) {
    auto found = context.pin();
    if (!found) return found.error();
    pin = *found;
  }
  if (pin) {
    options.query = query_of(*pin);
    if (!options.quiet) output.note(pin->file.string() + " pins " + pin->text());
  }
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();
  auto resolution = manifest::resolve_fetch(**manifest, options.query);
  if (!resolution) return resolution.error();
  if (!options.quiet) {
    for (const auto& note : resolution->notes) output.note(note);
  }
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
    if (!options.quiet) output.out() << name.to_string() << " already fetched: download skipped\n";
  } else {
    if (distribution == nullptr) {
      return runtime_error(name.to_string() + " is not in the manifest",
                           "see the available distributions with \"getmesh list\"");
    }
    auto record =
        download_distribution(context, **manifest, *distribution, require_checksum, options.quiet);
    if (!record) return record.error();
    if (!record->verified) {
      output.warn(name.to_string() + " was installed WITHOUT checksum verification");
    }
    if (!options.quiet && !distribution->release_notes.empty()) {
      output.out() << "For more information about " << name.to_string()
                   << ", please refer to the release notes:\n";
      for (const auto& note : distribution->release_notes) output.out() << "- " << note << "\n";
      output.out() << "\n";
    }
  }
  if (pin) {  // the pin selects it here; config.json's choice stays for elsewhere
    if (!options.quiet) {
      output.out() << name.to_string() << " is the istioctl of " << pin->file.parent_path().string()
                   << " (pinned by " << pin->file.filename().string() << ")\n";
    }
    context.warn_about_fetched(**manifest, name);
    return 0;
  }
  if (options.no_switch) {
    if (!options.quiet) {
      output.out() << name.to_string() << " is fetched; the active istioctl is unchanged\n";
    }
    auto active = context.active();
    if (!active) return active.error();
    context.warn_about_fetched(**manifest, *active ? std::optional((*active)->name) : std::nullopt);
    return 0;
  }
  auto activated =
      activate(context, name, distribution, *manifest, options.quiet, options.require_fips);
  if (!activated) return activated.error();
  context.warn_about_fetched(**manifest, name);
  return 0;
}

}  // namespace

Command add_fetch_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<FetchOptions>();
  auto* command = parent.add_subcommand(
      "fetch",
      "Download a vetted istioctl, verify it, and make it the active one (without flags in a "
      "directory with a .getmesh-version pin: what the pin asks for)");
  command
      ->add_option("--name", options->query.name,
                   "Distribution name, e.g. 1.29.8-istio-v0 (overrides the other flags)")
      ->type_name("MANIFEST_NAME");
  command
      ->add_option("--version", options->query.version,
                   "Istio version X.Y.Z, or X.Y for its latest patch")
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  command->add_option("--flavor", options->query.flavor, "Flavor")
      ->type_name("istio|tetrate|tetratefips");
  add_flavor_version_option(*command, options->query.flavor_version,
                            "Flavor version (rebuild number); the newest when not given");
  command->add_flag("--require-checksum", options->require_checksum,
                    "Refuse to install an archive that has no checksum to verify");
  command->add_flag("--no-switch", options->no_switch,
                    "Install only; the active istioctl stays as it is (for parallel CI jobs)");
  command->add_flag("-q,--quiet", options->quiet,
                    "Print only warnings and errors (no progress, notes or release notes)");
  command->add_flag("--require-fips", options->require_fips,
                    "Refuse to activate an istioctl that carries no FIPS 140 module");
  return {command, [&context, options] { return run_fetch(context, *options); }};
}

}  // namespace getmesh::cli
