#include "cli/istioctl_match.hpp"

#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/mesh/state.hpp>
#include <getmesh/store/installed.hpp>

#include <algorithm>
#include <ctime>

namespace getmesh::cli {

namespace {

// A failed lookup is retried sooner than a successful one is refreshed.
constexpr std::int64_t kFailedLookupSeconds = 30;

std::chrono::seconds cache_ttl(const Environment& environment) {
  if (auto text = environment.get("GETMESH_CLUSTER_CACHE_SECONDS")) {
    if (auto seconds = parse_non_negative(*text)) return std::chrono::seconds(*seconds);
  }
  return mesh::kClusterCacheTtl;
}

mesh::ClusterLookup ask_cluster(Context& context, const ClusterTarget& target, std::int64_t now) {
  mesh::ClusterLookup lookup;
  lookup.checked_at = now;
  auto config = kube::rest_config_for(target.kubeconfig, target.context, context.environment());
  if (!config) {
    lookup.error = config.error().message;
    return lookup;
  }
  lookup.context = config->context;
  kube::ClientOptions options;
  options.connect_timeout_ms = 1500;
  options.request_timeout_ms = 3000;
  auto client = kube::Client::connect(*config, context.http(), context.environment(), options);
  if (!client) {
    lookup.error = client.error().message;
    return lookup;
  }
  auto planes = mesh::read_control_planes(*client, target.istio_namespace);
  if (!planes) {
    lookup.error = planes.error().message;
    return lookup;
  }
  for (const auto& plane : *planes) {
    if (plane.version)
      lookup.control_planes.emplace_back(plane.revision, plane.version->to_string());
  }
  return lookup;
}

std::optional<mesh::ClusterLookup> lookup_cluster(Context& context, const ClusterTarget& target,
                                                  bool may_connect) {
  auto home = context.home();
  if (!home) return std::nullopt;
  const auto key = cache_key_of(target, context.environment());
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto cached =
      mesh::read_cluster_cache((*home)->cache_dir(), key, now, cache_ttl(context.environment()));
  if (cached && (cached->error.empty() || now - cached->checked_at <= kFailedLookupSeconds)) {
    log::debug("cluster cache: hit for context " + quote(cached->context) + ", read " +
               std::to_string(now - cached->checked_at) + " s ago");
    return cached;
  }
  if (!may_connect) return std::nullopt;
  auto lookup = ask_cluster(context, target, now);
  (void)mesh::write_cluster_cache((*home)->cache_dir(), key, lookup);
  return lookup;
}

// The control plane the command talks to: its --revision, else "default", else the only one.
std::optional<std::pair<std::string, DistributionName>> control_plane_of(
    const mesh::ClusterLookup& lookup, const std::string& revision) {
  const auto& planes = lookup.control_planes;
  const auto pick =
      [&](const std::string& wanted) -> std::optional<std::pair<std::string, DistributionName>> {
    for (const auto& [name, version] : planes) {
      if (name != wanted) continue;
      if (auto parsed = DistributionName::parse(version)) return std::pair{name, *parsed};
    }
    return std::nullopt;
  };
  if (!revision.empty()) return pick(revision);
  if (auto found = pick(mesh::kDefaultRevision)) return found;
  if (planes.size() == 1) return pick(planes.front().first);
  return std::nullopt;
}

// A fetched distribution of the control plane's minor: same flavor first, then the exact
// version, then the newest patch.
std::optional<DistributionName> matching_fetched(Context& context,
                                                 const DistributionName& control) {
  auto home = context.home();
  if (!home) return std::nullopt;
  auto installed = store::list_installed(**home);
  if (!installed) return std::nullopt;
  std::optional<DistributionName> best;
  const auto rank = [&](const DistributionName& name) {
    return std::tuple(name.flavor == control.flavor, name.version == control.version, name);
  };
  for (const auto& distribution : *installed) {
    const auto& name = distribution.name;
    if (MinorVersion::of(name.version) != MinorVersion::of(control.version)) continue;
    if (!best || rank(name) > rank(*best)) best = name;
  }
  return best;
}

}  // namespace

DistributionName choose_istioctl(Context& context, const Active& active,
                                 const ClusterTarget& target, bool auto_select) {
  const bool may_switch = auto_select && !active.pinned;
  const auto lookup = lookup_cluster(context, target, may_switch);
  if (!lookup) return active.name;
  auto& output = context.output();
  if (!lookup->error.empty()) {
    if (may_switch) {
      output.note("auto_select: cannot read the control plane (" + lookup->error +
                  "); running the active istioctl " + active.name.to_string());
    }
    return active.name;
  }
  const auto plane = control_plane_of(*lookup, target.revision);
  if (!plane || MinorVersion::of(plane->second.version) == MinorVersion::of(active.name.version)) {
    return active.name;
  }
  const auto& [revision, control] = *plane;
  const auto match = matching_fetched(context, control);
  const std::string cluster = "the control plane of context " + quote(lookup->context) +
                              " (revision " + revision + ") runs " + control.to_string();
  if (may_switch && match) {
    output.note("auto_select: running " + match->to_string() + " because " + cluster +
                " (the active istioctl is " + active.name.to_string() + ")");
    return *match;
  }
  // Under a pin, switching changes nothing here: the pin file is what to edit.
  std::string advice;
  if (active.pinned) {
    advice = "; write " + (match ? match->to_string() : control.version.minor_string()) + " into " +
             active.origin + (match ? " (it is fetched)" : " and run \"getmesh fetch\" there");
  } else if (match) {
    advice = "; " + match->to_string() + " is fetched: \"getmesh switch --name " +
             match->to_string() + "\", or \"getmesh config set auto_select true\"";
  } else {
    advice = "; fetch a matching one with \"getmesh fetch --version " +
             control.version.minor_string() + "\"";
  }
  output.warn("the active istioctl " + active.name.to_string() + " (" + active.origin + ") is " +
              active.name.version.minor_string() + ", but " + cluster + advice);
  return active.name;
}

}  // namespace getmesh::cli
