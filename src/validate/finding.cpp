#include <getmesh/validate/finding.hpp>

#include <algorithm>
#include <tuple>

namespace getmesh::validate {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "Error";
    case Severity::kWarning:
      return "Warning";
    case Severity::kInfo:
      return "Info";
  }
  return "Info";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "Error") return Severity::kError;
  if (text == "Warning" || text == "Warn") return Severity::kWarning;
  if (text == "Info") return Severity::kInfo;
  return std::nullopt;
}

void sort_and_deduplicate(std::vector<Finding>& findings) {
  const auto key = [](const Finding& f) {
    return std::tie(f.severity, f.object.namespace_, f.object.name, f.object.kind, f.code,
                    f.message);
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                 findings.end());
}

bool reaches(const Finding& finding, Severity threshold) { return finding.severity <= threshold; }

}  // namespace getmesh::validate
