#include "upgrade/helm_commands.hpp"

#include <getmesh/helm/chart_index.hpp>

namespace getmesh::upgrade::helm_commands {

namespace {

helm::commands::Cluster cluster_of(const Plan& plan) {
  if (!plan.helm) return {};
  return {plan.helm->kubeconfig, plan.helm->kube_context};
}

const HelmUpgrade& helm_of(const Plan& plan) { return *plan.helm; }

}  // namespace

std::string values_file_name(const std::string& release) {
  return "helm-values-" + release + ".json";
}

std::string chart_version(const Plan& plan) { return plan.target.version.version.to_string(); }

std::string chart_file_name(const Plan& plan, const std::string& chart) {
  return chart + "-" + chart_version(plan) + ".tgz";
}

std::string revision_tags_template(const Plan& plan) {
  const auto& version = plan.target.version.version;
  const bool split = version.major > 1 || (version.major == 1 && version.minor >= 26);
  return split ? "templates/revision-tags-mwc.yaml" : "templates/revision-tags.yaml";
}

std::vector<std::string> render_control_plane(const Plan& plan, const std::string& dir) {
  const auto& helm = helm_of(plan);
  return helm::commands::render(cluster_of(plan), helm.new_release,
                                dir + chart_file_name(plan, std::string(helm::kIstiodChart)),
                                plan.istio_namespace, dir + values_file_name(helm.new_release), {});
}

std::vector<std::string> upgrade_base(const Plan& plan, const std::string& dir) {
  const auto& base = *helm_of(plan).base;
  return helm::commands::upgrade(cluster_of(plan), base.name,
                                 dir + chart_file_name(plan, std::string(helm::kBaseChart)),
                                 base.namespace_name, dir + values_file_name(base.name), {}, false);
}

std::vector<std::string> install_control_plane(const Plan& plan, const std::string& dir) {
  const auto& helm = helm_of(plan);
  return helm::commands::upgrade(cluster_of(plan), helm.new_release,
                                 dir + chart_file_name(plan, std::string(helm::kIstiodChart)),
                                 plan.istio_namespace, dir + values_file_name(helm.new_release), {},
                                 true);
}

std::vector<std::string> render_tag(const Plan& plan, const std::string& tag,
                                    const std::string& revision, const std::string& dir) {
  auto args = helm::commands::render(cluster_of(plan), helm_of(plan).control_plane.name,
                                     dir + chart_file_name(plan, std::string(helm::kIstiodChart)),
                                     plan.istio_namespace, "",
                                     {"revisionTags={" + tag + "}", "revision=" + revision});
  args.insert(args.begin() + 3, {"-s", revision_tags_template(plan)});
  return args;
}

std::vector<std::string> upgrade_in_place(const Plan& plan, const HelmRelease& release,
                                          std::string_view chart, const std::string& dir,
                                          const std::vector<std::string>& sets) {
  return helm::commands::upgrade(
      cluster_of(plan), release.name, dir + chart_file_name(plan, std::string(chart)),
      release.namespace_name, dir + values_file_name(release.name), sets, false);
}

std::vector<std::string> upgrade_gateway(const Plan& plan, const HelmRelease& gateway,
                                         const std::string& dir) {
  return upgrade_in_place(plan, gateway, helm::kGatewayChart, dir);
}

std::vector<std::string> rollback_release(const Plan& plan, const HelmRelease& release) {
  auto args = helm::commands::uninstall(cluster_of(plan), release.name, release.namespace_name);
  args[0] = "rollback";
  args.insert(args.begin() + 2, std::to_string(release.revision));
  return args;
}

std::vector<std::string> on_delete_sets() {
  return {"updateStrategy.type=OnDelete", "updateStrategy.rollingUpdate=null"};
}

std::vector<std::string> render_ztunnel(const Plan& plan, const std::vector<std::string>& sets,
                                        const std::string& dir) {
  const auto& ztunnel = *helm_of(plan).ztunnel;
  return helm::commands::render(cluster_of(plan), ztunnel.name,
                                dir + chart_file_name(plan, std::string(helm::kZtunnelChart)),
                                ztunnel.namespace_name, dir + values_file_name(ztunnel.name), sets);
}

std::vector<std::string> uninstall(const Plan& plan, const std::string& release) {
  return helm::commands::uninstall(cluster_of(plan), release, plan.istio_namespace);
}

std::string shown(const std::vector<std::string>& args) { return helm::commands::shown(args); }

}  // namespace getmesh::upgrade::helm_commands
