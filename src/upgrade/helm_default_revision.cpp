#include "upgrade/helm_default_revision.hpp"

#include "upgrade/helm_commands.hpp"

#include <getmesh/helm/chart_index.hpp>
#include <getmesh/mesh/state.hpp>

namespace getmesh::upgrade::helm_default_revision {

bool applies(const Plan& plan) {
  if (!plan.helm || !plan.helm->base) return false;
  const auto& values = plan.helm->base->values;
  const auto found = values.find("defaultRevision");
  const std::string current =
      found != values.end() && found->is_string() && !found->get<std::string>().empty()
          ? found->get<std::string>()
          : std::string(mesh::kDefaultRevision);
  return current == plan.source.revision && plan.target.revision != plan.source.revision;
}

std::vector<std::string> switch_to_target(const Plan& plan, const std::string& dir) {
  const auto& base = *plan.helm->base;
  return helm::commands::upgrade(
      {plan.helm->kubeconfig, plan.helm->kube_context}, base.name,
      dir + helm_commands::chart_file_name(plan, std::string(helm::kBaseChart)),
      base.namespace_name, dir + helm_commands::values_file_name(base.name),
      {"defaultRevision=" + plan.target.revision}, false);
}

}  // namespace getmesh::upgrade::helm_default_revision
