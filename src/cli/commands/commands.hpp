#pragma once

#include "cli/context.hpp"

#include <getmesh/core/result.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>

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
Command add_upgrade_command(CLI::App& parent, Context& context);
// Adds `--flavor-version` (default -1: not given) to a distribution-choosing command. Only -1 and
// 0..1000000 are accepted, so a typo or an overflow is a usage error rather than a surprise.
void add_flavor_version_option(CLI::App& command, std::int64_t& value, const std::string& help);
// "90", "90s", "5m" or "1h" as seconds (at most a day); `flag` names the option in the error.
Result<std::int64_t> parse_duration_seconds(const std::string& text, const std::string& flag);
// Refuses an empty value (e.g. --istio-namespace '').
CLI::Validator non_empty_value();

// Registered for help and completion only: `getmesh istioctl ...` is dispatched before parsing.
Command add_istioctl_command(CLI::App& parent, Context& context);

}  // namespace getmesh::cli
