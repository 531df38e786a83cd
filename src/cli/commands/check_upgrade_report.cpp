#include "cli/commands/check_upgrade_report.hpp"

#include "cli/commands/mesh_json.hpp"
#include "cli/table.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>

namespace getmesh::cli {

namespace {

std::string label_of(mesh::Severity severity, bool color) {
  static const char* const kLabels[] = {"OK     ", "INFO   ", "WARNING", "ACTION "};
  static const char* const kColors[] = {"32", "36", "33", "31"};
  const auto index = static_cast<std::size_t>(severity);
  if (!color) return kLabels[index];
  return std::string("\033[") + kColors[index] + "m" + kLabels[index] + "\033[0m";
}

std::string findings_text(const ClusterReport& report, bool color,
                          mesh::Severity least = mesh::Severity::kOk) {
  std::string text;
  if (report.error) {
    text += "  " + std::string(color ? "\033[31mERROR  \033[0m" : "ERROR  ") + "  " +
            escape_control(report.error->message) + "\n";
    if (!report.error->hint.empty()) {
      text += "           hint: " + escape_control(report.error->hint) + "\n";
    }
    return text;
  }
  for (const auto& finding : report.advice.findings) {
    if (finding.severity < least) continue;
    text +=
        "  " + label_of(finding.severity, color) + "  " + escape_control(finding.message) + "\n";
  }
  return text;
}

std::string short_planes(const mesh::MeshState& state) {
  std::vector<std::string> versions;
  for (const auto& plane : state.control_planes) {
    if (std::find(versions.begin(), versions.end(), plane.version_text) == versions.end()) {
      versions.push_back(plane.version_text);
    }
  }
  std::string text;
  for (const auto& version : versions) text += (text.empty() ? "" : ", ") + version;
  return text.empty() ? "-" : text;
}

std::string short_proxies(const mesh::MeshState& state) {
  const auto text = describe_data_plane(state);
  return text == "none" ? "-" : text;
}

// The status as the table shows it: "action needed".
std::string status_words(const ClusterReport& report) {
  auto status = report.status();
  std::replace(status.begin(), status.end(), '_', ' ');
  return status;
}

}  // namespace

std::string ClusterReport::status() const {
  if (error) return unreachable ? "unreachable" : "error";
  if (advice.needs_action()) return "action_needed";
  if (state && state->control_planes.empty() && state->data_plane.empty()) return "no_istio";
  return "ok";
}

int exit_code_of(const std::vector<ClusterReport>& reports) {
  int code = kExitNothingToDo;
  for (const auto& report : reports) {
    if (report.error) return kExitCheckFailed;
    if (report.advice.needs_action()) code = kExitActionNeeded;
  }
  return code;
}

nlohmann::ordered_json report_to_json(const ClusterReport& report) {
  nlohmann::ordered_json document = {{"context", report.context},
                                     {"server", report.server},
                                     {"status", report.status()},
                                     {"elapsed_ms", report.elapsed_ms}};
  if (report.error) {
    document["error"] = {{"message", report.error->message}, {"hint", report.error->hint}};
    return document;
  }
  document.update(mesh_to_json(*report.state));
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto& finding : report.advice.findings) {
    findings.push_back(
        {{"severity", mesh::to_string(finding.severity)},
         {"code", finding.code},
         {"subject", finding.subject},
         {"message", finding.message},
         {"target", finding.target.empty() ? nlohmann::ordered_json()
                                           : nlohmann::ordered_json(finding.target)}});
  }
  document["findings"] = findings;
  return document;
}

std::string render_cluster(const ClusterReport& report, bool color) {
  std::string text = "Cluster:        context " + report.context + " (" + report.server + ")\n";
  if (report.state) {
    text += "Platform:       " + describe_platform(*report.state) + "\n";
    text += "Kubernetes:     " + report.state->kubernetes.git_version + "\n";
    text += "Owner:          " + describe_owner(*report.state) + "\n";
    text += "Control plane:  " + describe_control_planes(*report.state) + "\n";
    text += "Data plane:     " + describe_data_plane(*report.state) + "\n";
  }
  // What the cluster said, escaped; the findings (with their colours) are escaped one by one.
  return escape_control(text) + "\nChecks:\n" + findings_text(report, color);
}

std::string render_fleet(const std::vector<ClusterReport>& reports, bool color) {
  Table table(
      {"CONTEXT", "PLATFORM", "OWNER", "KUBERNETES", "CONTROL PLANE", "DATA PLANE", "STATUS"});
  for (const auto& report : reports) {
    if (!report.state) {
      table.add_row({report.context, "-", "-", "-", "-", "-", status_words(report)});
      continue;
    }
    auto status = status_words(report);
    if (report.advice.needs_action()) {
      const auto count = std::count_if(report.advice.findings.begin(), report.advice.findings.end(),
                                       [](const mesh::Finding& finding) {
                                         return finding.severity >= mesh::Severity::kWarning;
                                       });
      status += " (" + std::to_string(count) + ")";
    }
    const auto& state = *report.state;
    const auto owner = mesh::to_string(state.owner.kind);
    table.add_row({report.context, mesh::to_string(state.platform.platform),
                   owner == "none" ? std::string("-") : owner, state.kubernetes.git_version,
                   short_planes(*report.state), short_proxies(*report.state), status});
  }
  std::string text = table.render();
  for (const auto& report : reports) {
    if (!report.error && !report.advice.needs_action()) continue;
    text += "\n" + escape_control(report.context) + ":\n" +
            findings_text(report, color, mesh::Severity::kWarning);
  }
  return text;
}

}  // namespace getmesh::cli
