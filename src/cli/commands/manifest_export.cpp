#include "cli/commands/commands.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/serialize.hpp>

namespace getmesh::cli {

namespace {

struct ExportOptions {
  std::string file;
  manifest::Selection selection;
};

Result<int> run_export(Context& context, const ExportOptions& options) {
  if (auto checked = check_selection(options.selection); !checked) return checked.error();
  auto catalogue = context.manifest();
  if (!catalogue) return catalogue.error();
  const auto selected = manifest::select(**catalogue, options.selection);
  if (selected.distributions.empty()) {
    return runtime_error("no distribution in the catalogue matches the filters",
                         "see what it holds with \"getmesh list\"");
  }
  auto text = manifest::to_json(selected);
  if (!text) return text.error();
  if (options.file.empty() || options.file == "-") {
    context.output().out() << *text;
    return 0;
  }
  if (auto written = write_file_atomic(options.file, *text); !written) {
    return written.error().with_context("cannot write the manifest to " + options.file);
  }
  context.output().note("wrote " + std::to_string(selected.distributions.size()) +
                        " distributions to " + options.file);
  return 0;
}

}  // namespace

Command add_manifest_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = parent.add_subcommand("manifest", "Work with the catalogue as a manifest file");
  command->require_subcommand(1);
  auto* export_command = command->add_subcommand(
      "export",
      "Write the catalogue (manifest merged with upstream releases) as a manifest, to pin, review "
      "and use with --manifest");
  export_command->add_option("-o,--output", options->file,
                             "File to write (atomically); default: stdout");
  export_command
      ->add_option("--flavor", options->selection.flavor,
                   "Only this flavor: istio, tetrate or tetratefips")
      ->type_name("istio|tetrate|tetratefips");
  export_command
      ->add_option("--version", options->selection.version, "Only this version (X.Y or X.Y.Z)")
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  export_command
      ->add_option("--platform", options->selection.platform,
                   "Only this platform's downloads, e.g. linux-amd64")
      ->type_name(join(
          std::vector<std::string>(manifest::kPlatformKeys.begin(), manifest::kPlatformKeys.end()),
          "|"));
  return {command, [&context, options] { return run_export(context, *options); }};
}

}  // namespace getmesh::cli
