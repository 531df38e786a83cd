#pragma once

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <vector>

namespace getmesh::cli {

// The getmesh command line: the root with the global options (bound to context.options()) and
// every subcommand with what runs when it is chosen. Building it reads nothing from the outside.
struct CommandTree {
  std::unique_ptr<CLI::App> root;
  std::vector<Command> commands;
};

CommandTree build_command_tree(Context& context);

}  // namespace getmesh::cli
