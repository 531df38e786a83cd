#include "cli/passthrough.hpp"

#include "cli/cluster_target.hpp"
#include "cli/install_guard.hpp"
#include "cli/istioctl_match.hpp"

#include <getmesh/exec/process.hpp>
#include <getmesh/istioctl/args.hpp>
#include <getmesh/store/installed.hpp>

#include <cstring>

namespace getmesh::cli {

namespace {

Result<Active> active_distribution(Context& context) {
  auto active = context.active();
  if (!active) return active.error();
  if (!*active) {
    return runtime_error("no istioctl is active yet",
                         "fetch one with \"getmesh fetch\" (see \"getmesh list\")");
  }
  return **active;
}

// The istioctl of `name`; under the checksum policy only when its install was verified.
Result<std::string> fetched_istioctl(Context& context, const DistributionName& name,
                                     const std::string& origin, bool require_checksum) {
  auto home = context.home();
  if (!home) return home.error();
  if (!store::is_installed(**home, name)) {
    return runtime_error(
        "the active istioctl " + name.to_string() + " (from " + origin + ") is not fetched",
        "run \"getmesh fetch --name " + name.to_string() + "\"");
  }
  if (require_checksum) {
    if (auto verified = store::check_verified(**home, name); !verified) return verified.error();
  }
  return (*home)->istioctl(name).string();
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

}  // namespace

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
    } else if (!take("--kubeconfig", request.kubeconfig) && !take("--manifest", request.manifest) &&
               !take("--context", request.context)) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Result<int> run_passthrough(Context& context, const PassthroughRequest& request) {
  auto active = active_distribution(context);
  if (!active) return active.error();
  std::vector<std::string> args = request.args;
  if (!request.context.empty()) args.insert(args.begin(), {"--context", request.context});
  const auto target = target_of(request.kubeconfig, request.context, args);

  auto config = context.config();
  if (!config) return config.error();
  auto chosen = active->name;
  if (compares_versions(args))
    chosen = choose_istioctl(context, *active, target, config->auto_select);
  auto istioctl =
      fetched_istioctl(context, chosen, chosen == active->name ? active->origin : "auto_select",
                       config->require_checksum);
  if (!istioctl) return istioctl.error();
  exec::EnvironmentOverrides overrides;
  if (!request.kubeconfig.empty()) overrides["KUBECONFIG"] = request.kubeconfig;
  if (istioctl::is_install(args)) {
    return run_install(context, *istioctl, chosen, args, overrides, target);
  }
  args.insert(args.begin(), *istioctl);
  return exec::replace_process(args, overrides);
}

}  // namespace getmesh::cli
