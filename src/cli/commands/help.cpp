#include "cli/commands/commands.hpp"
#include "cli/man_page.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::cli {

namespace {

struct HelpOptions {
  std::vector<std::string> command;  // e.g. {"manifest", "export"}
  bool man = false;
  std::string man_dir;
};

// Writes the page of getmesh and of every command into `directory` (for packagers).
Result<int> write_man_pages(const CLI::App& root, const std::filesystem::path& directory) {
  if (auto made = ensure_directory(directory); !made) return made.error();
  for (const auto* command : all_commands(root)) {
    const auto path = directory / man_page_file_name(*command);
    if (auto written = write_file_atomic(path, render_man_page(*command)); !written) {
      return written.error();
    }
  }
  return 0;
}

Result<const CLI::App*> find_command(const CLI::App& root, const std::vector<std::string>& words) {
  const CLI::App* command = &root;
  for (const auto& word : words) {
    const CLI::App* found = nullptr;
    for (const auto* sub : command->get_subcommands({})) {
      if (sub->get_name() == word) found = sub;
    }
    // The words of harden-cli's `getmesh help` (issue 13), which this one merges with.
    if (found == nullptr) {
      return usage_error("unknown command " + quote(word),
                         "see the commands with \"getmesh help\"");
    }
    command = found;
  }
  return command;
}

Result<int> run_help(Context& context, const CLI::App& root, const HelpOptions& options) {
  if (!options.man_dir.empty()) {
    if (!options.command.empty() || options.man) {
      return usage_error("--man-dir writes every page; it takes no command and no --man",
                         "use getmesh help --man-dir DIR, or getmesh help --man COMMAND");
    }
    return write_man_pages(root, options.man_dir);
  }
  auto command = find_command(root, options.command);
  if (!command) return command.error();
  if (options.man) {
    context.output().out() << render_man_page(**command);
  } else if (*command == &root) {
    // root.help() would describe the command that was parsed: help itself.
    context.output().out() << root.get_formatter()->make_help(&root, root.get_name(),
                                                              CLI::AppFormatMode::Normal);
  } else {
    context.output().out() << (*command)->help();
  }
  return 0;
}

}  // namespace

Command add_help_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<HelpOptions>();
  auto* command = parent.add_subcommand("help", "Show the help or the manual page of a command");
  command->add_option("command", options->command,
                      "The command, e.g. fetch or manifest export (default: getmesh itself)");
  command->add_flag("--man", options->man, "Print the manual page (roff) instead of the help");
  command->add_option("--man-dir", options->man_dir,
                      "Write the manual page of getmesh and of every command into this directory");
  return {command, [&context, &parent, options] { return run_help(context, parent, *options); }};
}

}  // namespace getmesh::cli
