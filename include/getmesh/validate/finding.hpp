#pragma once

#include <getmesh/validate/resource.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate {

// Ordered from most to least severe, so `a < b` means a is worse.
enum class Severity { kError, kWarning, kInfo };

std::string_view severity_name(Severity severity);  // "Error", "Warning", "Info"
// Parses "Error", "Warning" (or "Warn") and "Info"; nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text);

// One problem found in one object.
struct Finding {
  std::string code;  // IST0101, KIA1104, ...
  Severity severity = Severity::kError;
  std::string message;
  ObjectRef object;
  Origin origin;  // where the object (or, for schema findings, the offending field) is written
  std::string analyzer = "getmesh";  // "getmesh" or "istioctl"

  friend bool operator==(const Finding&, const Finding&) = default;
};

// Sorts by severity, then namespace, name, kind, code and message, and drops exact duplicates
// (same code, object and message), keeping the first (our own findings win over istioctl's).
void sort_and_deduplicate(std::vector<Finding>& findings);

// Findings at or above `threshold` (Error ≥ Warning ≥ Info).
bool reaches(const Finding& finding, Severity threshold);

}  // namespace getmesh::validate
