#include "upgrade/istioctl_commands.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::upgrade::istioctl_commands {

namespace {

// The Istio namespace every command but install is pointed at. The cluster is the run's own
// connection, which the executor appends (Runtime::istioctl_cluster).
std::vector<std::string> with_cluster(std::vector<std::string> args, const Plan& plan) {
  args.insert(args.end(), {"--istioNamespace", plan.istio_namespace});
  return args;
}

std::vector<std::string> operator_files(const Plan& plan, const std::string& operator_file) {
  std::vector<std::string> args;
  if (!plan.install.spec.is_null()) args.insert(args.end(), {"-f", operator_file});
  for (const auto& file : plan.install.files) args.insert(args.end(), {"-f", file});
  return args;
}

}  // namespace

std::string operator_file_name(const Plan& plan) {
  return "istiooperator-" + plan.target.revision + ".json";
}

std::vector<std::string> precheck(const Plan& plan, std::vector<std::string> precheck) {
  precheck.insert(precheck.end(), {"--revision", plan.target.revision});
  return with_cluster(std::move(precheck), plan);
}

std::vector<std::string> install(const Plan& plan, const std::string& operator_file) {
  std::vector<std::string> args{"install", "-y", "--revision", plan.target.revision};
  const auto files = operator_files(plan, operator_file);
  args.insert(args.end(), files.begin(), files.end());
  for (const auto& value : plan.install.sets) args.insert(args.end(), {"--set", value});
  if (!plan.install.hub.empty()) args.insert(args.end(), {"--set", "hub=" + plan.install.hub});
  if (plan.istio_namespace != "istio-system") {
    args.insert(args.end(), {"--set", "values.global.istioNamespace=" + plan.istio_namespace});
  }
  return args;
}

std::vector<std::string> verify_install(const Plan& plan, const std::string& operator_file) {
  auto args = with_cluster({"verify-install", "--revision", plan.target.revision}, plan);
  const auto files = operator_files(plan, operator_file);
  args.insert(args.end(), files.begin(), files.end());
  return args;
}

std::vector<std::string> tag_set(const Plan& plan, const std::string& tag,
                                 const std::string& revision) {
  return with_cluster({"tag", "set", tag, "--revision", revision, "--overwrite"}, plan);
}

std::vector<std::string> uninstall(const Plan& plan, std::vector<std::string> uninstall,
                                   const std::string& revision) {
  uninstall.insert(uninstall.end(), {"--revision", revision, "-y"});
  return with_cluster(std::move(uninstall), plan);
}

std::string shown(const std::vector<std::string>& args) { return "istioctl " + join(args, " "); }

}  // namespace getmesh::upgrade::istioctl_commands
