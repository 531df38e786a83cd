#pragma once

#include "cli/context.hpp"

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/serialize.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace getmesh::cli {

// A subcommand: its CLI11 node and what runs when it is chosen (returns the exit code).
struct Command {
  CLI::App* app = nullptr;
  std::function<Result<int>()> run;
  // It (or a subcommand of it) talks to a cluster: the tree gives it and its subcommands
  // -c/--kubeconfig and --context (add_cluster_options), and it reaches the cluster only through
  // Context::connection().
  bool talks_to_cluster = false;
};

Command add_list_command(CLI::App& parent, Context& context);
Command add_fetch_command(CLI::App& parent, Context& context);
Command add_switch_command(CLI::App& parent, Context& context);
Command add_show_command(CLI::App& parent, Context& context);
Command add_prune_command(CLI::App& parent, Context& context);
Command add_version_command(CLI::App& parent, Context& context);
Command add_default_hub_command(CLI::App& parent, Context& context);
// `getmesh config list|get|set|unset`: the settings of config.json (store/settings.hpp).
Command add_config_command(CLI::App& parent, Context& context);
Command add_check_upgrade_command(CLI::App& parent, Context& context);
Command add_completion_command(CLI::App& parent, Context& context);
Command add_config_validate_command(CLI::App& parent, Context& context);
Command add_gen_ca_command(CLI::App& parent, Context& context);
Command add_verify_command(CLI::App& parent, Context& context);
// `getmesh upgrade [--dry-run]` and its status, rollback and finish subcommands
// (docs/commands/upgrade.md).
Command add_upgrade_command(CLI::App& parent, Context& context);
// `getmesh manifest export`.
Command add_manifest_command(CLI::App& parent, Context& context);
// `getmesh mirror create|verify|images`, for air-gapped sites (docs/mirrors.md).
Command add_mirror_command(CLI::App& parent, Context& context);
// `getmesh which`: the path of the istioctl `getmesh istioctl` runs in this directory.
Command add_which_command(CLI::App& parent, Context& context);
// `getmesh help [COMMAND...]`: the help of the root or of a (sub)command; with --man its manual
// page, with --man-dir DIR every page (cli/man_page.hpp).
Command add_help_command(CLI::App& parent, Context& context);
// The words after `getmesh [global options] help`, when that is the command line. It is answered
// before parsing: CLI11 would take the command names that follow for commands to run.
std::optional<std::vector<std::string>> help_request(const CLI::App& root, int argc, char** argv);
Result<int> run_help(Context& context, const CLI::App& root, const std::vector<std::string>& words);
// Adds `--flavor-version` (default -1: not given) to a distribution-choosing command. Only -1 and
// 0..1000000 are accepted, so a typo or an overflow is a usage error rather than a surprise.
void add_flavor_version_option(CLI::App& command, std::int64_t& value, const std::string& help);
// Adds -o/--output; `formats` ("table|json|yaml") is shown in the help and completed by the shells.
CLI::Option* add_output_option(CLI::App& command, std::string& value,
                               const std::string& formats = "table|json|yaml");
// "90", "90s", "5m" or "1h" as seconds (at most a day); `flag` names the option in the error.
Result<std::int64_t> parse_duration_seconds(const std::string& text, const std::string& flag);
// Takes "v1.28" as "1.28", as Git tags spell versions; for every option that takes a version.
CLI::Validator without_v_prefix();
// Refuses an empty value (e.g. --istio-namespace '').
CLI::Validator non_empty_value();
// Usage errors for a selection's unknown flavor or platform, or a version not X.Y or X.Y.Z.
Status check_selection(const manifest::Selection& selection);

// Registered for help and completion only: `getmesh istioctl ...` is dispatched before parsing.
Command add_istioctl_command(CLI::App& parent, Context& context);

}  // namespace getmesh::cli
