#include "cli/commands/config_validate_render.hpp"

#include "cli/structured.hpp"
#include "cli/table.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/validate/codes.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace getmesh::cli {

namespace {

using validate::Finding;

nlohmann::ordered_json nullable(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

const char* sarif_level(validate::Severity severity) {
  switch (severity) {
    case validate::Severity::kError:
      return "error";
    case validate::Severity::kWarning:
      return "warning";
    case validate::Severity::kInfo:
      return "note";
  }
  return "note";
}

std::string documentation_of(const std::string& code) {
  return code == kInputErrorCode ? std::string() : validate::documentation_url(code);
}

}  // namespace

std::vector<Finding> with_input_errors(std::vector<Finding> findings,
                                       const std::vector<validate::InputProblem>& problems) {
  std::vector<Finding> errors;
  for (const auto& problem : problems) {
    Finding error;
    error.code = kInputErrorCode;
    error.severity = validate::Severity::kError;
    error.message = problem.message;
    error.origin.file = problem.file;
    error.origin.line = problem.line;
    errors.push_back(std::move(error));
  }
  findings.insert(findings.begin(), errors.begin(), errors.end());
  return findings;
}

std::string render_findings_table(const std::vector<Finding>& findings, bool show_namespace) {
  std::vector<std::string> headers = {"NAME", "RESOURCE TYPE", "ERROR CODE", "SEVERITY", "MESSAGE"};
  if (show_namespace) headers.insert(headers.begin(), "NAMESPACE");
  Table table(std::move(headers));
  for (const auto& finding : findings) {
    const auto origin = finding.origin.to_string();
    std::vector<std::string> row = {finding.object.name, finding.object.kind, finding.code,
                                    std::string(validate::severity_name(finding.severity)),
                                    (origin.empty() ? "" : "[" + origin + "] ") + finding.message};
    if (show_namespace) row.insert(row.begin(), finding.object.namespace_);
    table.add_row(std::move(row));
  }
  return table.render();
}

std::string render_findings_json(const std::vector<Finding>& findings, bool yaml) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& finding : findings) {
    list.push_back({{"code", finding.code},
                    {"severity", validate::severity_name(finding.severity)},
                    {"message", finding.message},
                    {"kind", nullable(finding.object.kind)},
                    {"namespace", nullable(finding.object.namespace_)},
                    {"name", nullable(finding.object.name)},
                    {"file", nullable(finding.origin.file)},
                    {"line", finding.origin.line > 0 ? nlohmann::ordered_json(finding.origin.line)
                                                     : nlohmann::ordered_json()},
                    {"analyzer", finding.analyzer},
                    {"documentation_url", nullable(documentation_of(finding.code))}});
  }
  return render_structured(list, yaml ? Format::kYaml : Format::kJson);
}

std::string render_findings_sarif(const std::vector<Finding>& findings,
                                  const std::string& version) {
  const bool has_input_errors =
      std::any_of(findings.begin(), findings.end(),
                  [](const Finding& finding) { return finding.code == kInputErrorCode; });
  std::map<std::string, std::size_t> rule_index;
  auto rules = nlohmann::ordered_json::array();
  auto results = nlohmann::ordered_json::array();
  for (const auto& finding : findings) {
    auto [position, added] = rule_index.emplace(finding.code, rules.size());
    if (added) {
      const auto info = validate::code_info(finding.code);
      const std::string name = info                              ? std::string(info->name)
                               : finding.code == kInputErrorCode ? "InputNotReadable"
                                                                 : finding.code;
      nlohmann::ordered_json rule = {
          {"id", finding.code}, {"name", name}, {"shortDescription", {{"text", name}}}};
      if (const auto help = documentation_of(finding.code); !help.empty()) rule["helpUri"] = help;
      rule["defaultConfiguration"] = {
          {"level", sarif_level(info ? info->severity : finding.severity)}};
      rules.push_back(std::move(rule));
    }
    nlohmann::ordered_json location = nlohmann::ordered_json::object();
    if (!finding.object.kind.empty()) {
      location["logicalLocations"] = {
          {{"fullyQualifiedName",
            finding.object.kind + " " +
                (finding.object.namespace_.empty() ? "" : finding.object.namespace_ + "/") +
                finding.object.name},
           {"kind", "resource"}}};
    }
    if (finding.origin.from_file() && finding.origin.file != "<stdin>") {
      location["physicalLocation"] = {{"artifactLocation", {{"uri", finding.origin.file}}}};
      if (finding.origin.line > 0)
        location["physicalLocation"]["region"] = {{"startLine", finding.origin.line}};
    }
    results.push_back({{"ruleId", finding.code},
                       {"ruleIndex", position->second},
                       {"level", sarif_level(finding.severity)},
                       {"message", {{"text", finding.message}}},
                       {"locations", {location}}});
  }
  const nlohmann::ordered_json document = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "getmesh config-validate"},
             {"version", version},
             {"informationUri", "https://istio.io/latest/docs/reference/config/analysis/"},
             {"rules", rules}}}}},
         {"invocations", {{{"executionSuccessful", !has_input_errors}}}},
         {"results", results}}}}};
  return document.dump(2) + "\n";
}

}  // namespace getmesh::cli
