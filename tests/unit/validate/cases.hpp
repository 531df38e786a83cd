#pragma once

#include <getmesh/validate/analyze.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate::testing {

// A clean mesh the cases add objects to: namespaces bookinfo (injected) and istio-system, Service
// and Deployment reviews (v1), the ingress gateway's Service and Deployment, Gateway bookinfo/gw
// and DestinationRule bookinfo/reviews with subset v1. It has no findings by itself.
extern const std::string_view kWorld;

// One row of a check's table: `yaml` (added to kWorld unless `alone`) must or must not produce
// `code`.
struct CodeCase {
  const char* name;
  const char* code;
  bool fires;
  const char* yaml;
  bool alone = false;
  bool files_only = false;  // analyze as `--offline` does (AnalyzeOptions::files_only)
};

std::vector<Finding> findings_of(std::string_view yaml, const AnalyzeOptions& options = {});
// Runs a table (with alpha-phase annotations reported); every failure names the case and lists what
// was found.
void run_cases(std::span<const CodeCase> cases);

std::span<const CodeCase> routing_cases();
std::span<const CodeCase> workload_cases();
std::span<const CodeCase> kiali_cases();
std::span<const CodeCase> kiali_policy_cases();
std::span<const CodeCase> schema_cases();
std::span<const CodeCase> gateway_api_cases();
std::span<const CodeCase> annotation_cases();
std::span<const CodeCase> selector_and_secret_cases();
std::span<const CodeCase> cluster_cases();

}  // namespace getmesh::validate::testing
