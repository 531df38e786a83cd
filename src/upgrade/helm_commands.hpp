#pragma once

#include <getmesh/helm/commands.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <string>
#include <vector>

// The helm command lines of a Helm plan, without the helm binary: the plan shows them (files by
// name) and the steps run them (files under the work folder), so both always agree. Every line
// names the plan's context and, when getmesh was given one, its kubeconfig.
namespace getmesh::upgrade::helm_commands {

// The values file of a release, written from the plan (0600) before helm reads it.
std::string values_file_name(const std::string& release);
// The chart archive of the target version: "istiod-1.31.4.tgz".
std::string chart_file_name(const Plan& plan, const std::string& chart);
// The chart version of the target: "1.31.4".
std::string chart_version(const Plan& plan);
// The istiod chart's template of revision tags: "templates/revision-tags-mwc.yaml" from Istio
// 1.26 on (split from the Services ambient tags use), "templates/revision-tags.yaml" before.
std::string revision_tags_template(const Plan& plan);

// `dir` prefixes file names ("" to show them, "<work dir>/" to run them).
std::vector<std::string> render_control_plane(const Plan& plan, const std::string& dir);
std::vector<std::string> upgrade_base(const Plan& plan, const std::string& dir);
std::vector<std::string> install_control_plane(const Plan& plan, const std::string& dir);
// The revision tag `tag` rendered for `revision`, to apply (Istio's Helm way to move a tag).
std::vector<std::string> render_tag(const Plan& plan, const std::string& tag,
                                    const std::string& revision, const std::string& dir);
std::vector<std::string> upgrade_gateway(const Plan& plan, const HelmRelease& gateway,
                                         const std::string& dir);
std::vector<std::string> rollback_gateway(const Plan& plan, const HelmRelease& gateway);
std::vector<std::string> uninstall(const Plan& plan, const std::string& release);

std::string shown(const std::vector<std::string>& args);

}  // namespace getmesh::upgrade::helm_commands
