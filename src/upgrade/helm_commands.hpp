#pragma once

#include <getmesh/helm/commands.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <string>
#include <string_view>
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
// `helm upgrade` in place of a release of `chart` (gateway, cni, ztunnel) with the target's chart
// and its values file, then `sets`.
std::vector<std::string> upgrade_in_place(const Plan& plan, const HelmRelease& release,
                                          std::string_view chart, const std::string& dir,
                                          const std::vector<std::string>& sets = {});
std::vector<std::string> upgrade_gateway(const Plan& plan, const HelmRelease& gateway,
                                         const std::string& dir);
// `helm rollback <release> <its revision before the upgrade>`.
std::vector<std::string> rollback_release(const Plan& plan, const HelmRelease& release);
// The --set values that give the ztunnel DaemonSet the OnDelete update strategy, so that getmesh
// replaces its pods node by node (--ztunnel-drain).
std::vector<std::string> on_delete_sets();
// The ztunnel chart rendered with `sets` (to check it takes them before any change).
std::vector<std::string> render_ztunnel(const Plan& plan, const std::vector<std::string>& sets,
                                        const std::string& dir);
std::vector<std::string> uninstall(const Plan& plan, const std::string& release);

std::string shown(const std::vector<std::string>& args);

}  // namespace getmesh::upgrade::helm_commands
