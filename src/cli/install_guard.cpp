#include "cli/install_guard.hpp"

#include "cli/file_snapshots.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/istioctl/args.hpp>
#include <getmesh/istioctl/help.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/manifest/resolve.hpp>
#include <getmesh/mesh/identity.hpp>
#include <getmesh/mesh/state.hpp>

#include <algorithm>

namespace getmesh::cli {

namespace {

// Why a guard warning stops the install when no terminal can confirm; empty when it does not.
std::string strict_reason(const Context& context, const store::Config& config) {
  if (context.options().strict) return "--strict is given";
  const auto variable = context.environment().get("GETMESH_STRICT_INSTALL").value_or("");
  if (variable == "1" || variable == "true")
    return "GETMESH_STRICT_INSTALL=" + variable + " is set";
  if (config.strict_install) return "strict_install is set in config.json";
  return "";
}

// Asks to go on after a warning: on a terminal the user decides; in scripts the run continues
// unless strict (see strict_reason), or the user already agreed with -y.
Status confirm_or_continue(Context& context, const std::string& warning, bool skip_confirmation,
                           const std::string& strict) {
  auto& output = context.output();
  output.warn(warning);
  if (skip_confirmation) return {};
  if (output.interactive()) {
    if (output.confirm("Proceed with the installation?")) return {};
    return Error{ErrorKind::kCancelled, "installation cancelled; nothing was installed", ""};
  }
  if (!strict.empty()) {
    return runtime_error(
        "refusing to install: " + strict + " and no terminal is attached to confirm",
        "fix the warning above, or pass -y to istioctl install to accept it");
  }
  output.note(
      "no terminal to confirm on: continuing (--strict, GETMESH_STRICT_INSTALL=1 or \"getmesh "
      "config set strict_install true\" stop instead)");
  return {};
}

Status check_release(Context& context, const manifest::Manifest& manifest,
                     const DistributionName& active, bool skip_confirmation,
                     const std::string& strict) {
  if (manifest.find(active) == nullptr) {
    return confirm_or_continue(context,
                               "the active istioctl " + active.to_string() +
                                   " is not in the manifest of vetted distributions (releases "
                                   "only upstream lists are not vetted); use one the manifest "
                                   "lists (\"getmesh list\", SOURCE manifest)",
                               skip_confirmation, strict);
  }
  const auto latest = manifest::latest_in_group(manifest, active);
  if (latest.latest != nullptr && latest.latest->name > active) {
    const auto target = latest.latest->name.to_string();
    return confirm_or_continue(
        context,
        "the active istioctl " + active.to_string() + " is not the latest patch of " +
            active.group() + ": " + target +
            (latest.security_fix_since ? " includes security fixes" : " is available") +
            "; fetch it with \"getmesh fetch --name " + target + "\"",
        skip_confirmation, strict);
  }
  return {};
}

// The control plane an install replaces in place: the one of its revision ("default" without
// --revision). Installing older than it, or another flavor, is worth a second look.
std::optional<std::string> replacement_warning(const kube::Client& client,
                                               const DistributionName& active,
                                               const ClusterTarget& target) {
  auto planes = mesh::read_control_planes(client, target.istio_namespace);
  if (!planes) {
    return "cannot read the control plane to compare before installing: " + planes.error().message;
  }
  const auto revision =
      target.revision.empty() ? std::string(mesh::kDefaultRevision) : target.revision;
  const auto plane = std::find_if(planes->begin(), planes->end(), [&](const mesh::ControlPlane& p) {
    return p.revision == revision && p.version;
  });
  if (plane == planes->end()) return std::nullopt;
  const auto& running = *plane->version;
  const std::string where = "the control plane of context " + quote(client.config().context) +
                            " (revision " + revision + ")";
  if (running.flavor != active.flavor) {
    return "installing " + active.to_string() + " changes the flavor of " + where + " from " +
           running.flavor + " to " + active.flavor + " (it runs " + running.to_string() + ")";
  }
  if (active < running) {
    return "installing " + active.to_string() + " downgrades " + where + ", which runs " +
           running.to_string();
  }
  return std::nullopt;
}

// The cluster the install targets, asked once for its /version; a cluster that cannot be asked
// is only a warning (istioctl will say more), and the checks that need it are skipped.
struct TargetCluster {
  std::optional<kube::Client> client;
  std::optional<kube::ServerVersion> version;
  std::string context;
};

TargetCluster reach(Context& context, const ClusterTarget& target) {
  TargetCluster cluster;
  auto config = kube::rest_config_for(target.kubeconfig, target.context, context.environment());
  const auto version = [&]() -> Result<kube::ServerVersion> {
    if (!config) return config.error();
    cluster.context = config->context;
    auto client = kube::Client::connect(*config, context.http(), context.environment());
    if (!client) return client.error();
    cluster.client.emplace(std::move(*client));
    return cluster.client->server_version(5000);
  }();
  if (!version) {
    context.output().warn("cannot check the cluster before installing: " + version.error().message);
    return cluster;
  }
  cluster.version = *version;
  return cluster;
}

// A control plane that Helm, a cloud or an operator owns is theirs to change: refused unless
// --force (which istioctl install also understands: proceed despite validation errors).
Status check_owner(Context& context, const TargetCluster& cluster, const ClusterTarget& target,
                   bool force) {
  if (!cluster.version) return {};
  const auto owner =
      mesh::read_identity(*cluster.client, *cluster.version, target.istio_namespace).owner;
  const auto decision = mesh::may_change_control_plane(owner);
  if (decision.allowed) return {};
  if (force) {
    context.output().warn(decision.reason + "; installing anyway because of --force");
    return {};
  }
  return runtime_error("refusing to run istioctl install on context " + quote(cluster.context) +
                           ": " + decision.reason + "; nothing was installed",
                       decision.hint);
}

// The cluster's Kubernetes version against the distribution's supported list.
Status check_kubernetes(Context& context, const manifest::Manifest& manifest,
                        const DistributionName& active, const TargetCluster& cluster,
                        bool skip_confirmation, const std::string& strict) {
  const auto* distribution = manifest.find(active);
  if (distribution == nullptr || distribution->k8s_versions.empty() || !cluster.version) return {};
  const auto& supported = distribution->k8s_versions;
  const auto minor = cluster.version->minor_string();
  if (std::find(supported.begin(), supported.end(), minor) != supported.end()) return {};
  return confirm_or_continue(context,
                             "Kubernetes " + minor + " of context " + quote(cluster.context) +
                                 " is not among the versions " + active.to_string() +
                                 " supports (" + join(supported, ", ") + ")",
                             skip_confirmation, strict);
}

// Every istioctl child goes through here, so -v shows each one.
Result<int> run_istioctl(const std::vector<std::string>& argv,
                         const exec::EnvironmentOverrides& overrides) {
  log::debug("running " + join(argv, " "));
  return exec::run_attached(argv, overrides);
}

// The flags that say which cluster and control plane an install targets, for precheck and
// verify-install (which reject install's other flags; precheck's -f means --from-version).
std::vector<std::string> cluster_flags(const std::vector<std::string>& args) {
  std::vector<std::string> flags;
  const auto forward = [&](const std::vector<std::string>& spellings, const std::string& as) {
    if (auto value = istioctl::flag_value(args, spellings)) flags.insert(flags.end(), {as, *value});
  };
  forward({"--context"}, "--context");
  forward({"-c", "--kubeconfig"}, "--kubeconfig");
  forward({"-r", "--revision"}, "--revision");
  auto istio_namespace = istioctl::flag_value(args, {"-i", "--istioNamespace"});
  for (const auto& assignment : istioctl::flag_values(args, {"--set", "-s"})) {
    const std::string key = "values.global.istioNamespace=";
    if (assignment.starts_with(key)) istio_namespace = assignment.substr(key.size());
  }
  if (istio_namespace) flags.insert(flags.end(), {"--istioNamespace", *istio_namespace});
  return flags;
}

std::vector<std::string> command(const std::string& istioctl, std::vector<std::string> words,
                                 const std::vector<std::string>& flags) {
  words.insert(words.begin(), istioctl);
  words.insert(words.end(), flags.begin(), flags.end());
  return words;
}

}  // namespace

Result<int> run_install(Context& context, const std::string& istioctl,
                        const DistributionName& active, std::vector<std::string> args,
                        const exec::EnvironmentOverrides& overrides, const ClusterTarget& target) {
  const bool skip_confirmation = istioctl::has_flag(args, {"-y", "--skip-confirmation"});
  auto home = context.home();
  if (!home) return home.error();
  // A pipe given with -f is read once: the hub check, precheck, install and verify-install all
  // read the same copy.
  FileSnapshots snapshots((*home)->tmp_dir());
  if (auto stable = snapshots.stabilize_file_flags(args); !stable) return stable.error();
  auto manifest = context.vetted_manifest();  // never the upstream catalogue: see vetted_manifest
  if (!manifest) return manifest.error();
  auto config = context.config();
  if (!config) return config.error();
  context.warn_about_local_istioctl(**manifest, active);
  const auto strict = strict_reason(context, *config);
  const auto cluster = reach(context, target);
  if (auto owned = check_owner(context, cluster, target, istioctl::has_flag(args, {"--force"}));
      !owned) {
    return owned.error();
  }
  if (auto checked = check_release(context, **manifest, active, skip_confirmation, strict);
      !checked) {
    return checked.error();
  }
  if (auto checked =
          check_kubernetes(context, **manifest, active, cluster, skip_confirmation, strict);
      !checked) {
    return checked.error();
  }
  if (cluster.version) {
    if (auto warning = replacement_warning(*cluster.client, active, target)) {
      auto confirmed = confirm_or_continue(context, *warning, skip_confirmation, strict);
      if (!confirmed) return confirmed.error();
    }
  }
  const auto read = [](const std::string& path) -> std::optional<std::string> {
    auto text = read_file(path);
    return text ? std::optional(*text) : std::nullopt;
  };
  if (!config->default_hub.empty() && !istioctl::sets_hub(args, read)) {
    args.push_back("--set");
    args.push_back("hub=" + config->default_hub);
    context.output().note("using the default hub " + config->default_hub +
                          " (see \"getmesh default-hub\")");
  }

  istioctl::Help help(istioctl, overrides);
  const auto precheck = help.locate("precheck");
  const bool verify_install = help.has("verify-install");
  const auto flags = cluster_flags(args);
  if (precheck.empty()) {
    context.output().note("this istioctl has no precheck command; installing without it");
  } else {
    auto checked = run_istioctl(command(istioctl, precheck, flags), overrides);
    if (!checked) return checked.error();
    if (*checked != 0) {
      return runtime_error("istioctl " + join(precheck, " ") + " found problems (exit code " +
                               std::to_string(*checked) + "); nothing was installed",
                           "fix what it reports above, or run " + istioctl +
                               " directly to install without getmesh's checks");
    }
  }
  args.insert(args.begin(), istioctl);
  auto installed = run_istioctl(args, overrides);
  if (!installed || *installed != 0 || !verify_install) return installed;

  auto verify_flags = flags;
  for (const auto& file : istioctl::flag_values(args, {"-f", "--filename"})) {
    verify_flags.insert(verify_flags.end(), {"-f", file});
  }
  if (auto manifests = istioctl::flag_value(args, {"-d", "--manifests"})) {
    verify_flags.insert(verify_flags.end(), {"--manifests", *manifests});
  }
  auto verified = run_istioctl(command(istioctl, {"verify-install"}, verify_flags), overrides);
  if (verified && *verified != 0) {
    context.output().warn(
        "the installation finished, but istioctl verify-install failed (exit code " +
        std::to_string(*verified) + ")");
  }
  return verified;
}

}  // namespace getmesh::cli
