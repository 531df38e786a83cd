#include "upgrade/helm_installer.hpp"

#include "upgrade/child_output.hpp"
#include "upgrade/helm_commands.hpp"
#include "upgrade/helm_default_revision.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/helm/rendered.hpp>
#include <getmesh/kube/object.hpp>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;

}  // namespace

std::string HelmInstaller::dir() const { return runtime_.work_dir.string() + "/"; }

Result<exec::Captured> HelmInstaller::helm(const std::vector<std::string>& args) {
  if (runtime_.helm.empty()) return runtime_error("no helm to run for this Helm-installed mesh");
  std::vector<std::string> argv{runtime_.helm};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_(argv);
}

Status HelmInstaller::must_pass(const std::vector<std::string>& args, const std::string& what) {
  auto ran = helm(args);
  if (!ran) return ran.error();
  if (ran->exit_code != 0) {
    return runtime_error(helm_commands::shown(args) + " failed (exit code " +
                             std::to_string(ran->exit_code) + ")" +
                             (tail_of(*ran).empty() ? std::string() : ":\n" + tail_of(*ran)),
                         what);
  }
  return {};
}

// The charts and values files a step needs, made again by each run (a resume may run elsewhere).
Status HelmInstaller::ensure_files() {
  if (files_ready_) return {};
  const auto& helm_plan = *plan_.helm;
  std::vector<std::string> charts{std::string(helm::kIstiodChart)};
  if (helm_plan.base) charts.emplace_back(helm::kBaseChart);
  if (!helm_plan.gateways.empty()) charts.emplace_back(helm::kGatewayChart);
  if (helm_plan.cni) charts.emplace_back(helm::kCniChart);
  if (helm_plan.ztunnel) charts.emplace_back(helm::kZtunnelChart);
  if (!runtime_.chart_for) return runtime_error("no way to fetch Helm charts in this run");
  for (const auto& chart : charts) {
    auto fetched = runtime_.chart_for(helm_plan.chart_repo, chart,
                                      helm_commands::chart_version(plan_), runtime_.work_dir);
    if (!fetched) return fetched.error();
  }
  const auto write_values = [&](const std::string& release, const json& values) {
    return write_file_atomic(runtime_.work_dir / helm_commands::values_file_name(release),
                             values.dump(2), std::filesystem::perms(0600));
  };
  if (auto made = ensure_directory(runtime_.work_dir); !made) return made;
  if (auto written = write_values(helm_plan.new_release, helm_plan.new_values); !written)
    return written;
  if (helm_plan.base) {
    if (auto written = write_values(helm_plan.base->name, helm_plan.base->values); !written)
      return written;
  }
  for (const auto& gateway : helm_plan.gateways) {
    if (auto written = write_values(gateway.name, gateway.values); !written) return written;
  }
  for (const auto* release : {&helm_plan.cni, &helm_plan.ztunnel}) {
    if (!*release) continue;
    if (auto written = write_values((*release)->name, (*release)->values); !written) return written;
  }
  files_ready_ = true;
  return {};
}

Status HelmInstaller::prepare() {
  if (auto ready = ensure_files(); !ready) return ready;
  auto rendered = helm(helm_commands::render_control_plane(plan_, dir()));
  if (!rendered) return rendered.error();
  if (rendered->exit_code != 0) {
    return runtime_error(
        "the values of Helm release " + plan_.helm->control_plane.name + " do not render with " +
            std::string(helm::kIstiodChart) + " " + helm_commands::chart_version(plan_) + " (" +
            helm_commands::shown(helm_commands::render_control_plane(plan_, "")) + ", exit code " +
            std::to_string(rendered->exit_code) + "):\n" + tail_of(*rendered),
        "nothing was changed: adapt the release's values to the new chart (helm upgrade " +
            plan_.helm->control_plane.name +
            " with the old chart and new values), then run "
            "\"getmesh upgrade\" again");
  }
  return {};
}

Status HelmInstaller::install() {
  if (auto ready = ensure_files(); !ready) return ready;
  const std::string still = "the old control plane still serves every proxy";
  if (plan_.helm->base) {
    if (auto upgraded =
            must_pass(helm_commands::upgrade_base(plan_, dir()), "fix the cause above; " + still);
        !upgraded) {
      return upgraded;
    }
  }
  return must_pass(helm_commands::install_control_plane(plan_, dir()),
                   "fix the cause above; " + still);
}

Status HelmInstaller::apply_object(const json& object) {
  const auto kind = kube::text_at(object, {"kind"});
  const auto name = kube::text_at(object, {"metadata", "name"});
  if (kind != "MutatingWebhookConfiguration" ||
      kube::text_at(object, {"apiVersion"}) != "admissionregistration.k8s.io/v1" || name.empty()) {
    return runtime_error("the revision-tag template rendered a " + quote(kind) + " " + quote(name) +
                         ", not a MutatingWebhookConfiguration; nothing of it "
                         "was applied");
  }
  const auto path = kube::resource_path("admissionregistration.k8s.io/v1",
                                        "mutatingwebhookconfigurations", {}, name);
  auto current = client_.get_if_exists(path);
  if (!current) return current.error();
  if (!*current) {
    auto created = client_.create(
        kube::resource_path("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", {}),
        object);
    if (!created) return created.error();
    return {};
  }
  auto replacement = object;
  replacement["metadata"]["resourceVersion"] =
      kube::text_at(**current, {"metadata", "resourceVersion"});
  auto replaced = client_.replace(path, replacement);
  if (!replaced) return replaced.error();
  return {};
}

Status HelmInstaller::point_tag(const std::string& tag, const std::string& revision) {
  if (auto ready = ensure_files(); !ready) return ready;
  const auto args = helm_commands::render_tag(plan_, tag, revision, dir());
  auto rendered = helm(args);
  if (!rendered) return rendered.error();
  if (rendered->exit_code != 0) {
    return runtime_error(helm_commands::shown(args) + " failed (exit code " +
                             std::to_string(rendered->exit_code) + "):\n" + tail_of(*rendered),
                         "check the tag's webhook with \"istioctl tag list\"");
  }
  auto objects = helm::parse_rendered(rendered->out);
  if (!objects) return objects.error();
  if (objects->empty()) {
    return runtime_error(helm_commands::shown(args) + " rendered nothing for tag " + tag);
  }
  for (const auto& object : *objects) {
    if (auto applied = apply_object(object); !applied) return applied;
  }
  return {};
}

Status HelmInstaller::upgrade_gateway(const HelmRelease& gateway) {
  if (auto ready = ensure_files(); !ready) return ready;
  return must_pass(helm_commands::upgrade_gateway(plan_, gateway, dir()),
                   "fix the cause above; the data plane already runs " + plan_.target.revision);
}

Status HelmInstaller::upgrade_in_place(const HelmRelease& release, std::string_view chart,
                                       const std::vector<std::string>& sets) {
  if (auto ready = ensure_files(); !ready) return ready;
  return must_pass(helm_commands::upgrade_in_place(plan_, release, chart, dir(), sets),
                   "fix the cause above, then run the command again");
}

Status HelmInstaller::check_ztunnel_on_delete(const std::vector<std::string>& sets) {
  if (auto ready = ensure_files(); !ready) return ready;
  const auto args = helm_commands::render_ztunnel(plan_, sets, dir());
  auto rendered = helm(args);
  if (!rendered) return rendered.error();
  if (rendered->exit_code != 0) {
    return runtime_error(helm_commands::shown(helm_commands::render_ztunnel(plan_, sets, "")) +
                             " failed (exit code " + std::to_string(rendered->exit_code) + "):\n" +
                             tail_of(*rendered),
                         "nothing was changed");
  }
  auto objects = helm::parse_rendered(rendered->out);
  if (!objects) return objects.error();
  for (const auto& object : *objects) {
    if (kube::text_at(object, {"kind"}) != "DaemonSet") continue;
    if (kube::text_at(object, {"spec", "updateStrategy", "type"}) == "OnDelete") return {};
  }
  return runtime_error("the ztunnel chart " + helm_commands::chart_version(plan_) +
                           " does not render its DaemonSet with the update strategy OnDelete "
                           "(updateStrategy.type), which --ztunnel-drain needs to replace ztunnel "
                           "node by node; nothing was changed",
                       "upgrade without --ztunnel-drain (ztunnel then rolls out by itself)");
}

Status HelmInstaller::restore_release(const HelmRelease& target) {
  helm::commands::Cluster cluster{plan_.helm->kubeconfig, plan_.helm->kube_context};
  const auto list = helm::commands::list(cluster, target.namespace_name);
  auto listed = helm(list);
  if (!listed) return listed.error();
  if (listed->exit_code != 0) {
    return runtime_error(helm_commands::shown(list) + " failed (exit code " +
                         std::to_string(listed->exit_code) + "):\n" + tail_of(*listed));
  }
  auto releases = parse_helm_list(listed->out, helm_commands::shown(list));
  if (!releases) return releases.error();
  for (const auto& release : *releases) {
    if (release.name != target.name || release.chart_version != helm_commands::chart_version(plan_))
      continue;
    return must_pass(helm_commands::rollback_release(plan_, target),
                     "see \"helm history " + target.name + " -n " + target.namespace_name + "\"");
  }
  return {};
}

Status HelmInstaller::switch_default_revision() {
  if (auto ready = ensure_files(); !ready) return ready;
  return must_pass(helm_default_revision::switch_to_target(plan_, dir()),
                   "fix the cause above; the old control plane is still installed");
}

Status HelmInstaller::restore_default_revision() {
  if (auto ready = ensure_files(); !ready) return ready;
  return must_pass(helm_commands::upgrade_base(plan_, dir()),
                   "see \"helm history " + plan_.helm->base->name + " -n " +
                       plan_.helm->base->namespace_name + "\"");
}

Status HelmInstaller::uninstall(const std::string& release) {
  return must_pass(helm_commands::uninstall(plan_, release),
                   "check what is left with \"helm list -n " + plan_.istio_namespace + "\"");
}

}  // namespace getmesh::upgrade
