#include "cli/commands/commands.hpp"

#include <sstream>

namespace getmesh::cli {

namespace {

struct Flag {
  std::vector<std::string> long_names;
  std::vector<std::string> short_names;
  std::string description;
  bool takes_value = false;
};

struct Subcommand {
  std::string name;
  std::string description;
  std::vector<Flag> flags;               // its own and its subcommands' (`manifest export -o`)
  std::vector<std::string> subcommands;  // e.g. `export` of `manifest`
};

std::vector<Flag> flags_of(const CLI::App& app) {
  std::vector<Flag> flags;
  for (const auto* option : app.get_options()) {
    if (option->get_lnames().empty() && option->get_snames().empty()) continue;
    flags.push_back({option->get_lnames(), option->get_snames(), option->get_description(),
                     option->get_items_expected_min() > 0});
  }
  return flags;
}

std::vector<Subcommand> subcommands_of(const CLI::App& root) {
  std::vector<Subcommand> subcommands;
  for (const auto* sub : root.get_subcommands({})) {
    Subcommand entry{sub->get_name(), sub->get_description(), flags_of(*sub), {}};
    for (const auto* nested : sub->get_subcommands({})) {
      entry.subcommands.push_back(nested->get_name());
      for (auto& flag : flags_of(*nested)) entry.flags.push_back(std::move(flag));
    }
    subcommands.push_back(std::move(entry));
  }
  return subcommands;
}

std::string escape_single(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out;
}

// Flags whose values come from a fixed list.
std::string value_words(const std::string& flag) {
  if (flag == "flavor") return "istio tetrate tetratefips";
  if (flag == "output") return "table json yaml";
  return "";
}

std::string bash_script(const CLI::App& root) {
  const auto subcommands = subcommands_of(root);
  std::ostringstream script;
  script << "# bash completion for getmesh; load with: source <(getmesh completion bash)\n"
         << "_getmesh() {\n"
         << "  local cur prev sub\n"
         << "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
         << "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         << "  sub=\"${COMP_WORDS[1]}\"\n"
         << "  case \"$prev\" in\n"
         << "    --flavor) COMPREPLY=($(compgen -W 'istio tetrate tetratefips' -- \"$cur\")); "
            "return ;;\n"
         << "    -o|--output) COMPREPLY=($(compgen -W 'table json yaml' -- \"$cur\")); return ;;\n"
         << "    --name) COMPREPLY=($(compgen -W \"$(ls \"${GETMESH_HOME:-$HOME/.getmesh}/istio\" "
            "2>/dev/null)\" -- \"$cur\")); return ;;\n"
         << "  esac\n"
         << "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W '";
  for (const auto& sub : subcommands) script << sub.name << " ";
  script << "' -- \"$cur\"))\n    return\n  fi\n  case \"$sub\" in\n";
  for (const auto& sub : subcommands) {
    script << "    " << sub.name << ") COMPREPLY=($(compgen -W '";
    for (const auto& nested : sub.subcommands) script << nested << " ";
    for (const auto& flag : sub.flags) {
      for (const auto& name : flag.long_names) script << "--" << name << " ";
      for (const auto& name : flag.short_names) script << "-" << name << " ";
    }
    script << "' -- \"$cur\")) ;;\n";
  }
  script << "  esac\n}\ncomplete -F _getmesh getmesh\n";
  return script.str();
}

std::string zsh_script(const CLI::App& root) {
  const auto subcommands = subcommands_of(root);
  std::ostringstream script;
  script << "#compdef getmesh\n# zsh completion for getmesh; load with: source <(getmesh "
            "completion zsh)\n"
         << "_getmesh() {\n  local -a commands\n  commands=(\n";
  for (const auto& sub : subcommands) {
    script << "    '" << sub.name << ":" << escape_single(sub.description) << "'\n";
  }
  script
      << "  )\n  if (( CURRENT == 2 )); then\n    _describe 'command' commands\n    return\n  fi\n"
      << "  case \"$words[2]\" in\n";
  for (const auto& sub : subcommands) {
    script << "    " << sub.name << ")\n      _arguments";
    if (!sub.subcommands.empty()) {
      std::string names;
      for (const auto& nested : sub.subcommands) names += (names.empty() ? "" : " ") + nested;
      script << " \\\n        '1:command:(" << names << ")'";
    }
    for (const auto& flag : sub.flags) {
      for (const auto& name : flag.long_names) {
        script << " \\\n        '--" << name << "[" << escape_single(flag.description) << "]";
        if (flag.takes_value) {
          const auto words = value_words(name);
          script << ":" << name << ":" << (words.empty() ? "" : "(" + words + ")");
        }
        script << "'";
      }
    }
    script << " ;;\n";
  }
  script << "  esac\n}\ncompdef _getmesh getmesh\n";
  return script.str();
}

std::string fish_script(const CLI::App& root) {
  const auto subcommands = subcommands_of(root);
  std::ostringstream script;
  script << "# fish completion for getmesh; load with: getmesh completion fish | source\n"
         << "complete -c getmesh -f\n";
  for (const auto& sub : subcommands) {
    script << "complete -c getmesh -n '__fish_use_subcommand' -a " << sub.name << " -d '"
           << escape_single(sub.description) << "'\n";
    for (const auto& nested : sub.subcommands) {
      script << "complete -c getmesh -n '__fish_seen_subcommand_from " << sub.name << "' -a "
             << nested << "\n";
    }
    for (const auto& flag : sub.flags) {
      script << "complete -c getmesh -n '__fish_seen_subcommand_from " << sub.name << "'";
      for (const auto& name : flag.long_names) script << " -l " << name;
      for (const auto& name : flag.short_names) script << " -s " << name;
      if (flag.takes_value) {
        script << " -r";
        if (!flag.long_names.empty()) {
          const auto words = value_words(flag.long_names.front());
          if (!words.empty()) script << " -a '" << words << "'";
        }
      }
      script << " -d '" << escape_single(flag.description) << "'\n";
    }
  }
  return script.str();
}

}  // namespace

Command add_completion_command(CLI::App& parent, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("completion", "Print a shell completion script");
  command->add_option("shell", *shell, "bash, zsh or fish")->required();
  return {command, [&context, &parent, shell]() -> Result<int> {
            std::string script;
            if (*shell == "bash") {
              script = bash_script(parent);
            } else if (*shell == "zsh") {
              script = zsh_script(parent);
            } else if (*shell == "fish") {
              script = fish_script(parent);
            } else {
              return usage_error("no completion for shell \"" + *shell + "\"",
                                 "use getmesh completion bash, zsh or fish");
            }
            context.output().out() << script;
            return 0;
          }};
}

Command add_istioctl_command(CLI::App& parent, Context& /*context*/) {
  auto* command = parent.add_subcommand(
      "istioctl", "Run the active istioctl with the given arguments (install runs checks first)");
  command->allow_extras();
  return {command, []() -> Result<int> {
            // Reached only when parse_passthrough did not see the command (for example after an
            // unknown global flag), so tell how to call it.
            return usage_error("put istioctl right after getmesh and its -c/--kubeconfig flag",
                               "for example: getmesh -c ~/.kube/config istioctl version");
          }};
}

}  // namespace getmesh::cli
