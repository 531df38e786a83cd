#pragma once

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <vector>

namespace getmesh::cli {

// The CLI11 tree of getmesh: the root with its global options (bound to context.options()) and
// every command. Help, completion and man pages are all made from it.
struct CommandTree {
  std::unique_ptr<CLI::App> root;
  std::vector<Command> commands;
};

CommandTree build_command_tree(Context& context);

}  // namespace getmesh::cli
