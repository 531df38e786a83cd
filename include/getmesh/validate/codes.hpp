#pragma once

#include <getmesh/validate/finding.hpp>

#include <optional>
#include <span>
#include <string_view>

namespace getmesh::validate {

// An analysis code config-validate emits: its upstream name and severity.
struct CodeInfo {
  std::string_view code;
  std::string_view name;
  Severity severity;
};

// Every code the checks emit (docs/config-validate-codes.md lists the same set).
std::span<const CodeInfo> implemented_codes();
std::optional<CodeInfo> code_info(std::string_view code);

// Where users read about a code: istio.io's analysis reference or Kiali's validation list.
std::string documentation_url(std::string_view code);

}  // namespace getmesh::validate
