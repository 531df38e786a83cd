#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/validate/istioctl.hpp>

namespace getmesh::validate {

std::vector<std::string> istioctl_analyze_argv(const IstioctlRequest& request) {
  std::vector<std::string> argv{request.istioctl, "analyze", "--color=false"};
  if (request.offline) {
    argv.emplace_back("--use-kube=false");
  } else if (request.all_namespaces) {
    argv.emplace_back("--all-namespaces");
  } else if (!request.namespace_.empty()) {
    argv.push_back("--namespace=" + request.namespace_);
  }
  if (!request.kubeconfig.empty()) argv.push_back("--kubeconfig=" + request.kubeconfig);
  if (!request.context.empty()) argv.push_back("--context=" + request.context);
  if (!request.paths.empty()) argv.emplace_back("--recursive");
  argv.insert(argv.end(), request.paths.begin(), request.paths.end());
  return argv;
}

Result<IstioctlFindings> run_istioctl_analyze(const IstioctlRequest& request) {
  constexpr std::chrono::minutes kTimeout{5};
  const auto argv = istioctl_analyze_argv(request);
  log::debug("running " + join(argv, " ") + " (output captured)");
  auto captured = exec::run_captured(argv, {}, kTimeout, request.stdin_text);
  if (!captured) return captured.error();
  constexpr int kFoundIssues = 79;
  constexpr int kUnreadableFiles = 65;
  const bool found_issues = captured->exit_code == kFoundIssues ||
                            captured->err.find("Analyzers found issues") != std::string::npos;
  IstioctlFindings result{parse_istioctl_analyze(captured->out), {}};
  if (captured->exit_code == kUnreadableFiles) {
    const auto first_line = captured->err.substr(0, captured->err.find('\n'));
    result.warning = "istioctl analyze could not read some of the files: " + first_line;
    return result;
  }
  if (captured->exit_code != 0 && !found_issues) {
    return runtime_error("istioctl analyze failed (exit code " +
                             std::to_string(captured->exit_code) +
                             "): " + std::string(trim(captured->err)),
                         "run \"getmesh istioctl analyze\" to see the problem, or drop --istioctl");
  }
  return result;
}

}  // namespace getmesh::validate
