#pragma once

#include "cli/context.hpp"

#include <getmesh/core/result.hpp>

#include <CLI/CLI.hpp>

#include <functional>

namespace getmesh::cli {

// A subcommand: its CLI11 node and what runs when it is chosen (returns the exit code).
struct Command {
  CLI::App* app = nullptr;
  std::function<Result<int>()> run;
};

Command add_list_command(CLI::App& parent, Context& context);
Command add_fetch_command(CLI::App& parent, Context& context);
Command add_switch_command(CLI::App& parent, Context& context);
Command add_show_command(CLI::App& parent, Context& context);
Command add_prune_command(CLI::App& parent, Context& context);
Command add_version_command(CLI::App& parent, Context& context);
Command add_default_hub_command(CLI::App& parent, Context& context);
Command add_check_upgrade_command(CLI::App& parent, Context& context);
Command add_completion_command(CLI::App& parent, Context& context);
Command add_config_validate_command(CLI::App& parent, Context& context);
Command add_gen_ca_command(CLI::App& parent, Context& context);
// Registered for help and completion only: `getmesh istioctl ...` is dispatched before parsing.
Command add_istioctl_command(CLI::App& parent, Context& context);

}  // namespace getmesh::cli
