#include "cli/help_format.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace getmesh::cli {

namespace {

bool defines(const CLI::App& app, const CLI::Option& option) {
  const auto names = option.get_lnames();
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    return app.get_option_no_throw("--" + name) != nullptr;
  });
}

// The commands a global option means something to (by their top-level name); an option not listed
// here, such as -v/--verbose, applies to every command.
struct GlobalOptionScope {
  std::string_view option;
  std::array<std::string_view, 7> commands;
};
// -c/--kubeconfig and --context apply to no command as globals: every command that talks to a
// cluster declares them itself (add_cluster_options), so its help lists them among its own.
constexpr std::array kGlobalOptionScopes = {
    GlobalOptionScope{"kubeconfig", {}},
    GlobalOptionScope{"context", {}},
    GlobalOptionScope{
        "manifest",
        {"list", "fetch", "istioctl", "check-upgrade", "manifest", "mirror", "upgrade"}},
    GlobalOptionScope{"offline",
                      {"list", "fetch", "check-upgrade", "manifest", "mirror", "upgrade"}},
    GlobalOptionScope{"strict", {"istioctl"}},
};

const CLI::App& top_level_command(const CLI::App& app) {
  const auto* command = &app;
  while (command->get_parent() != nullptr && command->get_parent()->get_parent() != nullptr) {
    command = command->get_parent();
  }
  return *command;
}

}  // namespace

bool global_option_applies(const CLI::Option& option, const CLI::App& command) {
  if (command.get_parent() == nullptr) return true;
  const auto& name = top_level_command(command).get_name();
  for (const auto& scope : kGlobalOptionScopes) {
    if (!option.check_lname(std::string(scope.option))) continue;
    return std::find(scope.commands.begin(), scope.commands.end(), name) != scope.commands.end();
  }
  return true;
}

std::string command_path(const CLI::App& app) {
  if (app.get_parent() == nullptr) return app.get_name();
  return command_path(*app.get_parent()) + " " + app.get_name();
}

std::string help_text(const CLI::App& app) {
  // The formatter directly: App::help() would show the help of a parsed subcommand instead.
  return app.get_formatter()->make_help(&app, command_path(app), CLI::AppFormatMode::Normal);
}

const CLI::App& selected_command(const CLI::App& root) {
  const auto* selected = &root;
  for (auto subcommands = selected->get_subcommands(); !subcommands.empty();
       subcommands = selected->get_subcommands()) {
    selected = subcommands.front();
  }
  return *selected;
}

const CLI::App& root_of(const CLI::App& app) {
  const auto* root = &app;
  while (root->get_parent() != nullptr) root = root->get_parent();
  return *root;
}

bool is_global_option(const CLI::Option& option) {
  const auto names = option.get_lnames();
  return option.nonpositional() && std::find(names.begin(), names.end(), "help") == names.end() &&
         std::find(names.begin(), names.end(), "version") == names.end();
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name,
                                     CLI::AppFormatMode mode) const {
  auto text = CLI::Formatter::make_help(app, std::move(name), mode);
  if (app->get_parent() == nullptr || mode == CLI::AppFormatMode::Sub) return text;
  std::vector<const CLI::Option*> globals;
  for (const auto* option : root_of(*app).get_options()) {
    if (is_global_option(*option) && !defines(*app, *option) &&
        global_option_applies(*option, *app)) {
      globals.push_back(option);
    }
  }
  if (globals.empty()) return text;
  // The base ends with a blank line; the global options go before it.
  if (text.ends_with("\n\n")) text.pop_back();
  return text + make_group("Global options", false, globals) + "\n";
}

}  // namespace getmesh::cli
