#include "cli/commands/commands.hpp"
#include "cli/help_format.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::cli {

namespace {

const CLI::App* child_named(const CLI::App& parent, const std::string& name) {
  for (const auto* sub : parent.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

bool root_option_takes_value(const CLI::App& root, const std::string& word) {
  const auto* option = root.get_option_no_throw(word);
  return option != nullptr && option->get_items_expected_max() > 0;
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
  const CLI::App* target = &root;
  for (const auto& word : words) {
    if (word.starts_with("-")) {
      return usage_error("unknown flag: " + word + " (in \"getmesh help\")",
                         "give command names only, e.g. getmesh help config set");
    }
    target = child_named(*target, word);
    if (target == nullptr) {
      return usage_error("unknown command " + quote(word),
                         "see the commands with \"getmesh help\"");
    }
  }
  context.output().out() << help_text(*target);
  return 0;
}

Command add_help_command(CLI::App& parent, Context& context) {
  auto words = std::make_shared<std::vector<std::string>>();
  auto* command = parent.add_subcommand("help", "Show the help of getmesh or of one command");
  command->add_option("command", *words, "The command, e.g. fetch or config set")
      ->type_name("COMMAND");
  return {command, [&context, &parent, words]() -> Result<int> {
            return run_help(context, parent, *words);
          }};
}

}  // namespace getmesh::cli
