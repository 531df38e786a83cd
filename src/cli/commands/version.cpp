#include "cli/commands/commands.hpp"
#include "cli/structured.hpp"

#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

#ifndef GETMESH_VERSION
#define GETMESH_VERSION "dev"
#endif

namespace getmesh::cli {

namespace {

Result<int> run_version(Context& context, const std::string& output) {
  auto format = parse_format(output);
  if (!format) return format.error();
  auto active = context.active();
  if (!active) return active.error();
  auto home = context.home();
  if (!home) return home.error();
  const bool fetched = *active && store::is_installed(**home, (*active)->name);

  if (*format != Format::kTable) {
    nlohmann::ordered_json document = {{"getmesh_version", GETMESH_VERSION}};
    document["active_istioctl"] =
        *active ? nlohmann::ordered_json((*active)->name.to_string()) : nlohmann::ordered_json();
    document["active_istioctl_origin"] =
        *active ? nlohmann::ordered_json((*active)->origin) : nlohmann::ordered_json();
    document["active_istioctl_fetched"] = fetched;
    context.output().out() << render_structured(document, *format);
    return 0;
  }
  auto& out = context.output().out();
  out << "getmesh version: " << GETMESH_VERSION << "\n";
  if (!*active) {
    out << "active istioctl: none\n";
    context.output().note("fetch an istioctl with \"getmesh fetch\"");
    return 0;
  }
  out << "active istioctl: " << (*active)->name.to_string() << "\n";
  if ((*active)->pinned) context.output().note("pinned by " + (*active)->origin);
  if (!fetched) {
    context.output().warn((*active)->name.to_string() +
                          " is not fetched; run \"getmesh fetch --name " +
                          (*active)->name.to_string() + "\"");
  }
  return 0;
}

}  // namespace

Command add_version_command(CLI::App& parent, Context& context) {
  auto output = std::make_shared<std::string>();
  auto* command =
      parent.add_subcommand("version", "Show the versions of getmesh and the active istioctl");
  command->add_option("-o,--output", *output, "Output format: table, json or yaml");
  return {command, [&context, output] { return run_version(context, *output); }};
}

}  // namespace getmesh::cli
