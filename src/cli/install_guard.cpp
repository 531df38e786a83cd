#include "cli/install_guard.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/istioctl/args.hpp>
#include <getmesh/istioctl/help.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/manifest/resolve.hpp>

#include <algorithm>

namespace getmesh::cli {

namespace {

// Asks to go on after a warning: on a terminal the user decides; in scripts the run continues
// unless config.json sets strict_install, or the user already agreed with -y.
Status confirm_or_continue(Context& context, const std::string& warning, bool skip_confirmation,
                           bool strict) {
  auto& output = context.output();
  output.warn(warning);
  if (skip_confirmation) return {};
  if (output.interactive()) {
    if (output.confirm("Proceed with the installation?")) return {};
    return Error{ErrorKind::kCancelled, "installation cancelled; nothing was installed", ""};
  }
  if (strict) {
    return runtime_error(
        "refusing to install: strict_install is set in config.json and no "
        "terminal is attached to confirm",
        "fix the warning above, or pass -y to istioctl install to accept it");
  }
  output.note(
      "no terminal to confirm on: continuing (set \"strict_install\": true in config.json "
      "to stop instead)");
  return {};
}

Status check_release(Context& context, const manifest::Manifest& manifest,
                     const DistributionName& active, bool skip_confirmation, bool strict) {
  if (manifest.find(active) == nullptr) {
    return confirm_or_continue(context,
                               "the active istioctl " + active.to_string() +
                                   " is not in the manifest of vetted distributions; use one "
                                   "listed by \"getmesh list\"",
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

// The cluster's Kubernetes version against the distribution's supported list. A cluster that
// cannot be asked is only a warning: istioctl will say more.
Status check_kubernetes(Context& context, const manifest::Manifest& manifest,
                        const DistributionName& active, const ClusterTarget& target,
                        bool skip_confirmation, bool strict) {
  const auto* distribution = manifest.find(active);
  if (distribution == nullptr || distribution->k8s_versions.empty()) return {};
  auto config = kube::rest_config_for(target.kubeconfig, target.context, context.environment());
  const auto version = [&]() -> Result<kube::ServerVersion> {
    if (!config) return config.error();
    auto client = kube::Client::connect(*config, context.http(), context.environment());
    if (!client) return client.error();
    return client->server_version(5000);
  }();
  if (!version) {
    context.output().warn("cannot check the cluster's Kubernetes version before installing: " +
                          version.error().message);
    return {};
  }
  const auto& supported = distribution->k8s_versions;
  if (std::find(supported.begin(), supported.end(), version->minor_string()) != supported.end()) {
    return {};
  }
  return confirm_or_continue(context,
                             "Kubernetes " + version->minor_string() + " of context " +
                                 quote(config->context) + " is not among the versions " +
                                 active.to_string() + " supports (" + join(supported, ", ") + ")",
                             skip_confirmation, strict);
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
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();
  auto config = context.config();
  if (!config) return config.error();
  if (auto checked =
          check_release(context, **manifest, active, skip_confirmation, config->strict_install);
      !checked) {
    return checked.error();
  }
  if (auto checked = check_kubernetes(context, **manifest, active, target, skip_confirmation,
                                      config->strict_install);
      !checked) {
    return checked.error();
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
    auto checked = exec::run_attached(command(istioctl, precheck, flags), overrides);
    if (!checked) return checked.error();
    if (*checked != 0) {
      return runtime_error("istioctl " + join(precheck, " ") + " found problems (exit code " +
                               std::to_string(*checked) + "); nothing was installed",
                           "fix what it reports above, or run " + istioctl +
                               " directly to install without getmesh's checks");
    }
  }
  args.insert(args.begin(), istioctl);
  auto installed = exec::run_attached(args, overrides);
  if (!installed || *installed != 0 || !verify_install) return installed;

  auto verify_flags = flags;
  for (const auto& file : istioctl::flag_values(args, {"-f", "--filename"})) {
    verify_flags.insert(verify_flags.end(), {"-f", file});
  }
  if (auto manifests = istioctl::flag_value(args, {"-d", "--manifests"})) {
    verify_flags.insert(verify_flags.end(), {"--manifests", *manifests});
  }
  auto verified =
      exec::run_attached(command(istioctl, {"verify-install"}, verify_flags), overrides);
  if (verified && *verified != 0) {
    context.output().warn(
        "the installation finished, but istioctl verify-install failed (exit code " +
        std::to_string(*verified) + ")");
  }
  return verified;
}

}  // namespace getmesh::cli
