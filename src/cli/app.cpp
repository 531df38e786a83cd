#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/passthrough.hpp"

#include <getmesh/cli/run.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>

#include <cstdio>
#include <exception>
#include <new>

#ifndef GETMESH_VERSION
#define GETMESH_VERSION "dev"
#endif

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

int run_command_line(int argc, char** argv) {
  const auto environment = Environment::from_process();
  auto output = Output::for_process(environment);
  Context context(environment, output);

  if (auto passthrough = parse_passthrough(argc, argv)) {
    context.options().kubeconfig = passthrough->kubeconfig;
    context.options().manifest = passthrough->manifest;
    return report(output, run_passthrough(context, *passthrough));
  }

  CLI::App app(
      "getmesh fetches, verifies and runs vetted istioctl versions, and checks Istio "
      "meshes for upgrades.",
      "getmesh");
  app.set_version_flag("--version", GETMESH_VERSION);
  app.fallthrough();  // global flags may also follow the subcommand
  auto& options = context.options();
  app.add_option("-c,--kubeconfig", options.kubeconfig,
                 "Kubeconfig file (default: KUBECONFIG, then ~/.kube/config)");
  app.add_option("--manifest", options.manifest,
                 "Manifest to use: URL, file:// URL or path (default: GETMESH_MANIFEST, "
                 "manifest_url in config.json, then the embedded one)");
  app.add_flag("-v,--verbose", options.verbose, "Print diagnostics to stderr");

  const std::vector<Command> commands = {
      add_list_command(app, context),          add_fetch_command(app, context),
      add_switch_command(app, context),        add_show_command(app, context),
      add_prune_command(app, context),         add_istioctl_command(app, context),
      add_version_command(app, context),       add_default_hub_command(app, context),
      add_check_upgrade_command(app, context), add_config_validate_command(app, context),
      add_completion_command(app, context),    add_gen_ca_command(app, context),
      add_upgrade_command(app, context),
  };

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
  for (const auto& command : commands) {
    if (command.app->parsed()) return report(output, command.run());
  }
  output.out() << app.help();
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  // Exceptions are bugs or exhausted memory: one error line and exit 1, never an abort. Plain
  // stdio, since memory may be short.
  try {
    return run_command_line(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs(
        "error: getmesh ran out of memory\nhint: the input or a server's answer is too large "
        "for this machine; see the limits in docs/configuration.md\n",
        stderr);
  } catch (const std::exception& unexpected) {
    std::fprintf(stderr,
                 "error: unexpected failure: %s\nhint: this is a bug in getmesh; please report "
                 "it with the command that caused it\n",
                 escape_control(unexpected.what()).c_str());
  } catch (...) {
    std::fputs(
        "error: unexpected failure\nhint: this is a bug in getmesh; please report it with "
        "the command that caused it\n",
        stderr);
  }
  return 1;
}

}  // namespace getmesh::cli
