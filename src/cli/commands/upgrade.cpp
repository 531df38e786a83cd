#include "cli/cluster.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/upgrade_helm.hpp"
#include "cli/commands/upgrade_render.hpp"
#include "cli/fetch_distribution.hpp"
#include "cli/file_snapshots.hpp"
#include "cli/structured.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/mesh/identity.hpp>
#include <getmesh/upgrade/apply.hpp>
#include <getmesh/upgrade/binding.hpp>
#include <getmesh/upgrade/session.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>

namespace getmesh::cli {

namespace {

constexpr int kExitStoppedAtGate = 3;

// Flags shared by `upgrade` and its subcommands.
struct ClusterFlags {
  std::string istio_namespace = "istio-system";
  std::string timeout;  // empty: the plan's
  bool yes = false;
  bool take_over = false;  // end another run's claim on the record by hand
  std::string output;
  std::string helm;        // --helm: the helm of a Helm-installed mesh
  std::string chart_repo;  // --chart-repo: where its charts come from
};

struct UpgradeFlags {
  ClusterFlags cluster;
  std::string from;
  upgrade::TargetRequest target;
  std::vector<std::string> files;
  std::vector<std::string> sets;
  int batch = 1;
  bool dry_run = false;
  bool remove_old = false;
  bool force = false;          // upgrade a control plane another tool owns
  bool ztunnel_drain = false;  // replace ztunnel node by node, each node cordoned and drained
};

// A control plane that Helm, a cloud or an operator owns is theirs to upgrade, as for
// `istioctl install`: refused unless --force.
Status check_owner(Context& context, const kube::Client& client, const std::string& istio_namespace,
                   const std::string& cluster_context, bool force) {
  auto decision = mesh::may_change_control_plane(client, istio_namespace);
  if (!decision) return decision.error();
  if (decision->allowed) return {};
  if (force) {
    context.output().warn(decision->reason + "; upgrading anyway because of --force");
    return {};
  }
  return runtime_error("refusing to upgrade the control plane of context " +
                           quote(cluster_context) + ": " + decision->reason +
                           "; nothing was changed",
                       decision->hint);
}

// What stops the real run of `plan` before it changes anything, in the order it checks: a dry run
// reports each (and exits as the real run would), so a plan that cannot run does not look fine.
Result<std::vector<Error>> blocking_problems(const kube::Client& client, const upgrade::Plan& plan,
                                             const std::string& istio_namespace,
                                             const std::string& cluster_context, bool resumed,
                                             bool force) {
  std::vector<Error> problems;
  if (auto applicable = upgrade::check_applicable(plan); !applicable) {
    problems.push_back(applicable.error());
  }
  if (!resumed && !force && !plan.helm) {  // a Helm mesh is upgraded with helm, its owner
    auto decision = mesh::may_change_control_plane(client, istio_namespace);
    if (!decision) return decision.error();
    if (!decision->allowed) {
      problems.push_back(
          runtime_error("the real run would refuse to upgrade the control plane of "
                        "context " +
                            quote(cluster_context) + ": " + decision->reason,
                        decision->hint));
    }
  }
  return problems;
}

int exit_code_of(const Error& error) { return error.kind == ErrorKind::kUsage ? 2 : 1; }

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Prints a line when a step starts and one when it ends; while a gate waits, a status line on
// the terminal (never in scripts).
class StepPrinter {
 public:
  explicit StepPrinter(Output& output) : output_(output) {}

  void attach(upgrade::Runtime& runtime) {
    runtime.step_started = [this](int number, int total, const upgrade::Step& step) {
      clear();
      output_.out() << "[" << number << "/" << total << "] " << escape_control(step.title) << "\n"
                    << std::flush;
    };
    runtime.step_finished = [this](const upgrade::Step&, const std::string& result) {
      clear();
      output_.out() << "      " << escape_control(result) << "\n" << std::flush;
    };
    runtime.detail = [this](const std::string& text) {
      clear();
      output_.out() << "      " << escape_control(text) << "\n" << std::flush;
    };
    runtime.waiting = [this](const std::string& text) {
      if (!output_.progress()) return;
      output_.err() << "\r\033[K" << escape_control(text.substr(0, 100), true) << std::flush;
      shown_ = true;
    };
    runtime.note = [this](const std::string& text) {
      clear();
      output_.note(text);
    };
  }

  void clear() {
    if (!shown_) return;
    output_.err() << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  Output& output_;
  bool shown_ = false;
};

// The run's connection, a client made from it, and the identity of the cluster it reaches.
struct Connected {
  const kube::Connection* connection = nullptr;
  kube::Client client;
  kube::ClusterIdentity identity;
  std::string context;
};

Result<Connected> connect(Context& context) {
  auto connection = context.connection();
  if (!connection) return connection.error();
  auto client = connect_cluster(context);
  if (!client) return client.error();
  auto identity = kube::identify_cluster(*client);
  if (!identity) return identity.error();
  return Connected{*connection, std::move(*client), std::move(*identity), (*connection)->context()};
}

// Refuses a record of another cluster (upgrade::check_binding). A record from before identities
// were kept is bound by its server URL; the UID is recorded at its next save.
Status bind_record(Context& context, const Connected& cluster, upgrade::Record& record) {
  auto binding = upgrade::check_binding(record.plan, cluster.identity);
  if (!binding) return binding.error();
  if (*binding == upgrade::Binding::kServerOnly) {
    context.output().note("the upgrade record predates cluster identities: it is bound to " +
                          cluster.identity.server + " by its URL alone; the kube-system UID is " +
                          "recorded from now on");
    record.plan.cluster_uid = cluster.identity.uid;
  }
  return {};
}

Status confirm(Context& context, bool yes, const std::string& question,
               const std::string& command) {
  if (yes) return {};
  auto& output = context.output();
  if (!output.interactive()) {
    return usage_error(command + " changes the cluster and no terminal is attached to confirm",
                       "pass --yes to go ahead (see what it does first with \"getmesh upgrade "
                       "--dry-run\" or \"getmesh upgrade status\")");
  }
  if (output.confirm(question)) return {};
  return Error{ErrorKind::kCancelled, "cancelled; nothing was changed", ""};
}

// --take-over: asks before ending another run's claim (--yes answers); false when no run holds
// the record, so there is nothing to end.
Result<bool> confirm_take_over(Context& context, const ClusterFlags& flags,
                               const upgrade::Record& record) {
  if (!flags.take_over) return false;
  if (!record.holder) {
    context.output().note("--take-over: no run holds the upgrade, so there is no claim to end");
    return false;
  }
  const auto& holder = *record.holder;
  if (auto confirmed = confirm(
          context, flags.yes,
          "End the claim of the getmesh run with pid " + std::to_string(holder.pid) + " on " +
              quote(holder.host) + " (last renewed " + format_rfc3339(holder.renewed_at) +
              ") and take over the upgrade? If that run is still working, it stops at its next "
              "write, but an istioctl it started may still be changing the cluster.",
          "--take-over");
      !confirmed) {
    return confirmed.error();
  }
  return true;
}

Result<upgrade::Runtime> make_runtime(Context& context, const Connected& cluster) {
  auto home = context.home();
  if (!home) return home.error();
  upgrade::Runtime runtime;
  runtime.client = &cluster.client;
  for (const auto& [name, value] : cluster.connection->child_environment()) {
    runtime.istioctl_environment[name] = value;
  }
  runtime.istioctl_cluster = cluster.connection->child_arguments();
  runtime.istioctl_for = [&context](const DistributionName& name) -> Result<std::string> {
    auto manifest = context.manifest();
    if (!manifest) return manifest.error();
    auto path = ensure_fetched(context, **manifest, name);
    if (!path) return path.error();
    return path->string();
  };
  runtime.work_dir = (*home)->tmp_dir() / "upgrade";
  if (auto value = context.environment().get("GETMESH_UPGRADE_RENEW_SECONDS")) {
    if (auto seconds = parse_non_negative(*value); seconds && *seconds > 0) {
      runtime.renew_every = std::chrono::seconds(*seconds);
    }
  }
  return runtime;
}

// Renders how a run ended: a summary (exit 0) or the gate that stopped it (exit 3).
Result<int> report_outcome(Context& context, const Result<upgrade::Outcome>& outcome,
                           const std::string& again) {
  auto& output = context.output();
  if (!outcome && outcome.error().kind == ErrorKind::kCancelled) {
    // Ctrl-C during a --ztunnel-drain, cleaned up after (the nodes uncordoned): 130, as a shell
    // reports it.
    output.error(outcome.error());
    return interrupted_exit_code();
  }
  if (!outcome) return outcome.error();
  if (outcome->ending == upgrade::Ending::kStoppedAtGate) {
    const bool rolling_back = again == "getmesh upgrade rollback";
    output.error({ErrorKind::kRuntime, "stopped at a gate: " + outcome->message,
                  "nothing is broken and the state is kept; run \"" + again +
                      "\" again to continue (a longer --timeout waits more)" +
                      (rolling_back ? std::string() : ", or \"getmesh upgrade rollback\"")});
    return kExitStoppedAtGate;
  }
  output.out() << "\n" << escape_control(outcome->message) << "\n";
  return 0;
}

Status apply_timeout(const ClusterFlags& flags, upgrade::Plan& plan) {
  if (flags.timeout.empty()) return {};
  auto seconds = parse_duration_seconds(flags.timeout, "--timeout");
  if (!seconds) return seconds.error();
  plan.timeout_seconds = *seconds;
  return {};
}

Result<int> run_upgrade(Context& context, UpgradeFlags flags) {
  auto format = parse_format(flags.cluster.output);
  if (!format) return format.error();
  if (*format != Format::kTable && !flags.dry_run) {
    return usage_error("-o json prints the plan: it needs --dry-run",
                       "use \"getmesh upgrade --dry-run -o json\", or \"getmesh upgrade status -o "
                       "json\" for an upgrade in progress");
  }
  if (flags.batch < 1) {
    return usage_error("--batch must be at least 1",
                       "e.g. --batch 2 restarts two namespaces at a time");
  }
  auto home = context.home();
  if (!home) return home.error();
  // A pipe given with -f is read once; the checks and istioctl read the same private copy, which
  // lasts as long as this run.
  FileSnapshots snapshots((*home)->tmp_dir() / "upgrade");
  for (auto& file : flags.files) {
    auto stable = snapshots.stable_path(file);
    if (!stable) return stable.error();
    file = std::move(*stable);
  }
  upgrade::PlanRequest request;
  request.from_revision = flags.from;
  request.target = flags.target;
  // Absolute: the plan is recorded, and a resume may run from another folder.
  for (const auto& file : flags.files) {
    request.files.push_back(std::filesystem::absolute(file).lexically_normal().string());
  }
  request.sets = flags.sets;
  request.batch_size = flags.batch;
  request.remove_old = flags.remove_old;
  request.ztunnel_drain = flags.ztunnel_drain;
  if (!flags.cluster.timeout.empty()) {
    auto seconds = parse_duration_seconds(flags.cluster.timeout, "--timeout");
    if (!seconds) return seconds.error();
    request.timeout_seconds = *seconds;
  }
  for (const auto& file : flags.files) {
    if (auto readable = read_file(file); !readable) {
      return usage_error("-f " + file + ": " + readable.error().message,
                         "give the IstioOperator file the mesh was installed with");
    }
  }
  auto config = context.config();
  if (!config) return config.error();
  request.default_hub = config->default_hub;
  auto manifest = context.manifest();
  if (!manifest) return manifest.error();
  auto cluster = connect(context);
  if (!cluster) return cluster.error();
  request.context = cluster->context;
  request.server = cluster->identity.server;
  request.cluster_uid = cluster->identity.uid;
  auto state = mesh::read_mesh(cluster->client, flags.cluster.istio_namespace);
  if (!state) return state.error();
  // A Helm-installed control plane is upgraded with Helm (--force: the istioctl way, as before).
  std::optional<HelmSetup> helm;
  if (!flags.force) {
    auto helm_owned = helm_owns_control_plane(cluster->client, flags.cluster.istio_namespace);
    if (!helm_owned) return helm_owned.error();
    if (*helm_owned) {
      auto setup =
          set_up_helm(context, flags.cluster.helm, flags.cluster.chart_repo, cluster->context);
      if (!setup) return setup.error();
      auto releases = read_helm_releases(context, *setup);
      if (!releases) return releases.error();
      request.helm_releases = std::move(*releases);
      request.chart_repo = setup->chart_repo;
      helm = std::move(*setup);
    }
  }
  const auto read = [](const std::string& path) -> std::optional<std::string> {
    auto text = read_file(path);
    return text ? std::optional(*text) : std::nullopt;
  };
  auto prepared =
      upgrade::prepare(cluster->client, *state, **manifest, CivilDate::today_utc(), request, read);
  if (!prepared) return prepared.error();
  auto& output = context.output();
  if (!prepared->in_progress && !prepared->plan) {
    if (*format != Format::kTable) {
      output.out() << render_structured(
          {{"plan", nullptr}, {"nothing_to_do", prepared->nothing_to_do}}, *format);
    } else {
      output.out() << "Nothing to upgrade: " << escape_control(prepared->nothing_to_do) << "\n";
    }
    return 0;
  }
  upgrade::Record* resumed = prepared->in_progress ? &*prepared->in_progress : nullptr;
  upgrade::Plan& plan = resumed != nullptr ? resumed->plan : *prepared->plan;
  if (plan.helm) {
    plan.helm->kubeconfig = context.options().kubeconfig;
    plan.helm->kube_context = cluster->context;
  }
  if (resumed != nullptr) {
    if (auto bound = bind_record(context, *cluster, *resumed); !bound) return bound.error();
    if (auto timed = apply_timeout(flags.cluster, plan); !timed) return timed.error();
    plan.remove_old = plan.remove_old || flags.remove_old;
  }
  if (flags.dry_run) {
    auto problems = blocking_problems(cluster->client, plan, flags.cluster.istio_namespace,
                                      cluster->context, resumed != nullptr, flags.force);
    if (!problems) return problems.error();
    if (*format != Format::kTable) {
      auto document = upgrade::to_json(plan);
      if (resumed != nullptr) document["in_progress"] = upgrade::to_json(*resumed);
      auto listed = nlohmann::ordered_json::array();
      for (const auto& problem : *problems) {
        listed.push_back({{"message", problem.message},
                          {"hint", problem.hint},
                          {"exit_code", exit_code_of(problem)}});
      }
      document["problems"] = std::move(listed);
      output.out() << render_structured(document, *format);
    } else {
      output.out() << render_plan(plan, resumed);
    }
    for (const auto& problem : *problems) output.error(problem);
    return problems->empty() ? 0 : exit_code_of(problems->front());
  }
  if (auto applicable = upgrade::check_applicable(plan); !applicable) return applicable.error();
  if (plan.helm && !helm) {  // a recorded Helm upgrade continued
    auto setup =
        set_up_helm(context, flags.cluster.helm, flags.cluster.chart_repo, cluster->context);
    if (!setup) return setup.error();
    helm = std::move(*setup);
  }
  if (resumed == nullptr && !plan.helm) {
    if (auto owned = check_owner(context, cluster->client, flags.cluster.istio_namespace,
                                 cluster->context, flags.force);
        !owned) {
      return owned.error();
    }
  }
  if (resumed != nullptr && (!flags.files.empty() || !flags.sets.empty() || flags.batch != 1)) {
    output.note(
        "continuing the upgrade recorded in the cluster: its plan stands, so -f, --set "
        "and --batch given now are not used");
  }
  if (!flags.cluster.yes && output.interactive())
    output.out() << render_plan(plan, resumed) << "\n";
  if (auto confirmed =
          confirm(context, flags.cluster.yes,
                  resumed != nullptr ? "Continue this upgrade of context " + cluster->context + "?"
                                     : "Apply this upgrade to context " + cluster->context + "?",
                  "getmesh upgrade");
      !confirmed) {
    return confirmed.error();
  }
  if (flags.cluster.yes || !output.interactive()) {
    for (const auto& warning : plan.warnings) output.warn(warning);
  }
  upgrade::RecordStore store(cluster->client, flags.cluster.istio_namespace);
  upgrade::Record record;
  if (resumed != nullptr) {
    record = std::move(*resumed);
    auto take_over = confirm_take_over(context, flags.cluster, record);
    if (!take_over) return take_over.error();
    if (auto claimed = upgrade::claim(record, store, now_seconds(), *take_over); !claimed) {
      return claimed.error();
    }
    output.out() << "Continuing the upgrade of context " << cluster->context << " to "
                 << record.plan.target.version.to_string() << " (phase "
                 << upgrade::to_string(record.phase) << ")\n";
  } else {
    auto started =
        upgrade::start(store, std::move(*prepared->plan), prepared->previous, now_seconds());
    if (!started) return started.error();
    record = std::move(*started);
    output.out() << "Upgrading context " << cluster->context << " from "
                 << record.plan.source.version.to_string() << " (revision "
                 << record.plan.source.revision << ") to " << record.plan.target.version.to_string()
                 << " (revision " << record.plan.target.revision << ")\n";
  }
  auto runtime = make_runtime(context, *cluster);
  if (!runtime) return runtime.error();
  if (helm) attach_helm(context, *helm, *runtime);
  StepPrinter printer(output);
  printer.attach(*runtime);
  auto outcome = upgrade::apply(record, store, *runtime);
  printer.clear();
  return report_outcome(context, outcome, "getmesh upgrade");
}

// Loads the active record for `rollback` and `finish`; `what` names the command for messages.
Result<upgrade::Record> active_record(const upgrade::RecordStore& store, const std::string& what) {
  auto loaded = store.load();
  if (!loaded) return loaded.error();
  if (!*loaded || !(*loaded)->active()) {
    return runtime_error(
        "no upgrade in progress to " + what + " (" + store.describe() +
            (*loaded ? " says it is " + upgrade::to_string((*loaded)->phase) : " does not exist") +
            ")",
        "see \"getmesh upgrade status\"");
  }
  return std::move(**loaded);
}

Result<int> run_finish_or_rollback(Context& context, const ClusterFlags& flags, bool rolling_back) {
  const std::string what = rolling_back ? "roll back" : "finish";
  auto cluster = connect(context);
  if (!cluster) return cluster.error();
  upgrade::RecordStore store(cluster->client, flags.istio_namespace);
  auto record = active_record(store, what);
  if (!record) return record.error();
  if (auto bound = bind_record(context, *cluster, *record); !bound) return bound.error();
  if (auto timed = apply_timeout(flags, record->plan); !timed) return timed.error();
  std::optional<HelmSetup> helm;
  if (record->plan.helm) {
    record->plan.helm->kubeconfig = context.options().kubeconfig;
    record->plan.helm->kube_context = cluster->context;
    auto setup = set_up_helm(context, flags.helm, flags.chart_repo, cluster->context);
    if (!setup) return setup.error();
    helm = std::move(*setup);
  }
  const auto& plan = record->plan;
  auto& output = context.output();
  const std::string question =
      rolling_back
          ? "Roll back context " + cluster->context + " to " + plan.source.version.to_string() +
                " and remove revision " + plan.target.revision + "?"
          : "Remove control plane " + plan.source.revision + " (" +
                plan.source.version.to_string() + ") from context " + cluster->context + "?";
  if (auto confirmed =
          confirm(context, flags.yes, question,
                  "getmesh upgrade " + std::string(rolling_back ? "rollback" : "finish"));
      !confirmed) {
    return confirmed.error();
  }
  auto take_over = confirm_take_over(context, flags, *record);
  if (!take_over) return take_over.error();
  if (auto claimed = upgrade::claim(*record, store, now_seconds(), *take_over); !claimed)
    return claimed.error();
  auto runtime = make_runtime(context, *cluster);
  if (!runtime) return runtime.error();
  if (helm) attach_helm(context, *helm, *runtime);
  StepPrinter printer(output);
  printer.attach(*runtime);
  auto outcome = rolling_back ? upgrade::rollback(*record, store, *runtime)
                              : upgrade::finish(*record, store, *runtime);
  printer.clear();
  return report_outcome(context, outcome,
                        rolling_back ? "getmesh upgrade rollback" : "getmesh upgrade finish");
}

Result<int> run_status(Context& context, const ClusterFlags& flags) {
  auto format = parse_format(flags.output);
  if (!format) return format.error();
  auto cluster = connect(context);
  if (!cluster) return cluster.error();
  upgrade::RecordStore store(cluster->client, flags.istio_namespace);
  auto record = store.load();
  if (!record) return record.error();
  if (*record) {
    if (auto bound = bind_record(context, *cluster, **record); !bound) return bound.error();
  }
  auto live = mesh::read_mesh(cluster->client, flags.istio_namespace);
  if (!live) return live.error();
  if (*format != Format::kTable) {
    context.output().out() << render_structured(
        status_json(cluster->context, flags.istio_namespace, *record, &*live), *format);
  } else {
    context.output().out() << render_status(cluster->context, flags.istio_namespace, *record,
                                            &*live);
  }
  return 0;
}

void add_cluster_flags(CLI::App& command, ClusterFlags& flags, bool changes_cluster, bool waits) {
  command
      .add_option("--istio-namespace", flags.istio_namespace,
                  "Namespace of the Istio control plane")
      ->capture_default_str()
      ->check(non_empty_value());
  if (changes_cluster) {
    command.add_flag("-y,--yes", flags.yes, "Go ahead without asking (needed without a terminal)");
    command.add_flag("--take-over", flags.take_over,
                     "End another run's claim on the upgrade by hand (asks first; --yes answers)");
    command.add_option("--helm", flags.helm,
                       "The helm of a Helm-installed mesh (default: the helm_path setting, else "
                       "helm on PATH)");
    command.add_option("--chart-repo", flags.chart_repo,
                       "Chart repository of a Helm-installed mesh (default: the chart_repo "
                       "setting, else GETMESH_MIRROR when set, else Istio's repository)");
  }
  if (waits) {
    command.add_option("--timeout", flags.timeout,
                       "How long each gate waits, e.g. 90s or 5m (default 5m)");
  }
}

}  // namespace

Command add_upgrade_command(CLI::App& parent, Context& context) {
  auto flags = std::make_shared<UpgradeFlags>();
  auto status = std::make_shared<ClusterFlags>();
  auto rollback = std::make_shared<ClusterFlags>();
  auto finish = std::make_shared<ClusterFlags>();
  auto* command = parent.add_subcommand(
      "upgrade",
      "Canary-upgrade the cluster's Istio by revision: plan, install, move, restart, verify (exit "
      "3: stopped at a gate)");
  command->require_subcommand(0, 1);
  add_cluster_flags(*command, flags->cluster, true, true);
  command
      ->add_option("--to", flags->target.to,
                   "Target version X.Y.Z, or X.Y for its latest patch (default: what "
                   "check-upgrade recommends)")
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  command
      ->add_option("--flavor", flags->target.flavor,
                   "Target flavor: istio, tetrate or tetratefips (default: the cluster's)")
      ->type_name("istio|tetrate|tetratefips");
  command->add_flag("--allow-skip-minor", flags->target.allow_skip_minor,
                    "Allow a target two minors ahead of the oldest control plane");
  command->add_option("--from", flags->from,
                      "The control plane revision to upgrade (needed when several run)");
  command->add_option("-f,--filename", flags->files,
                      "IstioOperator file of the running installation (after the installed "
                      "state, when there is one)");
  command->add_option("--set", flags->sets, "Install value, path=value (like istioctl --set)");
  command->add_option("--batch", flags->batch, "Namespaces restarted at a time")
      ->capture_default_str();
  command->add_flag("--dry-run", flags->dry_run, "Print the plan; change nothing");
  command->add_flag("--force", flags->force,
                    "Upgrade even a control plane that a cloud or an operator manages (a Helm "
                    "one the istioctl way)");
  command->add_flag("--ztunnel-drain", flags->ztunnel_drain,
                    "Ambient (Helm) meshes: replace ztunnel node by node, cordoning and draining "
                    "each node first");
  command->add_flag("--remove-old", flags->remove_old,
                    "Remove the old control plane at the end (else: getmesh upgrade finish)");
  add_output_option(*command, flags->cluster.output)
      ->description("Output format of --dry-run (default: table)");

  auto* status_command = command->add_subcommand(
      "status", "Show the upgrade recorded in the cluster and the proxies per revision");
  add_cluster_flags(*status_command, *status, false, false);
  add_output_option(*status_command, status->output);
  auto* rollback_command = command->add_subcommand(
      "rollback",
      "Undo the upgrade in progress: move the data plane back, remove the new revision");
  add_cluster_flags(*rollback_command, *rollback, true, true);
  auto* finish_command =
      command->add_subcommand("finish", "Remove the old control plane once no proxy uses it");
  add_cluster_flags(*finish_command, *finish, true, false);

  return {command,
          [&context, flags, status, rollback, finish, status_command, rollback_command,
           finish_command] {
            if (status_command->parsed()) return run_status(context, *status);
            if (rollback_command->parsed()) return run_finish_or_rollback(context, *rollback, true);
            if (finish_command->parsed()) return run_finish_or_rollback(context, *finish, false);
            return run_upgrade(context, *flags);
          },
          true};
}

}  // namespace getmesh::cli
