#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace getmesh::cli {

// Help text from the command tree: usage lines carry the full command path ("getmesh fetch"), and
// a subcommand's help ends with the global options that apply to it (the root's options it does
// not define itself, see global_option_applies).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;
};

// The full command path of `app`, e.g. "getmesh fetch".
std::string command_path(const CLI::App& app);

// The help of `app` as `getmesh help` and `--help` print it.
std::string help_text(const CLI::App& app);

// The deepest subcommand the command line chose (the root when none).
const CLI::App& selected_command(const CLI::App& root);

// The root of `app`'s command tree.
const CLI::App& root_of(const CLI::App& app);

// Whether `option` of the root is a global option (not -h/--help or --version).
bool is_global_option(const CLI::Option& option);

// Whether the global `option` means something to `command` (or its parent command): -c and
// --context to the commands that talk to a cluster, --manifest to those that read it, --strict to
// istioctl; help and completion offer it only there (the parser accepts it everywhere).
bool global_option_applies(const CLI::Option& option, const CLI::App& command);

}  // namespace getmesh::cli
