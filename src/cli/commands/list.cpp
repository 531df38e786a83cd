#include "cli/commands/commands.hpp"
#include "cli/structured.hpp"
#include "cli/table.hpp"

#include <getmesh/core/platform.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/download/install.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::cli {

namespace {

using ordered_json = nlohmann::ordered_json;

struct ListOptions {
  std::string flavor;
  std::string version;
  std::string output;
  bool refresh = false;
  bool prerelease = false;
};

bool matches_version(const Version& version, const std::string& filter) {
  if (filter.empty()) return true;
  if (auto full = Version::parse(filter)) return version == *full;
  if (auto minor = MinorVersion::parse(filter)) return MinorVersion::of(version) == *minor;
  return false;
}

// One row of the list: a distribution of the catalogue or an upstream prerelease.
struct Row {
  std::string version;  // X.Y.Z, or the prerelease tag
  std::string name;
  std::string flavor;
  std::int64_t flavor_version = 0;
  std::vector<std::string> k8s_versions;
  std::optional<CivilDate> end_of_life;
  bool end_of_life_estimated = false;
  bool is_security_patch = false;
  std::vector<std::string> release_notes;
  std::string source;
  bool prerelease = false;
  std::vector<std::string> checksum_sources;
  bool active = false;
  bool fetched = false;
};

// What fetch would verify this platform's archive against: the same plan fetch makes.
std::vector<std::string> checksum_sources(const manifest::Manifest& manifest,
                                          const manifest::Distribution& distribution,
                                          const Environment& environment) {
  auto plan = download::plan(manifest, distribution, Platform::host(), environment);
  std::vector<std::string> sources;
  if (!plan) return sources;
  for (const auto& checksum : plan->checksums) sources.push_back(checksum.source);
  if (!plan->checksum_url.empty()) sources.emplace_back("sha256-file");
  return sources;
}

Row prerelease_row(const manifest::UpstreamRelease& release) {
  Row row;
  row.version = release.tag;
  row.name = release.tag + "-istio-v0";
  row.flavor = kFlavorIstio;
  row.is_security_patch = release.is_security_patch;
  if (!release.notes_url.empty()) row.release_notes.push_back(release.notes_url);
  row.source = "upstream";
  row.prerelease = true;
  if (const auto found = release.downloads.find(Platform::host().key());
      found != release.downloads.end()) {
    if (!found->second.digest.empty()) row.checksum_sources.emplace_back("upstream-digest");
    if (!found->second.checksum_url.empty()) row.checksum_sources.emplace_back("sha256-file");
  }
  return row;
}

ordered_json to_json(const Row& row) {
  return {{"name", row.name},
          {"version", row.version},
          {"flavor", row.flavor},
          {"flavor_version", row.flavor_version},
          {"k8s_versions", row.k8s_versions},
          {"end_of_life",
           row.end_of_life ? ordered_json(row.end_of_life->to_string()) : ordered_json()},
          {"end_of_life_estimated", row.end_of_life_estimated},
          {"is_security_patch", row.is_security_patch},
          {"release_notes", row.release_notes},
          {"active", row.active},
          {"fetched", row.fetched},
          {"source", row.source},
          {"prerelease", row.prerelease},
          {"checksum_sources", row.checksum_sources}};
}

Status check_options(Context& context, const ListOptions& options) {
  if (!options.version.empty() && !MinorVersion::parse(options.version, true)) {
    return usage_error("--version " + quote(options.version) + " is not of the form X.Y or X.Y.Z");
  }
  if (!options.flavor.empty() && !is_known_flavor(options.flavor)) {
    return usage_error("unknown flavor " + quote(options.flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  if (options.refresh &&
      (context.options().offline || manifest::offline_requested(context.environment()))) {
    return usage_error("--refresh asks upstream, but --offline or GETMESH_OFFLINE forbids it",
                       "drop one of them");
  }
  return {};
}

Result<int> run_list(Context& context, const ListOptions& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  if (auto checked = check_options(context, options); !checked) return checked.error();
  context.options().refresh_catalog = options.refresh;
  auto catalogue = context.catalogue();
  if (!catalogue) return catalogue.error();
  const auto& manifest = (*catalogue)->manifest;
  auto active = context.active();
  if (!active) return active.error();
  auto home = context.home();
  if (!home) return home.error();
  context.warn_about_fetched(manifest, *active ? std::optional((*active)->name) : std::nullopt);

  std::vector<Row> rows;
  std::vector<const manifest::UpstreamRelease*> prereleases;
  if (options.prerelease && (options.flavor.empty() || options.flavor == kFlavorIstio)) {
    for (const auto& release : (*catalogue)->prereleases) {
      if (matches_version(release.version, options.version)) prereleases.push_back(&release);
    }
  }
  auto next_prerelease = prereleases.begin();
  for (const auto& distribution : manifest.distributions) {
    const auto& name = distribution.name;
    if ((!options.flavor.empty() && name.flavor != options.flavor) ||
        !matches_version(name.version, options.version)) {
      continue;
    }
    // A prerelease of X.Y.Z comes before everything older than X.Y.Z.
    for (; next_prerelease != prereleases.end() && (*next_prerelease)->version > name.version;
         ++next_prerelease) {
      rows.push_back(prerelease_row(**next_prerelease));
    }
    Row row;
    row.version = name.version.to_string();
    row.name = name.to_string();
    row.flavor = name.flavor;
    row.flavor_version = name.flavor_version;
    row.k8s_versions = distribution.k8s_versions;
    row.end_of_life = manifest.end_of_life(name);
    row.end_of_life_estimated = manifest.end_of_life_estimated(name);
    row.is_security_patch = distribution.is_security_patch;
    row.release_notes = distribution.release_notes;
    row.source = std::string(manifest::to_string(distribution.origin));
    row.active = *active && (*active)->name == name;
    if (*format != Format::kTable) {  // not shown in the table
      row.checksum_sources = checksum_sources(manifest, distribution, context.environment());
      row.fetched = store::is_installed(**home, name);
    }
    rows.push_back(std::move(row));
  }
  for (; next_prerelease != prereleases.end(); ++next_prerelease) {
    rows.push_back(prerelease_row(**next_prerelease));
  }

  if (*format != Format::kTable) {
    auto list = ordered_json::array();
    for (const auto& row : rows) list.push_back(to_json(row));
    context.output().out() << render_structured(list, *format);
    return 0;
  }
  if (rows.empty()) {
    context.output().note("no distribution in the catalogue matches the filters");
    return 0;
  }
  const auto today = CivilDate::today_utc();
  // The active row is marked in a column of its own, as kubectl config get-contexts does.
  Table table({"CURRENT", "ISTIO VERSION", "FLAVOR", "FLAVOR VERSION", "K8S VERSIONS",
               "END OF LIFE", "SOURCE"});
  for (const auto& row : rows) {
    std::string end_of_life = row.end_of_life ? row.end_of_life->to_string() : "";
    if (row.end_of_life && row.end_of_life_estimated) end_of_life += " (estimated)";
    const bool ended = row.end_of_life && *row.end_of_life < today;
    table.add_row(
        {row.active ? "*" : "", row.version, row.flavor, std::to_string(row.flavor_version),
         row.k8s_versions.empty() ? "unknown" : join(row.k8s_versions, ","), end_of_life,
         row.prerelease ? row.source + " (prerelease)" : row.source},
        {"", "", "", "", "", ended ? "31" : ""});
  }
  auto& output = context.output();
  output.out() << table.render([&output](std::string_view text, std::string_view code) {
    return output.paint_out(text, code);
  });
  return 0;
}

}  // namespace

Command add_list_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<ListOptions>();
  auto* command = parent.add_subcommand(
      "list", "List the istioctl distributions of the catalogue (manifest and upstream releases)");
  command->add_option("--flavor", options->flavor, "Only this flavor")
      ->type_name("istio|tetrate|tetratefips");
  command->add_option("--version", options->version, "Only this version (X.Y or X.Y.Z)")
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  add_output_option(*command, options->output);
  command->add_flag("--refresh", options->refresh,
                    "Ask upstream for new releases now, whatever the age of the cached catalogue");
  command->add_flag("--prerelease", options->prerelease,
                    "Also list upstream alphas, betas and release candidates not released yet");
  return {command, [&context, options] { return run_list(context, *options); }};
}

}  // namespace getmesh::cli
