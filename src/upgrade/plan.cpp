#include "upgrade/ambient_plan.hpp"
#include "upgrade/helm_plan.hpp"
#include "upgrade/words.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/istioctl/args.hpp>
#include <getmesh/kube/object.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <algorithm>
#include <set>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;

constexpr std::size_t kExamples = 5;

bool erase_path(json& object, std::initializer_list<const char*> path) {
  json* node = &object;
  const char* last = nullptr;
  for (const char* key : path) {
    if (last != nullptr) {
      if (!node->is_object() || !node->contains(last)) return false;
      node = &(*node)[last];
    }
    last = key;
  }
  return node->is_object() && node->erase(last) > 0;
}

// The running revision's IstioOperator, made fit for the new one: the image tag and revision are
// the new istioctl's business, and a change of flavor needs that flavor's hub.
InstallConfig install_config(const Layout& layout, const Release& source,
                             const DistributionName& target, const PlanRequest& request,
                             const FileReader& read_file) {
  InstallConfig config;
  config.files = request.files;
  config.sets = request.sets;
  const auto found =
      std::find_if(layout.installed_states.begin(), layout.installed_states.end(),
                   [&](const InstalledState& state) { return state.revision == source.revision; });
  if (found != layout.installed_states.end()) {
    config.installed_state = found->name;
    config.spec = found->spec.is_object() ? found->spec : json::object();
    config.profile = kube::text_at(config.spec, {"profile"});
    if (config.profile.empty()) config.profile = "default";
    const auto drop = [&](std::initializer_list<const char*> path, const std::string& shown) {
      if (erase_path(config.spec, path)) config.dropped.push_back(shown);
    };
    drop({"tag"}, "spec.tag");
    drop({"values", "global", "tag"}, "spec.values.global.tag");
    drop({"revision"}, "spec.revision");
    drop({"values", "revision"}, "spec.values.revision");
    drop({"installPackagePath"}, "spec.installPackagePath");
    if (target.flavor != source.version.flavor) {
      drop({"hub"}, "spec.hub");
      drop({"values", "global", "hub"}, "spec.values.global.hub");
    }
  }
  std::vector<std::string> args;
  for (const auto& file : config.files) args.insert(args.end(), {"-f", file});
  for (const auto& value : config.sets) args.insert(args.end(), {"--set", value});
  const bool spec_sets_hub =
      !config.spec.is_null() && (!kube::text_at(config.spec, {"hub"}).empty() ||
                                 !kube::text_at(config.spec, {"values", "global", "hub"}).empty());
  if (!request.default_hub.empty() && !spec_sets_hub && !istioctl::sets_hub(args, read_file)) {
    config.hub = request.default_hub;
  }
  return config;
}

void plan_moves(Plan& plan, const Layout& layout) {
  for (const auto& tag : layout.tags) {
    if (tag.revision == plan.source.revision)
      plan.tags.push_back({tag.tag, plan.source.revision, plan.target.revision});
  }
  std::set<std::string> moved;
  for (const auto& injection : layout.namespaces) {
    if (injection.revision != plan.source.revision || injection.label.empty()) continue;
    NamespaceMove move;
    move.name = injection.name;
    move.label = injection.label + "=" + injection.value;
    move.tag = injection.tag;
    std::set<std::string> covered;
    for (const auto& workload : layout.workloads) {
      if (workload.namespace_name != injection.name) continue;
      bool on_source = false;
      std::set<std::string> other_revisions;
      for (const auto& pod : layout.pods) {
        if (!selects(workload, pod)) continue;
        if (auto proxy = mesh::proxy_of(pod); proxy && proxy->kind != "ztunnel") {
          covered.insert(proxy->pod);
          if (proxy->revision == plan.source.revision) {
            on_source = true;
          } else {
            other_revisions.insert(proxy->revision);
          }
        }
      }
      if (on_source) {
        move.workloads.push_back(workload.id());
      } else if (!other_revisions.empty()) {
        const std::vector<std::string> revisions(other_revisions.begin(), other_revisions.end());
        move.left_alone.push_back(workload.id() + " (revision " + join(revisions, ", ") + ")");
      }
    }
    for (const auto& pod : layout.pods) {
      auto proxy = mesh::proxy_of(pod);
      if (proxy && proxy->namespace_name == injection.name && proxy->kind != "ztunnel" &&
          !covered.contains(proxy->pod)) {
        move.bare_pods.push_back(proxy->pod);
      }
    }
    moved.insert(move.name);
    plan.namespaces.push_back(std::move(move));
  }
  for (const auto& pod : layout.pods) {
    auto proxy = mesh::proxy_of(pod);
    if (proxy && proxy->kind != "ztunnel" && proxy->revision == plan.source.revision &&
        !moved.contains(proxy->namespace_name)) {
      plan.unmoved_proxies.push_back(proxy->namespace_name + "/" + proxy->pod);
    }
  }
}

void add_warnings(Plan& plan) {
  if (!plan.unmoved_proxies.empty()) {
    const auto count = plan.unmoved_proxies.size();
    plan.warnings.push_back(words::proxies(count) + " of revision " + plan.source.revision +
                            (count == 1 ? " runs" : " run") +
                            " outside the namespaces that move (" +
                            words::listed(plan.unmoved_proxies, kExamples) +
                            "): getmesh does not restart them; the old control plane is only "
                            "removed once none is left");
  }
  for (const auto& move : plan.namespaces) {
    if (!move.bare_pods.empty()) {
      plan.warnings.push_back("namespace " + move.name + ": " + join(move.bare_pods, ", ") +
                              (move.bare_pods.size() == 1 ? " belongs" : " belong") +
                              " to no Deployment, StatefulSet or DaemonSet; recreate them by "
                              "hand so they get the new proxy");
    }
  }
  if (!plan.install.dropped.empty()) {
    plan.warnings.push_back("left out of the installed-state IstioOperator " +
                            plan.install.installed_state + ": " + join(plan.install.dropped, ", ") +
                            " (they belong to the old build; the new istioctl sets its own)");
  }
  if (plan.helm && !plan.helm->dropped.empty()) {
    plan.warnings.push_back("left out of the values of Helm release " +
                            plan.helm->control_plane.name + " for " + plan.helm->new_release +
                            ": " + join(plan.helm->dropped, ", ") +
                            " (they name the old revision or build; revision tags move in step "
                            "\"point the data plane\")");
  }
}

}  // namespace

std::vector<std::vector<std::string>> Plan::batches() const {
  std::vector<std::vector<std::string>> result;
  const auto size = static_cast<std::size_t>(std::max(batch_size, 1));
  for (const auto& move : namespaces) {
    if (result.empty() || result.back().size() >= size) result.emplace_back();
    result.back().push_back(move.name);
  }
  return result;
}

Result<Planned> make_plan(const mesh::MeshState& state, const Layout& layout,
                          const manifest::Manifest& manifest, const CivilDate& today,
                          const PlanRequest& request, const FileReader& read_file) {
  auto source = source_control_plane(state, request.from_revision);
  if (!source) return source.error();
  auto target = choose_target(**source, state, manifest, today, request.target);
  if (!target) return target.error();
  Planned planned;
  if (!target->name) {
    planned.nothing_to_do = target->reason;
    return planned;
  }
  Plan plan;
  plan.context = request.context;
  plan.server = request.server;
  plan.cluster_uid = request.cluster_uid;
  plan.istio_namespace = state.istio_namespace;
  plan.source = {(*source)->revision, *(*source)->version};
  plan.target = {revision_for(*target->name, state.control_planes), *target->name};
  plan.reason = target->reason;
  plan.warnings = target->warnings;
  plan.install = install_config(layout, plan.source, *target->name, request, read_file);
  plan.batch_size = std::max(request.batch_size, 1);
  plan.timeout_seconds = request.timeout_seconds;
  plan.remove_old = request.remove_old;
  plan_moves(plan, layout);
  plan.ambient.ztunnel_pods = layout.ztunnel_pods;
  for (const auto& injection : layout.namespaces) {
    if (injection.ambient) plan.ambient.namespaces.push_back(injection.name);
  }
  if (request.helm_releases) {
    auto helm = plan_helm(plan, *request.helm_releases, request.chart_repo);
    if (!helm) return helm.error();
    plan.helm = std::move(*helm);
    plan.install = InstallConfig{};  // Helm installs with the release's values, not istioctl's
  }
  if (plan.ambient.present()) {
    const auto* releases = request.helm_releases ? &*request.helm_releases : nullptr;
    if (auto ambient = plan_ambient(plan, layout, releases); !ambient) return ambient.error();
    plan.ambient.drain_nodes = request.ztunnel_drain;
  } else if (request.ztunnel_drain) {
    return usage_error("--ztunnel-drain: this mesh runs no ztunnel (it is not in ambient mode)",
                       "leave --ztunnel-drain out");
  }
  add_warnings(plan);
  planned.plan = std::move(plan);
  return planned;
}

}  // namespace getmesh::upgrade
