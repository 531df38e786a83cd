#include "cli/command_tree.hpp"

#include "cli/cluster.hpp"
#include "cli/help_format.hpp"

#include <getmesh/core/build_info.hpp>

namespace getmesh::cli {

CommandTree build_command_tree(Context& context) {
  CommandTree tree;
  tree.root = std::make_unique<CLI::App>(
      "Fetch, verify and run vetted istioctl versions, and check Istio meshes for upgrades",
      "getmesh");
  auto& app = *tree.root;
  app.formatter(std::make_shared<HelpFormatter>());
  app.set_version_flag("--version", "getmesh " + version_text());
  app.fallthrough();  // global flags may also follow the subcommand
  // One command per run: a later word that names a command is an argument (`help fetch`).
  app.require_subcommand(0, 1);
  auto& options = context.options();
  app.add_option("-c,--kubeconfig", options.kubeconfig,
                 "Kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
      ->type_name("FILE");
  app.add_option("--context", options.context,
                 "Kubeconfig context of the commands that talk to a cluster (default: the "
                 "current one)")
      ->type_name("CONTEXT");
  app.add_option("--manifest", options.manifest,
                 "Manifest to use: URL, file:// URL or path (default: GETMESH_MANIFEST, "
                 "manifest_url in config.json, then the embedded one)")
      ->type_name("FILE_OR_URL");
  app.add_flag("--strict", options.strict,
               "istioctl install: stop at any guard warning when no terminal can confirm "
               "(also GETMESH_STRICT_INSTALL=1)");
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
      add_which_command(app, context),         add_config_command(app, context),
      add_verify_command(app, context),        add_upgrade_command(app, context),
      add_manifest_command(app, context),      add_mirror_command(app, context),
      add_help_command(app, context),
  };
  for (const auto& command : tree.commands) {
    if (command.talks_to_cluster) add_cluster_options(*command.app, options);
  }
  // After the commands: they would inherit it.
  app.footer("Run \"getmesh help COMMAND\" for the flags of a command.");
  return tree;
}

}  // namespace getmesh::cli
