#include "cli/passthrough.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/istioctl/args.hpp>
#include <getmesh/manifest/resolve.hpp>
#include <getmesh/store/installed.hpp>

#include <cstring>

namespace getmesh::cli {

namespace {

Result<std::string> active_istioctl(Context& context, DistributionName& name) {
  auto active = context.active();
  if (!active) return active.error();
  if (!*active) {
    return runtime_error("no istioctl is active yet",
                         "fetch one with \"getmesh fetch\" (see \"getmesh list\")");
  }
  auto home = context.home();
  if (!home) return home.error();
  name = (*active)->name;
  if (!store::is_installed(**home, name)) {
    return runtime_error("the active istioctl " + name.to_string() + " (from " + (*active)->origin +
                             ") is not fetched",
                         "run \"getmesh fetch --name " + name.to_string() + "\"");
  }
  return (*home)->istioctl(name).string();
}

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

Status check_install(Context& context, const DistributionName& active, bool skip_confirmation) {
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();
  auto config = context.config();
  if (!config) return config.error();
  if ((*manifest)->find(active) == nullptr) {
    return confirm_or_continue(context,
                               "the active istioctl " + active.to_string() +
                                   " is not in the manifest of vetted distributions; use one "
                                   "listed by \"getmesh list\"",
                               skip_confirmation, config->strict_install);
  }
  const auto latest = manifest::latest_in_group(**manifest, active);
  if (latest.latest != nullptr && latest.latest->name > active) {
    const auto target = latest.latest->name.to_string();
    return confirm_or_continue(
        context,
        "the active istioctl " + active.to_string() + " is not the latest patch of " +
            active.group() + ": " + target +
            (latest.security_fix_since ? " includes security fixes" : " is available") +
            "; fetch it with \"getmesh fetch --name " + target + "\"",
        skip_confirmation, config->strict_install);
  }
  return {};
}

Result<int> run_install(Context& context, const std::string& istioctl,
                        const DistributionName& active, std::vector<std::string> args,
                        const exec::EnvironmentOverrides& overrides) {
  const bool skip_confirmation = istioctl::has_flag(args, {"-y", "--skip-confirmation"});
  if (auto checked = check_install(context, active, skip_confirmation); !checked) {
    return checked.error();
  }
  auto config = context.config();
  if (!config) return config.error();
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
  args.insert(args.begin(), istioctl);
  return exec::run_attached(args, overrides);
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
    if ((arg == "-c" || arg == "--kubeconfig") && i + 1 < argc) {
      request.kubeconfig = argv[++i];
    } else if (arg.starts_with("--kubeconfig=")) {
      request.kubeconfig = arg.substr(std::strlen("--kubeconfig="));
    } else if (arg == "--manifest" && i + 1 < argc) {
      request.manifest = argv[++i];
    } else if (arg.starts_with("--manifest=")) {
      request.manifest = arg.substr(std::strlen("--manifest="));
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Result<int> run_passthrough(Context& context, const PassthroughRequest& request) {
  DistributionName active;
  auto istioctl = active_istioctl(context, active);
  if (!istioctl) return istioctl.error();
  exec::EnvironmentOverrides overrides;
  if (!request.kubeconfig.empty()) overrides["KUBECONFIG"] = request.kubeconfig;
  if (istioctl::is_install(request.args)) {
    return run_install(context, *istioctl, active, request.args, overrides);
  }
  std::vector<std::string> argv{*istioctl};
  argv.insert(argv.end(), request.args.begin(), request.args.end());
  return exec::replace_process(argv, overrides);
}

}  // namespace getmesh::cli
