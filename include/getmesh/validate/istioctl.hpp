#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/validate/finding.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate {

// Parses the text output of `istioctl analyze`, one finding per line of the form
//   <Level> [<CODE>] [[cluster]] (<Kind> <ns>/<name>[ <file>:<line>]) <message>
// or the form of Istio ≤ 1.11, `(<Kind> <name>.<ns>[ <file>:<line>])`. Other lines are skipped.
std::vector<Finding> parse_istioctl_analyze(std::string_view output);

// How to run istioctl analyze for the same inputs as config-validate.
struct IstioctlRequest {
  std::string istioctl;  // path of the binary
  std::vector<std::string> paths;
  std::string namespace_;  // "" with all_namespaces
  bool all_namespaces = false;
  bool offline = false;  // --use-kube=false
  std::string kubeconfig;
  std::string context;
  std::string stdin_text;  // passed on when a path is "-"
};

std::vector<std::string> istioctl_analyze_argv(const IstioctlRequest& request);

struct IstioctlFindings {
  std::vector<Finding> findings;
  std::string warning;  // set when istioctl could not read some of the files (exit 65)
};

// Runs istioctl analyze (argv, never a shell) and returns its findings. Exit 0 and "found issues"
// (79, or older versions' message) are success, 65 (unreadable files) a partial success; anything
// else is an error carrying istioctl's stderr.
Result<IstioctlFindings> run_istioctl_analyze(const IstioctlRequest& request);

}  // namespace getmesh::validate
