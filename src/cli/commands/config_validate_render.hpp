#pragma once

#include <getmesh/validate/finding.hpp>
#include <getmesh/validate/load.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// getmesh's own code for input that could not be read (a file, a document, an object).
inline constexpr const char* kInputErrorCode = "GM0001";

// `findings` preceded by one Error finding kInputErrorCode per input problem (no object, the file
// and line as origin), so JSON, YAML and SARIF carry them too.
std::vector<validate::Finding> with_input_errors(
    std::vector<validate::Finding> findings, const std::vector<validate::InputProblem>& problems);

// The original's table: NAMESPACE (left out when `show_namespace` is false), NAME, RESOURCE TYPE,
// ERROR CODE, SEVERITY, MESSAGE; messages of file objects start with "[file:line] ".
std::string render_findings_table(const std::vector<validate::Finding>& findings,
                                  bool show_namespace);

// A stable JSON list: one object per finding with code, severity, message, kind, namespace, name,
// file, line, analyzer and documentation_url.
std::string render_findings_json(const std::vector<validate::Finding>& findings, bool yaml);

// SARIF 2.1.0 for code scanning: one rule per code, one result per finding, with the file and line
// as physical location and "Kind namespace/name" as logical location.
std::string render_findings_sarif(const std::vector<validate::Finding>& findings,
                                  const std::string& version);

}  // namespace getmesh::cli
