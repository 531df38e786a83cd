#pragma once

#include <getmesh/validate/finding.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

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
