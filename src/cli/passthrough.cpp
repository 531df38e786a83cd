#include "cli/passthrough.hpp"

#include "cli/cluster_target.hpp"
#include "cli/install_guard.hpp"
#include "cli/istioctl_match.hpp"

#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/istioctl/args.hpp>
#include <getmesh/kube/kubeconfig.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/receipt.hpp>

#include <cstring>

namespace getmesh::cli {

namespace {

Result<Active> active_distribution(Context& context) {
  auto active = context.active();
  if (!active) return active.error();
  if (!*active) return context.nothing_active();
  return **active;
}

// Commands that do not talk to a control plane, or choose the version themselves (an install or
// upgrade is how the cluster gets a new minor), skip the version comparison.
bool compares_versions(const std::vector<std::string>& args) {
  if (istioctl::has_flag(args, {"-h", "--help"})) return false;
  const auto index = istioctl::subcommand_index(args);
  if (!index) return false;
  const auto& command = args[*index];
  return command != "install" && command != "upgrade" && command != "help" &&
         command != "completion";
}

// getmesh's own --context (before "istioctl") must name a context of the kubeconfig, as for every
// command that talks to a cluster: an unknown one is a usage error naming the defined ones. The
// kubeconfig is read only when --context is given, so the fast path stays fast.
Status check_named_context(const PassthroughRequest& request, const Environment& environment) {
  if (request.context.empty()) return {};
  auto config = kube::load_kubeconfig(kube::locate_kubeconfig(request.kubeconfig, environment));
  if (!config) return config.error();
  auto selection = kube::select_context(*config, request.context);
  if (!selection && selection.error().kind == ErrorKind::kUsage) return selection.error();
  return {};
}

}  // namespace

Result<std::string> fetched_istioctl(Context& context, const DistributionName& name,
                                     const std::string& origin, bool pinned) {
  auto home = context.home();
  if (!home) return home.error();
  if (!store::is_installed(**home, name)) {
    return runtime_error(
        "the active istioctl " + name.to_string() + " (from " + origin + ") is not fetched",
        pinned ? "run \"getmesh fetch\" in this directory"
               : "run \"getmesh fetch --name " + name.to_string() + "\"");
  }
  auto config = context.config();
  if (!config) return config.error();
  if (config->require_checksum) {
    if (auto verified = store::check_verified(**home, name); !verified) return verified.error();
  }
  // verify_on_exec: size and modification time against the install receipt (no hashing).
  if (config->verify_on_exec) {
    if (auto unchanged = store::check_unchanged(**home, name); !unchanged) return unchanged.error();
  }
  return (*home)->istioctl(name).string();
}

std::optional<PassthroughRequest> parse_passthrough(int argc, char** argv) {
  PassthroughRequest request;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "istioctl") {
      request.args.assign(argv + i + 1, argv + argc);
      return request;
    }
    const auto take = [&](const char* flag, std::string& target) {
      const std::string prefix = std::string(flag) + "=";
      if (arg == flag && i + 1 < argc) {
        target = argv[++i];
        return true;
      }
      if (arg.starts_with(prefix)) {
        target = arg.substr(prefix.size());
        return true;
      }
      return false;
    };
    if (arg == "-c" && i + 1 < argc) {
      request.kubeconfig = argv[++i];
    } else if (arg == "--strict") {
      request.strict = true;
    } else if (arg == "-v" || arg == "--verbose") {
      request.verbose = true;
    } else if (arg == "--offline") {
      continue;  // the passthrough never asks upstream anyway
    } else if (!take("--kubeconfig", request.kubeconfig) && !take("--manifest", request.manifest) &&
               !take("--context", request.context)) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Result<int> run_passthrough(Context& context, const PassthroughRequest& request) {
  if (auto named = check_named_context(request, context.environment()); !named) {
    return named.error();
  }
  auto active = active_distribution(context);
  if (!active) return active.error();
  std::vector<std::string> args = request.args;
  if (!request.context.empty()) args.insert(args.begin(), {"--context", request.context});
  const auto target = target_of(request.kubeconfig, request.context, args);

  auto config = context.config();
  if (!config) return config.error();
  // Only auto_select may run another istioctl than the active one: otherwise a missing one is
  // reported before anything is said about the cluster.
  const bool may_choose = config->auto_select && !active->pinned;
  std::optional<std::string> active_istioctl;
  if (!may_choose) {
    auto fetched = fetched_istioctl(context, active->name, active->origin, active->pinned);
    if (!fetched) return fetched.error();
    active_istioctl = std::move(*fetched);
  }
  auto chosen = active->name;
  if (compares_versions(args))
    chosen = choose_istioctl(context, *active, target, config->auto_select);
  Result<std::string> istioctl =
      chosen != active->name ? fetched_istioctl(context, chosen, "auto_select")
      : active_istioctl      ? Result<std::string>(*active_istioctl)
                             : fetched_istioctl(context, chosen, active->origin, active->pinned);
  if (!istioctl) return istioctl.error();
  exec::EnvironmentOverrides overrides;
  if (!request.kubeconfig.empty()) overrides["KUBECONFIG"] = request.kubeconfig;
  // `install --help` only prints istioctl's help: no checks, hub, precheck or verify-install, as
  // the original did (scripts run it to read the flags).
  if (istioctl::is_install(args) && !istioctl::has_flag(args, {"-h", "--help"})) {
    return run_install(context, *istioctl, chosen, args, overrides, target);
  }
  args.insert(args.begin(), *istioctl);
  log::debug("running " + join(args, " "));
  return exec::replace_process(args, overrides);
}

}  // namespace getmesh::cli
