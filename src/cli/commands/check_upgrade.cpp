#include "cli/cluster.hpp"
#include "cli/commands/check_upgrade_report.hpp"
#include "cli/commands/commands.hpp"
#include "cli/structured.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <exception>
#include <thread>

namespace getmesh::cli {

namespace {

struct CheckOptions {
  std::string output;
  std::vector<std::string> contexts;
  bool all_contexts = false;
  std::string istio_namespace = "istio-system";
};

bool is_unreachable(const Error& error) {
  return error.message.starts_with("cannot reach the Kubernetes API server") ||
         error.message.find("did not answer in time") != std::string::npos;
}

// Checks one cluster (`rest`: its resolved configuration, or why there is none); never fails as a
// whole: problems end up in the report.
ClusterReport check_cluster(Context& context, const std::string& context_name,
                            Result<kube::RestConfig> rest, const std::string& istio_namespace,
                            const manifest::Manifest& manifest) {
  const auto start = std::chrono::steady_clock::now();
  ClusterReport report;
  report.context = context_name;
  const auto fail = [&](const Error& error) {
    report.error = error;
    report.unreachable = is_unreachable(error);
    report.elapsed_ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - start)
                                              .count());
    return report;
  };
  if (!rest) return fail(rest.error());
  report.context = rest->context;
  report.server = rest->server;
  auto client = kube::Client::connect(std::move(*rest), context.http(), context.environment());
  if (!client) return fail(client.error());
  auto state = mesh::read_mesh(*client, istio_namespace);
  if (!state) return fail(state.error());
  report.advice = mesh::advise(*state, manifest, CivilDate::today_utc());
  report.state = std::move(*state);
  report.elapsed_ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count());
  return report;
}

// A context of the fleet options, resolved from the kubeconfig already loaded.
Result<kube::RestConfig> rest_config_of(const kube::Kubeconfig& kubeconfig,
                                        const std::string& context_name) {
  auto selection = kube::select_context(kubeconfig, context_name);
  if (!selection) return selection.error();
  return kube::make_rest_config(*selection);
}

// The contexts of --all-contexts or --contexts.
Result<std::vector<std::string>> fleet_contexts(const CheckOptions& options,
                                                const kube::Kubeconfig& kubeconfig) {
  if (options.all_contexts && !options.contexts.empty()) {
    return usage_error("give only one of --context, --contexts and --all-contexts",
                       "for a fleet use --all-contexts or --contexts a,b,c");
  }
  if (options.all_contexts) {
    std::vector<std::string> names;
    for (const auto& entry : kubeconfig.contexts) names.push_back(entry.name);
    if (names.empty()) {
      return runtime_error(
          "--all-contexts: no context is defined in " + kubeconfig.describe_files(),
          "point --kubeconfig or KUBECONFIG at your kubeconfig files");
    }
    return names;
  }
  std::vector<std::string> names;  // each once, in the order given
  for (const auto& name : options.contexts) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  }
  if (names.empty()) {
    return usage_error("--contexts names no context", "give --contexts a,b,c or --all-contexts");
  }
  return names;
}

Result<int> run_check_upgrade(Context& context, const CheckOptions& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  const bool fleet = options.all_contexts || !options.contexts.empty();
  if (fleet && !context.options().context.empty()) {
    return usage_error("give only one of --context, --contexts and --all-contexts",
                       "for a fleet use --all-contexts or --contexts a,b,c");
  }
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();

  std::vector<ClusterReport> reports;
  if (fleet) {
    auto kubeconfig = load_kubeconfig(context);
    if (!kubeconfig) return kubeconfig.error();
    auto names = fleet_contexts(options, *kubeconfig);
    if (!names) return names.error();
    reports.resize(names->size());
    // Credential plugins run in parallel threads; a plugin closing its stdin early must not
    // kill getmesh, and the per-call SIGPIPE handling of exec is not thread-safe.
    std::signal(SIGPIPE, SIG_IGN);
    // An exception (memory running out) ends the run as it would with one cluster: rethrown
    // here, after every thread is joined, never std::terminate inside a thread.
    std::vector<std::exception_ptr> failures(names->size());
    // A thread that cannot start leaves the started ones joined before the exception goes on
    // (a running std::thread destroyed would terminate the process).
    std::vector<std::thread> workers;
    workers.reserve(names->size());
    const auto join_all = [&workers] {
      for (auto& worker : workers) worker.join();
    };
    try {
      for (std::size_t i = 0; i < names->size(); ++i) {
        workers.emplace_back([&, i] {
          try {
            const auto& name = (*names)[i];
            reports[i] = check_cluster(context, name, rest_config_of(*kubeconfig, name),
                                       options.istio_namespace, **manifest);
          } catch (...) {
            failures[i] = std::current_exception();
          }
        });
      }
    } catch (...) {
      join_all();
      throw;
    }
    join_all();
    for (const auto& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
  } else {
    // One cluster: this run's connection, and a plain error (exit 1, 2 for an unknown context).
    auto connection = context.connection();
    if (!connection) return connection.error();
    reports.push_back(check_cluster(context, (*connection)->context(), (*connection)->rest,
                                    options.istio_namespace, **manifest));
    if (reports[0].error) return *reports[0].error;
  }

  auto& out = context.output().out();
  if (*format != Format::kTable) {
    // One shape for one cluster and a fleet.
    nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
    for (const auto& report : reports) clusters.push_back(report_to_json(report));
    out << render_structured(nlohmann::ordered_json{{"clusters", clusters}}, *format);
  } else if (fleet) {
    out << render_fleet(reports, context.output().out_color());
  } else {
    out << render_cluster(reports[0], context.output().out_color());
  }
  return exit_code_of(reports);
}

}  // namespace

Command add_check_upgrade_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<CheckOptions>();
  auto* command = parent.add_subcommand(
      "check-upgrade",
      "Compare the cluster's Istio with the manifest: patches, end of life, skew (exit 3: action "
      "needed)");
  command->add_option("--contexts", options->contexts, "Check these contexts in parallel (a,b,c)")
      ->delimiter(',')
      ->type_name("CONTEXT");
  command->add_flag("--all-contexts", options->all_contexts,
                    "Check every context of the kubeconfig in parallel");
  command
      ->add_option("--istio-namespace", options->istio_namespace,
                   "Namespace of the Istio control plane")
      ->capture_default_str()
      ->check(non_empty_value());
  add_output_option(*command, options->output);
  return {command, [&context, options] { return run_check_upgrade(context, *options); }, true};
}

}  // namespace getmesh::cli
