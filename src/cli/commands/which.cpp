#include "cli/commands/commands.hpp"
#include "cli/passthrough.hpp"

namespace getmesh::cli {

namespace {

Result<int> run_which(Context& context) {
  auto active = context.active();
  if (!active) return active.error();
  if (!*active) return context.nothing_active();
  auto path = fetched_istioctl(context, (*active)->name, (*active)->origin, (*active)->pinned);
  if (!path) return path.error();
  context.output().out() << *path << "\n";
  auto config = context.config();
  if (config && config->auto_select && !(*active)->pinned) {
    context.output().note(
        "auto_select is on: \"getmesh istioctl\" runs the fetched istioctl matching the "
        "cluster's control plane when this one does not");
  }
  return 0;
}

}  // namespace

Command add_which_command(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand(
      "which",
      "Print the path of the istioctl \"getmesh istioctl\" runs here (a .getmesh-version pin, "
      "else the active one)");
  return {command, [&context] { return run_which(context); }};
}

}  // namespace getmesh::cli
