#include "cli/commands/upgrade_helm.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/download/chart.hpp>
#include <getmesh/helm/binary.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/helm/commands.hpp>
#include <getmesh/mesh/identity.hpp>

#include <map>
#include <memory>

namespace getmesh::cli {

namespace {

constexpr std::chrono::minutes kHelmReadTimeout{2};

// helm reads exactly the kubeconfig files this run resolved, as istioctl does.
exec::EnvironmentOverrides helm_environment(Context& context) {
  exec::EnvironmentOverrides overrides;
  if (auto connection = context.connection()) {
    for (const auto& [name, value] : (*connection)->child_environment()) overrides[name] = value;
  }
  return overrides;
}

Result<std::string> helm_output(Context& context, const HelmSetup& setup,
                                const std::vector<std::string>& args) {
  std::vector<std::string> argv{setup.helm};
  argv.insert(argv.end(), args.begin(), args.end());
  auto ran = exec::run_captured(argv, helm_environment(context), kHelmReadTimeout);
  if (!ran) return ran.error();
  if (ran->exit_code != 0) {
    return runtime_error(helm::commands::shown(args) + " failed (exit code " +
                             std::to_string(ran->exit_code) +
                             "): " + std::string(trim(ran->err.substr(0, 2000))),
                         "nothing was changed; check that helm reaches the cluster with the same "
                         "kubeconfig and context");
  }
  return std::move(ran->out);
}

bool is_istio_chart(const std::string& chart) {
  for (auto known : {helm::kBaseChart, helm::kIstiodChart, helm::kGatewayChart, helm::kCniChart,
                     helm::kZtunnelChart}) {
    if (chart == known) return true;
  }
  return false;
}

}  // namespace

std::string chart_repository(Context& context, const std::string& flag,
                             const store::Config& config) {
  if (!flag.empty()) return flag;
  if (!config.chart_repo.empty()) return config.chart_repo;
  if (auto mirror = context.environment().get("GETMESH_MIRROR"); mirror && !mirror->empty()) {
    return *mirror;
  }
  return std::string(helm::kIstioChartRepository);
}

Result<bool> helm_owns_control_plane(const kube::Client& client,
                                     const std::string& istio_namespace) {
  const auto version = client.server_version(5000);
  if (!version) return version.error();
  return mesh::read_identity(client, *version, istio_namespace).owner.kind ==
         mesh::OwnerKind::kHelm;
}

Result<HelmSetup> set_up_helm(Context& context, const std::string& helm_flag,
                              const std::string& chart_repo_flag,
                              const std::string& cluster_context) {
  auto config = context.config();
  if (!config) return config.error();
  auto path =
      helm::locate(helm_flag, config->helm_path, context.environment().get("PATH").value_or(""));
  if (!path) return path.error();
  auto binary = helm::check(*path, helm_environment(context), kHelmReadTimeout);
  if (!binary) return binary.error();
  HelmSetup setup;
  setup.helm = binary->path;
  setup.chart_repo = chart_repository(context, chart_repo_flag, *config);
  setup.kubeconfig = context.options().kubeconfig;
  setup.context = cluster_context;
  return setup;
}

Result<std::vector<upgrade::HelmRelease>> read_helm_releases(Context& context,
                                                             const HelmSetup& setup) {
  const helm::commands::Cluster cluster{setup.kubeconfig, setup.context};
  const auto list = helm::commands::list_all(cluster);
  auto listed = helm_output(context, setup, list);
  if (!listed) return listed.error();
  auto releases = upgrade::parse_helm_list(*listed, helm::commands::shown(list));
  if (!releases) return releases.error();
  std::vector<upgrade::HelmRelease> istio;
  for (auto& release : *releases) {
    if (!is_istio_chart(release.chart)) continue;
    const auto get = helm::commands::get_values(cluster, release.name, release.namespace_name);
    auto values = helm_output(context, setup, get);
    if (!values) return values.error();
    auto parsed = upgrade::parse_helm_values(*values, helm::commands::shown(get));
    if (!parsed) return parsed.error();
    release.values = std::move(*parsed);
    istio.push_back(std::move(release));
  }
  return istio;
}

void attach_helm(Context& context, const HelmSetup& setup, upgrade::Runtime& runtime) {
  runtime.helm = setup.helm;
  auto indexes = std::make_shared<std::map<std::string, download::ChartIndex>>();
  runtime.chart_for = [&context, indexes](
                          const std::string& repository, const std::string& chart,
                          const std::string& version,
                          const std::filesystem::path& directory) -> Result<std::filesystem::path> {
    auto found = indexes->find(repository);
    if (found == indexes->end()) {
      auto index = download::read_chart_index(context.http(), repository);
      if (!index) return index.error();
      found = indexes->emplace(repository, std::move(*index)).first;
    }
    return download::fetch_chart(context.http(), found->second, chart, version, directory);
  };
}

}  // namespace getmesh::cli
