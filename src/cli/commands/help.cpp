#include "cli/commands/commands.hpp"
#include "cli/man_page.hpp"

#include <getmesh/core/fs.hpp>

namespace getmesh::cli {

namespace {

struct HelpOptions {
  std::string command;
  bool man = false;
  std::string man_dir;
};

// Writes getmesh.1 and getmesh-COMMAND.1 of every command into `directory` (for packagers).
Result<int> write_man_pages(CLI::App& root, const std::filesystem::path& directory) {
  if (auto made = ensure_directory(directory); !made) return made.error();
  std::vector<CLI::App*> pages = {nullptr};
  for (auto* sub : root.get_subcommands({})) pages.push_back(sub);
  for (auto* page : pages) {
    const auto path = directory / man_page_file_name(page);
    if (auto written = write_file_atomic(path, render_man_page(root, page)); !written) {
      return written.error();
    }
  }
  return 0;
}

Result<int> run_help(Context& context, CLI::App& root, const HelpOptions& options) {
  if (!options.man_dir.empty()) {
    if (!options.command.empty() || options.man) {
      return usage_error("--man-dir writes every page; it takes no command and no --man",
                         "use getmesh help --man-dir DIR, or getmesh help --man COMMAND");
    }
    return write_man_pages(root, options.man_dir);
  }
  CLI::App* command = nullptr;
  if (!options.command.empty()) {
    for (auto* sub : root.get_subcommands({})) {
      if (sub->get_name() == options.command) command = sub;
    }
    if (command == nullptr) {
      return usage_error("no command \"" + options.command + "\"",
                         "see \"getmesh --help\" for the commands");
    }
  }
  if (options.man) {
    context.output().out() << render_man_page(root, command);
  } else {
    // root.help() would describe the command that was parsed: help itself.
    context.output().out() << (command == nullptr
                                   ? root.get_formatter()->make_help(&root, root.get_name(),
                                                                     CLI::AppFormatMode::Normal)
                                   : command->help());
  }
  return 0;
}

}  // namespace

Command add_help_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<HelpOptions>();
  auto* command = parent.add_subcommand("help", "Show the help or the manual page of a command");
  command->add_option("command", options->command, "The command (default: getmesh itself)");
  command->add_flag("--man", options->man, "Print the manual page (roff) instead of the help");
  command->add_option("--man-dir", options->man_dir,
                      "Write the manual page of getmesh and of every command into this directory");
  return {command, [&context, &parent, options] { return run_help(context, parent, *options); }};
}

}  // namespace getmesh::cli
