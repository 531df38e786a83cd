#include "cli/commands/commands.hpp"
#include "cli/structured.hpp"
#include "cli/table.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::cli {

namespace {

struct ListOptions {
  std::string flavor;
  std::string version;
  std::string output;
};

bool matches_version(const DistributionName& name, const std::string& filter) {
  if (filter.empty()) return true;
  if (auto full = Version::parse(filter)) return name.version == *full;
  if (auto minor = MinorVersion::parse(filter)) return MinorVersion::of(name.version) == *minor;
  return false;
}

Result<int> run_list(Context& context, const ListOptions& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  if (!options.version.empty() && !MinorVersion::parse(options.version, true)) {
    return usage_error("--version " + quote(options.version) + " is not of the form X.Y or X.Y.Z");
  }
  if (!options.flavor.empty() && !is_known_flavor(options.flavor)) {
    return usage_error("unknown flavor " + quote(options.flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();
  auto active = context.active();
  if (!active) return active.error();
  auto home = context.home();
  if (!home) return home.error();

  const auto today = CivilDate::today_utc();
  Table table({"ISTIO VERSION", "FLAVOR", "FLAVOR VERSION", "K8S VERSIONS", "END OF LIFE"});
  auto rows = nlohmann::ordered_json::array();
  for (const auto& distribution : (*manifest)->distributions) {
    const auto& name = distribution.name;
    if ((!options.flavor.empty() && name.flavor != options.flavor) ||
        !matches_version(name, options.version)) {
      continue;
    }
    const bool is_active = *active && (*active)->name == name;
    const auto end_of_life = (*manifest)->end_of_life(name);
    const auto end_of_life_text = end_of_life ? end_of_life->to_string() : "";
    if (*format == Format::kTable) {
      const bool ended = end_of_life && *end_of_life < today;
      table.add_row(
          {(is_active ? "*" : "") + name.version.to_string(), name.flavor,
           std::to_string(name.flavor_version), join(distribution.k8s_versions, ","),
           ended ? context.output().paint_out(end_of_life_text, "31") : end_of_life_text});
      continue;
    }
    rows.push_back({{"name", name.to_string()},
                    {"version", name.version.to_string()},
                    {"flavor", name.flavor},
                    {"flavor_version", name.flavor_version},
                    {"k8s_versions", distribution.k8s_versions},
                    {"end_of_life", end_of_life ? nlohmann::ordered_json(end_of_life_text)
                                                : nlohmann::ordered_json()},
                    {"is_security_patch", distribution.is_security_patch},
                    {"release_notes", distribution.release_notes},
                    {"active", is_active},
                    {"fetched", store::is_installed(**home, name)}});
  }
  if (*format != Format::kTable) {
    context.output().out() << render_structured(rows, *format);
    return 0;
  }
  if (table.empty()) {
    context.output().note("no distribution in the manifest matches the filters");
    return 0;
  }
  context.output().out() << table.render();
  return 0;
}

}  // namespace

Command add_list_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<ListOptions>();
  auto* command = parent.add_subcommand("list", "List the istioctl distributions in the manifest");
  command->add_option("--flavor", options->flavor, "Only this flavor")
      ->type_name("istio|tetrate|tetratefips");
  command->add_option("--version", options->version, "Only this version (X.Y or X.Y.Z)");
  add_output_option(*command, options->output);
  return {command, [&context, options] { return run_list(context, *options); }};
}

}  // namespace getmesh::cli
