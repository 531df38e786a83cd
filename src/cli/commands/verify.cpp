#include "cli/build_facts.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/install_json.hpp"
#include "cli/structured.hpp"

#include <getmesh/store/verify.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::cli {

namespace {

struct VerifyOptions {
  std::vector<std::string> names;
  std::string output;
  bool require_fips = false;
};

std::string short_digest(const std::string& digest) {
  return digest.size() > 12 ? digest.substr(0, 12) + "…" : digest;
}

// The commands that replace an install whose istioctl is still there (fetch skips a fetched one).
// prune keeps the active istioctl, so that one is removed by hand: fetch replaces a missing one.
std::string refetch(const store::InstallCheck& check, bool active) {
  const auto name = check.name.to_string();
  if (active) return "rm " + check.istioctl.string() + ", then getmesh fetch --name " + name;
  return "getmesh prune --name " + name + ", then getmesh fetch --name " + name;
}

// What is wrong with an install and how to fix it; empty for a good one. `active`: prune keeps it.
std::string problem_of(const store::InstallCheck& check, bool active) {
  const auto& verification = check.verification;
  switch (verification.status) {
    case store::ReceiptStatus::kOk:
      return {};
    case store::ReceiptStatus::kModified: {
      const auto& receipt = *check.record->receipt;
      std::string what = !verification.error.empty()
                             ? verification.error
                             : check.istioctl.string() + " hashes to " +
                                   short_digest(verification.sha256) + ", its receipt says " +
                                   short_digest(receipt.sha256);
      if (verification.error.empty() && verification.size != receipt.size) {
        what += " (size " + std::to_string(receipt.size) + " → " +
                std::to_string(verification.size) + ")";
      }
      return what + "; fetch it again: " + refetch(check, active);
    }
    case store::ReceiptStatus::kMissing:
      // Not fetched as far as prune and fetch can tell: fetch replaces what is left of it.
      return check.istioctl.string() + " is gone; fetch it again: getmesh fetch --name " +
             check.name.to_string();
    case store::ReceiptStatus::kNoReceipt:
      break;
  }
  return "installed before receipts existed, so nothing says what it should be; fetch it again "
         "to get one: " +
         refetch(check, active);
}

Result<int> run_verify(Context& context, const VerifyOptions& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  std::vector<DistributionName> names;
  for (const auto& text : options.names) {
    auto name = DistributionName::parse(text);
    if (!name) {
      return usage_error("not a distribution name: " + text,
                         "give names as shown by \"getmesh show\", e.g. 1.29.8-istio-v0");
    }
    names.push_back(*name);
  }
  auto config = context.config();
  if (!config) return config.error();
  const bool require_fips = options.require_fips || config->require_fips;
  auto home = context.home();
  if (!home) return home.error();
  auto checks = store::verify_installs(**home, names);
  if (!checks) return checks.error();
  // What prune keeps: the istioctl of config.json and the one a pin here selects (a broken pin
  // is prune's error to report, not verify's).
  const auto active = context.active();
  const auto is_kept = [&](const DistributionName& name) {
    return (config->active && config->active->name == name) ||
           (active && *active && (*active)->name == name);
  };

  int exit_code = 0;
  auto& output = context.output();
  auto rows = nlohmann::ordered_json::array();
  for (const auto& check : *checks) {
    const auto& verification = check.verification;
    const bool present = verification.status != store::ReceiptStatus::kMissing;
    const auto build = present ? binary::read_go_build_info(check.istioctl)
                               : Result<binary::GoBuildInfo>(runtime_error("no istioctl"));
    const auto problem = problem_of(check, is_kept(check.name));
    const auto fips = present ? fips_problem(check.name, build, require_fips) : std::nullopt;
    if (verification.status == store::ReceiptStatus::kModified ||
        verification.status == store::ReceiptStatus::kMissing || (fips && require_fips)) {
      exit_code = 1;
    }
    if (*format != Format::kTable) {
      auto row = install_to_json(check.name, check.record);
      row["status"] = store::to_string(verification.status);
      row["istioctl"] = check.istioctl.string();
      row["istioctl_sha256"] = verification.sha256.empty()
                                   ? nlohmann::ordered_json()
                                   : nlohmann::ordered_json(verification.sha256);
      row["go_build"] = present ? build_to_json(build) : nlohmann::ordered_json();
      row["fips_problem"] = fips ? nlohmann::ordered_json(*fips) : nlohmann::ordered_json();
      row["problem"] = problem.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(problem);
      rows.push_back(row);
      continue;
    }
    auto line = check.name.to_string() + ": " + store::to_string(verification.status);
    if (problem.empty()) {
      line += " (sha256 " + short_digest(verification.sha256) + ", " + describe_build(build) + ")";
    } else {
      line += ": " + problem;
    }
    output.out() << line << "\n";
    if (verification.time_changed) {
      output.note(check.name.to_string() +
                  ": its modification time changed but its content matches the receipt; the "
                  "receipt now records the new time");
    }
    if (fips && require_fips) {
      output.error(runtime_error(*fips + " (FIPS is required by " +
                                 (options.require_fips ? "--require-fips" : "require_fips") + ")"));
    } else if (fips) {
      output.warn(*fips);
    }
  }
  if (*format != Format::kTable) {
    output.out() << render_structured(rows, *format);
  } else if (checks->empty()) {
    output.out() << "No istioctl fetched yet: run \"getmesh fetch\"\n";
  }
  return exit_code;
}

}  // namespace

Command add_verify_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<VerifyOptions>();
  auto* command = parent.add_subcommand(
      "verify",
      "Re-hash fetched istioctl binaries against their install receipts (exit 1: modified or "
      "missing)");
  command->add_option("names", options->names,
                      "Distribution names (default: every fetched one), e.g. 1.29.8-istio-v0");
  add_output_option(*command, options->output);
  command->add_flag("--require-fips", options->require_fips,
                    "Fail for an istioctl that carries no FIPS 140 module");
  return {command, [&context, options] { return run_verify(context, *options); }};
}

}  // namespace getmesh::cli
