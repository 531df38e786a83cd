#include "cli/build_facts.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/install_json.hpp"
#include "cli/structured.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::cli {

namespace {

std::optional<store::BinaryReceipt> receipt_of(const store::InstalledDistribution& distribution) {
  return distribution.record ? distribution.record->receipt : std::nullopt;
}

// "manifest", "upstream digest" and ".sha256 file" for what an install was verified against.
std::string describe_sources(const std::vector<std::string>& sources) {
  std::vector<std::string> names;
  for (const auto& source : sources) {
    if (source == "upstream-digest") {
      names.emplace_back("upstream digest");
    } else if (source == "manifest") {
      names.emplace_back("manifest");
    } else {
      names.emplace_back(".sha256 file");  // its URL
    }
  }
  return names.empty() ? std::string("checksum") : join(names, " + ");
}

Result<int> run_show(Context& context, const std::string& output) {
  auto format = parse_format(output);
  if (!format) return format.error();
  auto home = context.home();
  if (!home) return home.error();
  auto installed = store::list_installed(**home);
  if (!installed) return installed.error();
  auto active = context.active();
  if (!active) return active.error();

  // Oldest first, like the original's directory order.
  std::vector<store::InstalledDistribution> ordered(installed->rbegin(), installed->rend());
  if (*format != Format::kTable) {
    auto rows = nlohmann::ordered_json::array();
    for (const auto& distribution : ordered) {
      const bool is_active = *active && (*active)->name == distribution.name;
      nlohmann::ordered_json row = {
          {"name", distribution.name.to_string()},
          {"active", is_active},
          {"active_by",
           is_active ? nlohmann::ordered_json((*active)->origin) : nlohmann::ordered_json()}};
      row.update(install_to_json(distribution.name, distribution.record));
      const auto istioctl = (*home)->istioctl(distribution.name);
      row["path"] = istioctl.string();
      row["receipt_status"] =
          store::to_string(store::quick_check(istioctl, receipt_of(distribution)));
      row["go_build"] = build_to_json(binary::read_go_build_info(istioctl));
      rows.push_back(row);
    }
    context.output().out() << render_structured(rows, *format);
    return 0;
  }
  if (ordered.empty()) {
    context.output().out() << "No istioctl fetched yet: run \"getmesh fetch\"\n";
    return 0;
  }
  bool active_listed = false;
  bool modified = false;
  for (const auto& distribution : ordered) {
    std::string line = distribution.name.to_string();
    if (*active && (*active)->name == distribution.name) {
      line += " (Active)";
      active_listed = true;
    }
    if (!distribution.record || !distribution.record->verified) {
      line += " (unverified)";
    } else {
      line += " (verified: " + describe_sources(distribution.record->checksum_sources) + ")";
    }
    // One stat per install: a changed size or time is noticed without reading the binary.
    if (store::quick_check((*home)->istioctl(distribution.name), receipt_of(distribution)) ==
        store::ReceiptStatus::kModified) {
      line += " (modified)";
      modified = true;
    }
    context.output().out() << line << "\n";
  }
  if (modified) {
    context.output().warn(
        "an istioctl changed since it was installed; \"getmesh verify\" re-hashes each one and "
        "says what to do");
  }
  if (*active && (*active)->pinned) {
    context.output().note("the active istioctl is pinned by " + (*active)->origin);
  }
  if (!*active) {
    if (auto pin = context.pin(); pin && *pin) {
      const auto why = context.nothing_active();
      context.output().warn(why.message + "; " + why.hint);
    }
  }
  if (*active && !active_listed) {
    context.output().warn("the active istioctl " + (*active)->name.to_string() + " (from " +
                          (*active)->origin + ") is not fetched; run \"getmesh fetch --name " +
                          (*active)->name.to_string() + "\"");
  }
  return 0;
}

}  // namespace

Command add_show_command(CLI::App& parent, Context& context) {
  auto output = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("show", "Show the fetched istioctl versions");
  add_output_option(*command, *output);
  return {command, [&context, output] { return run_show(context, *output); }};
}

}  // namespace getmesh::cli
