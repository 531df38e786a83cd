#pragma once

#include <getmesh/upgrade/plan.hpp>

#include <string>
#include <vector>

// The istioctl command lines of an upgrade, without the istioctl binary and the cluster: the plan
// shows them and the steps run them with the run's connection (--context) appended, so both
// always agree.
namespace getmesh::upgrade::istioctl_commands {

// The file the running revision's IstioOperator spec is written to for the install.
std::string operator_file_name(const Plan& plan);

// `precheck` is {"precheck"} or {"x", "precheck"}, as the istioctl offers it.
std::vector<std::string> precheck(const Plan& plan, std::vector<std::string> precheck);
std::vector<std::string> install(const Plan& plan, const std::string& operator_file);
std::vector<std::string> verify_install(const Plan& plan, const std::string& operator_file);
std::vector<std::string> tag_set(const Plan& plan, const std::string& tag,
                                 const std::string& revision);
// `uninstall` is {"uninstall"} or {"x", "uninstall"}.
std::vector<std::string> uninstall(const Plan& plan, std::vector<std::string> uninstall,
                                   const std::string& revision);

// "istioctl a b c" for the plan's text.
std::string shown(const std::vector<std::string>& args);

}  // namespace getmesh::upgrade::istioctl_commands
