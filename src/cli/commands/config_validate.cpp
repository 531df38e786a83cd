#include "cli/cluster.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/config_validate_render.hpp"
#include "cli/structured.hpp"

#include <getmesh/core/build_info.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
#include <getmesh/validate/kube_source.hpp>
#include <getmesh/validate/validate.hpp>

#include <filesystem>

namespace getmesh::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string namespace_;
  bool all_namespaces = false;
  bool offline = false;
  std::string output_threshold = "Info";
  std::string failure_threshold = "Error";
  std::string output;
  bool istioctl = false;
  bool alpha_annotations = false;
  bool skip_wildcard_gateway_hosts = false;
  bool read_secrets = false;
};

constexpr int kFindingsExitCode = 3;

Result<validate::Severity> parse_threshold(const std::string& flag, const std::string& text) {
  if (auto severity = validate::parse_severity(text); severity && text != "Warn") return *severity;
  return usage_error("invalid " + flag + " " + quote(text), "use Error, Warning or Info");
}

Result<std::string> read_stdin() {
  auto text = read_file("/dev/stdin", validate::kMaxFileBytes);
  if (!text) return runtime_error("cannot read standard input");
  return text;
}

// The istioctl analyze run for --istioctl: the active istioctl and the same inputs.
Result<validate::IstioctlRequest> istioctl_request(Context& context, const ValidateOptions& options,
                                                   const validate::Request& request) {
  auto active = context.active();
  if (!active) return active.error();
  if (!*active) return context.nothing_active().with_context("--istioctl needs an active istioctl");
  auto home = context.home();
  if (!home) return home.error();
  const auto path = (*home)->istioctl((*active)->name);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return runtime_error("the active istioctl " + (*active)->name.to_string() +
                             " is not fetched (" + path.string() + ")",
                         "run \"getmesh fetch --name " + (*active)->name.to_string() + "\"");
  }
  validate::IstioctlRequest istioctl;
  istioctl.istioctl = path.string();
  istioctl.paths = options.paths;
  istioctl.namespace_ = options.namespace_;
  istioctl.all_namespaces = options.namespace_.empty();
  istioctl.offline = request.cluster == nullptr;
  if (!istioctl.offline) {
    // The files and context this run resolved (the same kubeconfig lookup as istioctl's).
    auto connection = context.connection();
    if (!connection) return connection.error();
    istioctl.kubeconfig = context.options().kubeconfig;
    istioctl.context = (*connection)->context();
  }
  return istioctl;
}

// The cluster to validate against, or none when the files are the whole world: with --offline,
// when no kubeconfig context exists at all, and when files are given but the cluster cannot be
// reached (a warning says so). A cluster that answers must be usable: a cluster that rejects the
// credentials, or a kubeconfig or context that does not exist, is an error.
Result<std::optional<kube::Client>> cluster_client(Context& context,
                                                   const ValidateOptions& options) {
  if (options.offline) return std::optional<kube::Client>();
  auto config = load_kubeconfig(context);
  if (!config) return config.error();
  const bool named = !context.options().kubeconfig.empty() || !context.options().context.empty();
  if (!named && config->current_context.empty()) {
    if (!options.paths.empty()) {
      context.output().note("no Kubernetes context is configured; validating the files alone");
    }
    return std::optional<kube::Client>();
  }
  auto client = connect_cluster(context);
  if (!client) return client.error();
  if (auto reached = client->server_version(validate::kReachTimeoutMs); !reached) {
    if (!reached.error().transient || options.paths.empty()) return reached.error();
    context.output().warn(reached.error().message + "; validating the files alone");
    return std::optional<kube::Client>();
  }
  return std::optional<kube::Client>(std::move(*client));
}

// The namespace of the kubeconfig context in use, when one resolves; offline too, as istioctl
// analyze reads it without a cluster. A kubeconfig that cannot be used leaves "default".
std::string context_namespace(Context& context) {
  auto connection = context.connection();
  return connection ? (*connection)->rest.namespace_name : std::string();
}

void print_diagnostics(Output& output, const validate::Report& report) {
  for (const auto& problem : report.problems) output.error(runtime_error(problem.to_string()));
  for (const auto& warning : report.warnings) output.warn(warning);
  for (const auto& note : report.notes) output.note(note);
}

Result<int> run_config_validate(Context& context, const ValidateOptions& options) {
  const bool sarif = options.output == "sarif";
  Format format = Format::kTable;
  if (!sarif) {
    auto parsed = parse_format(options.output);
    if (!parsed) return usage_error(parsed.error().message, "use -o table, json, yaml or sarif");
    format = *parsed;
  }
  auto output_threshold = parse_threshold("--output-threshold", options.output_threshold);
  if (!output_threshold) return output_threshold.error();
  auto failure_threshold = parse_threshold("--failure-threshold", options.failure_threshold);
  if (!failure_threshold) return failure_threshold.error();
  if (options.all_namespaces && !options.namespace_.empty()) {
    return usage_error("-n/--namespace and -A/--all-namespaces exclude each other");
  }
  if (options.read_secrets && options.offline) {
    return usage_error(
        "--read-secrets reads Secrets from the cluster, which --offline leaves alone",
        "Secrets in the files are always read in full; drop one of the flags");
  }
  auto& output = context.output();
  auto client = cluster_client(context, options);
  if (!client) return client.error();
  if (options.paths.empty() && !*client) {
    return usage_error(
        "nothing to validate: give YAML files, folders or - (standard input)" +
            std::string(options.offline ? "" : ", or a cluster (no kubeconfig context is set)"),
        "e.g. getmesh config-validate --offline manifests/");
  }
  std::optional<validate::KubeResourceSource> cluster;
  if (*client) cluster.emplace(**client);

  validate::Request request;
  request.cluster = cluster ? &*cluster : nullptr;
  request.read_secrets = options.read_secrets;
  request.paths = options.paths;
  request.namespace_ = options.namespace_;
  request.context_namespace = context_namespace(context);
  request.read_stdin = read_stdin;
  request.alpha_annotations = options.alpha_annotations;
  request.skip_wildcard_gateway_hosts = options.skip_wildcard_gateway_hosts;
  if (options.istioctl) {
    auto istioctl = istioctl_request(context, options, request);
    if (!istioctl) return istioctl.error();
    request.istioctl = std::move(*istioctl);
  }
  auto report = validate::validate(request);
  if (!report) return report.error();
  print_diagnostics(output, *report);

  std::vector<validate::Finding> shown;
  bool failed = false;
  for (const auto& finding : report->findings) {
    failed = failed || validate::reaches(finding, *failure_threshold);
    if (validate::reaches(finding, *output_threshold)) shown.push_back(finding);
  }
  if (sarif) {
    output.out() << render_findings_sarif(with_input_errors(shown, report->problems),
                                          std::string(build_info().version));
  } else if (format != Format::kTable) {
    output.out() << render_findings_json(with_input_errors(shown, report->problems),
                                         format == Format::kYaml);
  } else if (shown.empty() && report->problems.empty()) {
    output.out() << "Your Istio configurations are healthy. Configuration issues not found.\n";
  } else if (shown.empty() && report->objects > 0) {
    output.out() << "Configuration issues not found in the objects that could be read.\n";
  } else if (!shown.empty()) {
    output.out()
        << render_findings_table(shown, options.namespace_.empty()) << "\n"
        << "The error codes of the found issues are prefixed by 'IST' or 'KIA'. For the detailed "
           "explanation, please refer to\n"
           "- https://istio.io/latest/docs/reference/config/analysis/ for 'IST' error codes\n"
           "- https://kiali.io/docs/features/validations/ for 'KIA' error codes\n";
  }
  if (shown.size() < report->findings.size()) {
    output.note(counted(report->findings.size() - shown.size(), "finding") + " below " +
                options.output_threshold + " not shown");
  }
  if (!report->problems.empty() && report->objects == 0) {
    return runtime_error(counted(report->problems.size(), "input problem") +
                             " above; nothing could be read, so nothing was validated",
                         "give YAML files or folders that exist and can be read, or - for "
                         "standard input");
  }
  if (!report->problems.empty()) {
    return runtime_error(counted(report->problems.size(), "input problem") +
                         " above; the readable objects were still validated");
  }
  return failed ? kFindingsExitCode : 0;
}

}  // namespace

Command add_config_validate_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<ValidateOptions>();
  auto* command = parent.add_subcommand(
      "config-validate",
      "Check Istio configuration files (and the cluster) with Istio's and Kiali's rules");
  command
      ->add_option("paths", options->paths,
                   "YAML files, folders (.yaml/.yml, recursive) or - for stdin")
      ->type_name("PATH");
  command->add_option("-n,--namespace", options->namespace_,
                      "Only report objects of this namespace; objects without one are put in it");
  command->add_flag("-A,--all-namespaces", options->all_namespaces,
                    "Report objects of every namespace (default)");
  command->add_flag("--offline", options->offline,
                    "Validate the files alone; the cluster is not contacted");
  command
      ->add_option("--output-threshold", options->output_threshold,
                   "Show findings at or above: Error, Warning or Info (default Info)")
      ->type_name("Error|Warning|Info");
  command
      ->add_option(
          "--failure-threshold", options->failure_threshold,
          "Exit with 3 when a finding is at or above: Error, Warning or Info (default Error)")
      ->type_name("Error|Warning|Info");
  add_output_option(*command, options->output, "table|json|yaml|sarif");
  command->add_flag("--istioctl", options->istioctl,
                    "Also run the active istioctl's analyze and merge its findings");
  command->add_flag("--alpha-annotations", options->alpha_annotations,
                    "Also report annotations of alpha-phase Istio features (IST0136)");
  command->add_flag("--skip-wildcard-gateway-hosts", options->skip_wildcard_gateway_hosts,
                    "Do not report a Gateway host \"*\" as colliding with the other hosts of its "
                    "selector and port (KIA0301), as Kiali's "
                    "validations.skip_wildcard_gateway_hosts does");
  command->add_flag("--read-secrets", options->read_secrets,
                    "Read the data of the Secrets Gateways name as credentialName, to check their "
                    "certificates (IST0161); by default Secrets are read as metadata only");
  return {command, [&context, options] { return run_config_validate(context, *options); }, true};
}

}  // namespace getmesh::cli
