#include "cli/commands/commands.hpp"
#include "cli/help_format.hpp"
#include "cli/man_page.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>

namespace getmesh::cli {

namespace {

// What `getmesh help` was asked: the command's words, and whether its manual page is wanted or
// every page written into a directory.
struct HelpRequest {
  std::vector<std::string> command;  // e.g. {"manifest", "export"}
  bool man = false;
  std::string man_dir;
};

const CLI::App* child_named(const CLI::App& parent, const std::string& name) {
  for (const auto* sub : parent.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

// The commands listed under `parent` (hidden ones have no group): what a mistyped word may mean.
std::vector<std::string> listed_children(const CLI::App& parent) {
  std::vector<std::string> names;
  for (const auto* sub : parent.get_subcommands({})) {
    if (!sub->get_group().empty()) names.push_back(sub->get_name());
  }
  return names;
}

bool root_option_takes_value(const CLI::App& root, const std::string& word) {
  const auto* option = root.get_option_no_throw(word);
  return option != nullptr && option->get_items_expected_max() > 0;
}

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

// Separates --man and --man-dir DIR from the command's words; any other flag is a usage error.
Result<HelpRequest> read_help_words(const std::vector<std::string>& words) {
  HelpRequest request;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& word = words[i];
    if (word == "--man") {
      request.man = true;
    } else if (word == "--man-dir" || word.starts_with("--man-dir=")) {
      if (word != "--man-dir") {
        request.man_dir = word.substr(std::string_view("--man-dir=").size());
      } else if (i + 1 < words.size()) {
        request.man_dir = words[++i];
      }
      if (request.man_dir.empty()) {
        return usage_error("--man-dir needs a directory", "e.g. getmesh help --man-dir man/");
      }
    } else if (word.starts_with("-")) {
      return usage_error("unknown flag: " + word + " (in \"getmesh help\")",
                         "give command names only, e.g. getmesh help config set, and --man for "
                         "the manual page");
    } else {
      request.command.push_back(word);
    }
  }
  if (!request.man_dir.empty() && (!request.command.empty() || request.man)) {
    return usage_error("--man-dir writes every page; it takes no command and no --man",
                       "use getmesh help --man-dir DIR, or getmesh help --man COMMAND");
  }
  return request;
}

}  // namespace

std::optional<std::vector<std::string>> help_request(const CLI::App& root, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.size() > 1 && word.starts_with("-")) {
      if (word.find('=') == std::string::npos && root_option_takes_value(root, word)) ++i;
      continue;
    }
    if (word != "help") return std::nullopt;
    return std::vector<std::string>(argv + i + 1, argv + argc);
  }
  return std::nullopt;
}

Result<int> run_help(Context& context, const CLI::App& root,
                     const std::vector<std::string>& words) {
  auto request = read_help_words(words);
  if (!request) return request.error();
  if (!request->man_dir.empty()) return write_man_pages(root, request->man_dir);
  const CLI::App* target = &root;
  for (const auto& word : request->command) {
    const auto* child = child_named(*target, word);
    if (child == nullptr) {
      const auto typo = closest_match(word, listed_children(*target));
      return usage_error("unknown command " + quote(word),
                         (typo ? "did you mean " + quote(*typo) + "? " : std::string()) +
                             "see the commands with \"getmesh help\"");
    }
    target = child;
  }
  context.output().out() << (request->man ? render_man_page(*target) : help_text(*target));
  return 0;
}

Command add_help_command(CLI::App& parent, Context& context) {
  auto words = std::make_shared<std::vector<std::string>>();
  auto* command =
      parent.add_subcommand("help", "Show the help or the manual page of getmesh or of a command");
  command->add_option("command", *words, "The command, e.g. fetch or config set")
      ->type_name("COMMAND");
  // Documented here for help and man pages; run_help reads them from the words, before parsing.
  command->add_flag("--man")->description("Print the manual page (roff) instead of the help");
  command->add_option("--man-dir", "Write the manual page of getmesh and of every command into DIR")
      ->type_name("DIR");
  return {command, [&context, &parent, words]() -> Result<int> {
            return run_help(context, parent, *words);
          }};
}

}  // namespace getmesh::cli
