#include "cli/completion.hpp"

#include "cli/commands/commands.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::cli {

namespace {

// Each script asks `getmesh __complete` (completion.hpp) for the candidates, so what completes is
// always what the installed getmesh accepts.

// The line up to the cursor is split on blanks (not on COMP_WORDBREAKS, so "a:b" contexts and
// "--flag=value" stay one word); bash's own current word ends at a ':' or '=', so that prefix is
// taken off the candidates.
constexpr std::string_view kBash =
    R"(# bash completion for getmesh; load with: source <(getmesh completion bash)
_getmesh() {
  local line="${COMP_LINE:0:COMP_POINT}" words cur out prefix
  read -r -a words <<< "$line"
  if [[ -z "$line" || "$line" == *[[:blank:]] ]]; then words+=(""); fi
  cur="${words[${#words[@]}-1]}"
  out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null) || return 0
  case "$out" in
    :files) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return 0 ;;
    :dirs) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return 0 ;;
  esac
  local IFS=$'\n'
  COMPREPLY=($(printf '%s\n' "$out" | cut -f1))
  prefix="${cur%"${cur##*[:=]}"}"
  if [[ -n "$prefix" ]]; then COMPREPLY=("${COMPREPLY[@]#"$prefix"}"); fi
}
complete -F _getmesh getmesh
)";

constexpr std::string_view kZsh = R"(#compdef getmesh
# zsh completion for getmesh; load with: source <(getmesh completion zsh)
_getmesh() {
  local -a lines candidates descriptions
  lines=("${(@f)$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case "${lines[1]}" in
    :files) _files; return ;;
    :dirs) _files -/; return ;;
  esac
  local entry
  for entry in "${lines[@]}"; do
    [[ -z "$entry" ]] && continue
    candidates+=("${entry%%$'\t'*}")
    descriptions+=("${entry/$'\t'/  -- }")
  done
  compadd -l -d descriptions -- "${candidates[@]}"
}
compdef _getmesh getmesh
)";

constexpr std::string_view kFish =
    R"(# fish completion for getmesh; load with: getmesh completion fish | source
function __getmesh_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] 2>/dev/null)
    switch "$out[1]"
        case :files
            __fish_complete_path (commandline -ct)
        case :dirs
            __fish_complete_directories (commandline -ct)
        case '*'
            printf '%s\n' $out
    end
end
complete -c getmesh -f -a '(__getmesh_complete)'
)";

}  // namespace

Command add_completion_command(CLI::App& parent, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("completion", "Print a shell completion script");
  command->add_option("shell", *shell, "The shell")->required()->type_name("bash|zsh|fish");
  return {command, [&context, shell]() -> Result<int> {
            std::string_view script;
            if (*shell == "bash") {
              script = kBash;
            } else if (*shell == "zsh") {
              script = kZsh;
            } else if (*shell == "fish") {
              script = kFish;
            } else {
              return usage_error("no completion for shell " + quote(*shell),
                                 "use getmesh completion bash, zsh or fish");
            }
            context.output().out() << script;
            return 0;
          }};
}

Command add_istioctl_command(CLI::App& parent, Context& /*context*/) {
  auto* command = parent.add_subcommand(
      "istioctl",
      "Run the active istioctl with the given arguments (install runs checks first); getmesh's "
      "own flags (-c, --context, --manifest, --strict, -v) go before \"istioctl\"");
  command->allow_extras();
  return {command,
          []() -> Result<int> {
            // Reached only when parse_passthrough did not see the command (for example after an
            // unknown global flag), so tell how to call it.
            return usage_error("put istioctl right after getmesh and its own flags",
                               "for example: getmesh -c ~/.kube/config istioctl version");
          },
          true};
}

}  // namespace getmesh::cli
