#include "cli/command_tree.hpp"
#include "cli/context.hpp"
#include "cli/passthrough.hpp"

#include <getmesh/cli/run.hpp>
#include <getmesh/core/build_info.hpp>
#include <getmesh/core/log.hpp>

namespace getmesh::cli {

namespace {

int exit_code_for(const Error& error) { return error.kind == ErrorKind::kUsage ? 2 : 1; }

int report(Output& output, const Result<int>& result) {
  if (result) return *result;
  output.error(result.error());
  return exit_code_for(result.error());
}

// Our own message for CLI11's parse errors: what was wrong and where to look.
Error parse_error_of(const CLI::ParseError& error, const CLI::App& app) {
  const auto* selected = &app;
  for (const auto* sub : app.get_subcommands()) selected = sub;
  const std::string command =
      selected == &app ? std::string("getmesh") : "getmesh " + selected->get_name();
  return usage_error(std::string(error.what()) + " (in \"" + command + "\")",
                     "see \"" + command + " --help\"");
}

}  // namespace

CommandTree build_command_tree(Context& context) {
  CommandTree tree;
  tree.root = std::make_unique<CLI::App>(
      "Fetch, verify and run vetted istioctl versions, and check Istio meshes for upgrades",
      "getmesh");
  auto& app = *tree.root;
  app.set_version_flag("--version", "getmesh " + version_text());
  app.fallthrough();  // global flags may also follow the subcommand
  // One command per run: a later word that names a command is an argument (`help fetch`).
  app.require_subcommand(0, 1);
  auto& options = context.options();
  app.add_option("-c,--kubeconfig", options.kubeconfig,
                 "Kubeconfig file (default: KUBECONFIG, then ~/.kube/config)");
  app.add_option("--manifest", options.manifest,
                 "Manifest to use: URL, file:// URL or path (default: GETMESH_MANIFEST, "
                 "manifest_url in config.json, then the embedded one)");
  app.add_flag("-v,--verbose", options.verbose, "Print diagnostics to stderr");
  app.add_flag("--offline", options.offline,
               "Never ask upstream (GitHub) for the catalogue; use its cache whatever its age "
               "(also GETMESH_OFFLINE=1)");

  tree.commands = {
      add_list_command(app, context),          add_fetch_command(app, context),
      add_switch_command(app, context),        add_show_command(app, context),
      add_prune_command(app, context),         add_istioctl_command(app, context),
      add_version_command(app, context),       add_default_hub_command(app, context),
      add_check_upgrade_command(app, context), add_config_validate_command(app, context),
      add_completion_command(app, context),    add_gen_ca_command(app, context),
      add_manifest_command(app, context),      add_mirror_command(app, context),
      add_help_command(app, context),
  };
  return tree;
}

int run(int argc, char** argv) {
  const auto environment = Environment::from_process();
  auto output = Output::for_process(environment);
  Context context(environment, output);

  if (auto passthrough = parse_passthrough(argc, argv)) {
    context.options().kubeconfig = passthrough->kubeconfig;
    context.options().manifest = passthrough->manifest;
    return report(output, run_passthrough(context, *passthrough));
  }

  auto tree = build_command_tree(context);
  auto& app = *tree.root;
  auto& options = context.options();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    const auto* selected = &app;
    for (const auto* sub : app.get_subcommands()) selected = sub;
    output.out() << selected->help();
    return 0;
  } catch (const CLI::CallForVersion& version) {
    output.out() << version.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& error) {
    output.error(parse_error_of(error, app));
    return 2;
  }
  if (options.verbose) log::enable_verbose();
  for (const auto& command : tree.commands) {
    if (command.app->parsed()) return report(output, command.run());
  }
  output.out() << app.help();
  return 0;
}

}  // namespace getmesh::cli
