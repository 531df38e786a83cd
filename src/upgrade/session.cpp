#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
#include <getmesh/upgrade/session.hpp>

namespace getmesh::upgrade {

namespace {

// Whether --to and --flavor name the target of the upgrade in progress.
bool agrees(const TargetRequest& request, const DistributionName& target) {
  if (!request.flavor.empty() && request.flavor != target.flavor) return false;
  if (request.to.empty()) return true;
  if (auto full = Version::parse(request.to)) return *full == target.version;
  if (auto minor = MinorVersion::parse(request.to)) {
    return *minor == MinorVersion::of(target.version);
  }
  return false;
}

Error concurrent_start(const RecordStore& store) {
  return runtime_error(
      "another getmesh upgrade run started an upgrade of this cluster at the "
      "same moment (" +
          store.describe() + ")",
      "see it with \"getmesh upgrade status\"");
}

}  // namespace

Result<Prepared> prepare(const kube::Client& client, const mesh::MeshState& state,
                         const manifest::Manifest& manifest, const CivilDate& today,
                         const PlanRequest& request, const FileReader& read_file) {
  RecordStore store(client, state.istio_namespace);
  auto existing = store.load();
  if (!existing) return existing.error();
  Prepared prepared;
  if (*existing && (*existing)->active()) {
    const auto& target = (*existing)->plan.target.version;
    if (!agrees(request.target, target)) {
      return runtime_error("an upgrade to " + target.to_string() + " is in progress (phase " +
                               to_string((*existing)->phase) + ", " + store.describe() + ")",
                           "continue it with \"getmesh upgrade\" (without --to/--flavor), or undo "
                           "it with \"getmesh upgrade rollback\" before starting another");
    }
    prepared.in_progress = std::move(**existing);
    return prepared;
  }
  if (*existing) prepared.previous = std::move(**existing);
  const auto* default_plane = state.control_plane(mesh::kDefaultRevision);
  std::string default_revision =
      default_plane != nullptr ? std::string(mesh::kDefaultRevision) : request.from_revision;
  if (default_revision.empty() && state.control_planes.size() == 1)
    default_revision = state.control_planes.front().revision;
  auto layout = read_layout(client, state.istio_namespace, default_revision);
  if (!layout) return layout.error();
  auto planned = make_plan(state, *layout, manifest, today, request, read_file);
  if (!planned) return planned.error();
  prepared.plan = std::move(planned->plan);
  prepared.nothing_to_do = planned->nothing_to_do;
  return prepared;
}

Status check_applicable(const Plan& plan) {
  if (plan.ambient.present() && !plan.helm) {
    return runtime_error(
        "this mesh runs in ambient mode (" +
            counted(static_cast<std::size_t>(plan.ambient.ztunnel_pods), "ztunnel pod") +
            ") and istioctl installed it: Istio documents ambient upgrades with Helm only, so "
            "getmesh plans them but does not apply them",
        "follow the steps of \"getmesh upgrade --dry-run\", which lists the commands for "
        "istio-cni, ztunnel and the waypoints in Istio's order");
  }
  if (plan.ambient.present() && !plan.helm->ztunnel) {
    return runtime_error(
        "this mesh runs in ambient mode (" +
            counted(static_cast<std::size_t>(plan.ambient.ztunnel_pods), "ztunnel pod") +
            "), but no Helm release of the ztunnel chart was found: getmesh upgrades ztunnel "
            "only as a Helm release",
        "see \"helm list --all-namespaces\"; follow the ambient steps of \"getmesh upgrade "
        "--dry-run\" by hand");
  }
  if (!plan.helm && !plan.install.complete()) {
    return usage_error("there is no installed-state IstioOperator in " + plan.istio_namespace +
                           " to install revision " + plan.target.revision +
                           " with the running configuration",
                       "give the configuration of the running control plane with -f FILE "
                       "(e.g. the IstioOperator you installed it with) and/or --set");
  }
  return {};
}

Result<Record> start(const RecordStore& store, Plan plan, const std::optional<Record>& previous,
                     std::int64_t now) {
  Record record;
  record.plan = std::move(plan);
  record.phase = Phase::kInProgress;
  record.started_at = format_rfc3339(now);
  record.updated_at = record.started_at;
  record.holder = current_holder(now);
  if (previous) {
    record.resource_version = previous->resource_version;
    record.values_id = previous->values_id;  // its values Secret goes when this plan is stored
    if (auto saved = store.save(record); !saved) {
      if (saved.error().http_status == 409) return concurrent_start(store);
      return saved.error();
    }
    return record;
  }
  if (auto created = store.create(record); !created) {
    if (created.error().http_status == 409) return concurrent_start(store);
    return created.error();
  }
  return record;
}

}  // namespace getmesh::upgrade
