#include "upgrade/ambient_runner.hpp"
#include "upgrade/child_output.hpp"
#include "upgrade/helm_default_revision.hpp"
#include "upgrade/helm_installer.hpp"
#include "upgrade/istioctl_commands.hpp"
#include "upgrade/restarts.hpp"
#include "upgrade/words.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/istioctl/help.hpp>
#include <getmesh/kube/object.hpp>
#include <getmesh/upgrade/apply.hpp>
#include <getmesh/upgrade/gates.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;
namespace commands = istioctl_commands;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kIstioctlPoll{200};  // how often a running istioctl is checked

const char* plural_kind(const std::string& kind) {
  if (kind == "StatefulSet") return "statefulsets";
  if (kind == "DaemonSet") return "daemonsets";
  return "deployments";
}

// The sidecar injector webhook istioctl installs with a revision (the default one has no suffix).
std::string injector_name(const std::string& revision) {
  return revision == mesh::kDefaultRevision ? "istio-sidecar-injector"
                                            : "istio-sidecar-injector-" + revision;
}

// A gate that did not pass: the run stops with exit 3 and the record is kept.
struct GateStop {
  std::string message;
};

// One run of apply, finish or rollback over a claimed record.
class Executor {
 public:
  Executor(Record& record, const RecordStore& store, Runtime& runtime)
      : record_(record),
        store_(store),
        runtime_(runtime),
        plan_(record.plan),
        client_(*runtime.client),
        steps_(steps_of(record.plan)) {
    if (plan_.helm) {
      helm_.emplace(plan_, client_, runtime_,
                    [this](const std::vector<std::string>& argv) { return run_child(argv); });
      if (plan_.helm->cni || plan_.helm->ztunnel) {
        ambient_.emplace(
            plan_, record_, client_, runtime_, *helm_,
            AmbientRunner::Hooks{[this] { return save(); }, [this] { return keep_alive(); }});
      }
    }
  }

  Result<Outcome> apply() {
    return guarded([&]() -> Result<Outcome> {
      for (const auto& step : steps_) {
        if (step.id == StepId::kRemoveOld && !plan_.remove_old) break;
        auto stopped = run_step(step);
        if (!stopped) return stopped.error();
        if (*stopped) return gate_outcome(**stopped);
        if (step.id == StepId::kProxyGate) record_.phase = Phase::kMoved;
      }
      if (!plan_.remove_old) return awaiting_finish();
      record_.phase = Phase::kFinished;
      return Outcome{Ending::kCompleted, summary_finished()};
    });
  }

  Result<Outcome> finish() {
    if (!record_.is_done("verify-proxies")) {
      record_.holder.reset();  // nothing was done: the claim goes back
      if (auto saved = save(); !saved) return saved.error();
      return runtime_error("the data plane has not moved to " + plan_.target.revision +
                               " yet (phase " + to_string(record_.phase) + ")",
                           "run \"getmesh upgrade\" to continue the upgrade first, or \"getmesh "
                           "upgrade rollback\"");
    }
    return guarded([&]() -> Result<Outcome> {
      const auto& step = steps_.back();
      auto stopped = run_step(step);
      if (!stopped) return stopped.error();
      if (*stopped) return gate_outcome(**stopped);
      record_.phase = Phase::kFinished;
      return Outcome{Ending::kCompleted, summary_finished()};
    });
  }

  Result<Outcome> rollback() {
    record_.phase = Phase::kRollingBack;
    return guarded([&]() -> Result<Outcome> {
      if (auto saved = save(); !saved) return saved.error();
      using Body = RollbackBody;
      std::vector<std::pair<Step, Body>> steps{
          {{StepId::kMoveDataPlane,
            "rollback-move",
            "point the data plane back at " + plan_.source.revision,
            {},
            "",
            false},
           [&] { return revert_moves(); }},
          {{StepId::kRestart,
            "rollback-restart",
            "restart the moved workloads onto " + plan_.source.revision,
            {},
            "",
            false},
           [&] { return restart_all(plan_.target.revision, record_.rollback_stamp); }},
          {{StepId::kProxyGate,
            "rollback-verify-proxies",
            "wait for the proxies to return to " + plan_.source.revision,
            {},
            "",
            false},
           [&] { return wait_all(plan_.target.revision, plan_.source); }},
          {{StepId::kRemoveOld,
            "rollback-remove-new",
            "remove control plane " + plan_.target.revision,
            {},
            "",
            false},
           [&] { return remove_installed(plan_.target); }},
      };
      if (helm_ && !plan_.helm->gateways.empty()) {
        // After the tags and labels are back, so the gateways' new pods get the old revision.
        steps.insert(
            steps.begin() + 1,
            std::pair<Step, Body>{{StepId::kGateways,
                                   "rollback-gateways",
                                   "roll the gateways back to their releases before the upgrade",
                                   {},
                                   "",
                                   false},
                                  [&] { return restore_gateways(); }});
      }
      if (ambient_) add_ambient_rollback(steps);
      if (helm_ && record_.default_revision_moved) {
        // First, so the cluster-wide defaults point at the old revision before anything else.
        steps.insert(steps.begin(),
                     std::pair<Step, Body>{
                         {StepId::kRemoveOld,
                          "rollback-default-revision",
                          "point the base chart's defaultRevision back at " + plan_.source.revision,
                          {},
                          "",
                          false},
                         [&] { return restore_default_revision(); }});
      }
      const int total = static_cast<int>(steps.size());
      int number = 0;
      const auto run = [&](const Step& step, const Body& body) -> Result<std::optional<GateStop>> {
        if (runtime_.step_started) runtime_.step_started(++number, total, step);
        const auto started = Clock::now();
        auto result = body();
        if (result && !*result) report_finished(step, started);
        return result;
      };
      for (const auto& [step, body] : steps) {
        auto stopped = run(step, body);
        if (!stopped) return stopped.error();
        if (*stopped) return gate_outcome(**stopped);
      }
      record_.phase = Phase::kRolledBack;
      return Outcome{
          Ending::kCompleted,
          "rolled back: the data plane is on " + plan_.source.revision + " (" +
              plan_.source.version.to_string() + ") again and " + plan_.target.revision +
              (record_.installed(plan_.target.revision)
                   ? " is removed"
                   : " is kept (it ran before the upgrade; getmesh did not install it)")};
    });
  }

 private:
  // Runs `body`; a failure is recorded (phase failed, message) and the claim is released whatever
  // happens, so the next run can continue.
  Result<Outcome> guarded(const std::function<Result<Outcome>()>& body) {
    auto outcome = body();
    if (!outcome) {
      const bool rolling_back = record_.phase == Phase::kRollingBack;
      record_.phase = rolling_back ? Phase::kRollingBack : Phase::kFailed;
      record_.message = outcome.error().message;
      Error error = outcome.error();
      error.hint = (error.hint.empty() ? std::string() : error.hint + "; then ") +
                   (rolling_back ? "run \"getmesh upgrade rollback\" again to continue the rollback"
                                 : "run \"getmesh upgrade\" again to resume from this step, or "
                                   "\"getmesh upgrade rollback\" to undo what was done");
      outcome = error;
    } else if (outcome->ending == Ending::kStoppedAtGate) {
      if (record_.phase != Phase::kRollingBack) record_.phase = Phase::kStopped;
      record_.message = outcome->message;
    } else {
      record_.message.clear();
    }
    record_.holder.reset();
    if (auto saved = save(); !saved && outcome) return saved.error();
    return outcome;
  }

  Outcome gate_outcome(const GateStop& stop) { return {Ending::kStoppedAtGate, stop.message}; }

  Outcome awaiting_finish() {
    return {Ending::kAwaitingFinish,
            "the data plane runs " + plan_.target.revision + " (" +
                plan_.target.version.to_string() + "); control plane " + plan_.source.revision +
                " still runs: remove it with \"getmesh upgrade finish\" once you are satisfied, "
                "or go back with \"getmesh upgrade rollback\""};
  }

  std::string summary_finished() const {
    return "upgraded " + plan_.source.version.to_string() + " (revision " + plan_.source.revision +
           ") to " + plan_.target.version.to_string() + " (revision " + plan_.target.revision +
           "); " + std::to_string(plan_.namespaces.size()) + " namespace" +
           (plan_.namespaces.size() == 1 ? "" : "s") + " moved, the old control plane removed";
  }

  Status save() {
    const auto now = now_seconds();
    record_.updated_at = format_rfc3339(now);
    if (record_.holder) record_.holder->renewed_at = now;
    last_save_ = Clock::now();
    auto saved = store_.save(record_);
    if (!saved && saved.error().http_status == 409) {
      return runtime_error("the upgrade record " + store_.describe() +
                               " was changed by another run meanwhile; this run stops",
                           "see \"getmesh upgrade status\"");
    }
    return saved;
  }

  // Sleeps `delay` (never past `deadline`) and doubles it for next time, up to max_poll.
  void pause(std::chrono::milliseconds& delay, Clock::time_point deadline) const {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::this_thread::sleep_for(std::max(std::chrono::milliseconds(1), std::min(delay, left)));
    delay = std::min(delay * 2, runtime_.max_poll);
  }

  // Renews the claim while a gate or istioctl waits, so other machines see this run is alive.
  Status keep_alive() {
    if (record_.holder && Clock::now() - last_save_ >= runtime_.renew_every) return save();
    return {};
  }

  int number_of(const Step& step) const {
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      if (steps_[i].key == step.key) return static_cast<int>(i) + 1;
    }
    return 0;
  }

  // Runs one plan step unless the record says it is done.
  Result<std::optional<GateStop>> run_step(const Step& step) {
    if (runtime_.step_started) {
      runtime_.step_started(number_of(step), static_cast<int>(steps_.size()), step);
    }
    if (record_.is_done(step.key)) {
      if (runtime_.step_finished) runtime_.step_finished(step, "done earlier");
      return std::optional<GateStop>();
    }
    if (step.manual) {
      return runtime_error("step " + std::to_string(number_of(step)) + " (" + step.title +
                               ") is not applied by getmesh",
                           "run the commands of \"getmesh upgrade --dry-run\" for it by hand");
    }
    const auto started = Clock::now();
    auto result = body_of(step);
    if (!result) {
      return result.error().with_context("step " + std::to_string(number_of(step)) + " (" +
                                         step.key + ") failed");
    }
    if (*result) return result;
    record_.mark_done(step.key);
    if (auto saved = save(); !saved) return saved.error();
    report_finished(step, started);
    return result;
  }

  void report_batch(std::size_t number, std::size_t total, const std::vector<std::string>& batch,
                    const std::vector<std::string>& restarted, Clock::time_point started) {
    if (!runtime_.detail) return;
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count();
    runtime_.detail("batch " + std::to_string(number) + " of " + std::to_string(total) + " (" +
                    join(batch, ", ") + "): " +
                    (restarted.empty() ? std::string("nothing to restart")
                                       : "restarted " + join(restarted, ", ")) +
                    "; every proxy moved (" + std::to_string(seconds) + "s)");
  }

  void report_finished(const Step& step, Clock::time_point started) {
    if (runtime_.step_finished) {
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count();
      runtime_.step_finished(
          step, result_text_.empty() ? "done (" + std::to_string(seconds) + "s)" : result_text_);
    }
    result_text_.clear();
  }

  Result<std::optional<GateStop>> body_of(const Step& step) {
    switch (step.id) {
      case StepId::kFetch:
        return fetch_and_precheck();
      case StepId::kInstall:
        return install();
      case StepId::kControlPlaneGate:
        return control_plane_gate();
      case StepId::kMoveDataPlane:
        return move();
      case StepId::kRestart:
        return restart_and_verify();
      case StepId::kProxyGate:
        // All batches, once more.
        return wait_for(moved_namespace_names(), plan_.source.revision, plan_.target);
      case StepId::kGateways:
        return upgrade_gateways();
      case StepId::kAmbientCni:
        return ambient_ ? gate_of(ambient_->upgrade_cni()) : not_applied(step);
      case StepId::kAmbientZtunnel:
        return ambient_ ? gate_of(ambient_->upgrade_ztunnel()) : not_applied(step);
      case StepId::kAmbientWaypoints:
        return ambient_ ? gate_of(ambient_->restart_waypoints(record_.restart_stamp,
                                                              plan_.source.revision, plan_.target))
                        : not_applied(step);
      case StepId::kRemoveOld:
        return remove_revision(plan_.source);
    }
    return not_applied(step);
  }

  static Result<std::optional<GateStop>> not_applied(const Step& step) {
    return runtime_error("step " + step.key + " is not applied by getmesh");
  }

  static Result<std::optional<GateStop>> gate_of(const GateResult& result) {
    if (!result) return result.error();
    if (*result) return std::optional<GateStop>(GateStop{**result});
    return std::optional<GateStop>();
  }

  using RollbackBody = std::function<Result<std::optional<GateStop>>()>;

  // The ambient part of a rollback, in the reverse of Istio's order: the nodes this upgrade
  // cordoned uncordoned first; the waypoints back on the old revision after the tags; ztunnel and
  // istio-cni rolled back before the new control plane, which ztunnel is bound to, goes.
  void add_ambient_rollback(std::vector<std::pair<Step, RollbackBody>>& steps) {
    const auto step = [](StepId id, const char* key, std::string title) {
      return Step{id, key, std::move(title), {}, "", false};
    };
    if (plan_.ambient.drain_nodes) {
      steps.insert(steps.begin(), {step(StepId::kAmbientZtunnel, "rollback-nodes",
                                        "uncordon the nodes this upgrade cordoned"),
                                   [&]() -> Result<std::optional<GateStop>> {
                                     if (auto restored = ambient_->restore_nodes(); !restored) {
                                       return restored.error();
                                     }
                                     return std::optional<GateStop>();
                                   }});
    }
    auto before_removal = steps.end() - 1;
    if (!plan_.ambient.waypoints.empty()) {
      before_removal =
          steps.insert(before_removal,
                       {step(StepId::kAmbientWaypoints, "rollback-waypoints",
                             "restart the waypoints onto " + plan_.source.revision),
                        [&] {
                          return gate_of(ambient_->restart_waypoints(
                              record_.rollback_stamp, plan_.target.revision, plan_.source));
                        }}) +
          1;
    }
    if (plan_.helm->ztunnel) {
      before_removal =
          steps.insert(before_removal,
                       {step(StepId::kAmbientZtunnel, "rollback-ztunnel",
                             "roll ztunnel back to its release before the upgrade"),
                        [&] { return gate_of(ambient_->restore(*plan_.helm->ztunnel)); }}) +
          1;
    }
    if (plan_.helm->cni) {
      steps.insert(before_removal, {step(StepId::kAmbientCni, "rollback-cni",
                                         "roll istio-cni back to its release before the upgrade"),
                                    [&] { return gate_of(ambient_->restore(*plan_.helm->cni)); }});
    }
  }

  // --- istioctl -------------------------------------------------------------------------------

  Result<std::string> target_istioctl() {
    if (istioctl_.empty()) {
      auto path = runtime_.istioctl_for(plan_.target.version);
      if (!path) return path.error();
      istioctl_ = *path;
      help_.emplace(istioctl_, runtime_.istioctl_environment);
    }
    return istioctl_;
  }

  // Runs the target's istioctl with `args`.
  Result<exec::Captured> istioctl(const std::vector<std::string>& args) {
    auto path = target_istioctl();
    if (!path) return path.error();
    std::vector<std::string> argv{*path};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), runtime_.istioctl_cluster.begin(), runtime_.istioctl_cluster.end());
    return run_child(std::move(argv));
  }

  // Runs a child (istioctl, helm), renewing the claim meanwhile (an install can take longer than
  // the lease) and naming the child in it, so that a run that continues after this one was killed
  // waits for a child left behind (where it does not die with getmesh). A claim lost meanwhile is
  // the error once the child ended.
  Result<exec::Captured> run_child(std::vector<std::string> argv) {
    std::atomic<long> child{0};
    auto running = std::async(std::launch::async, [this, &child, argv = std::move(argv)] {
      return exec::run_captured(argv, runtime_.istioctl_environment, runtime_.istioctl_timeout, {},
                                {}, [&child](long pid) { child = pid; });
    });
    Status renewed;
    while (running.wait_for(kIstioctlPoll) != std::future_status::ready) {
      if (!renewed) continue;
      if (record_.holder && child != 0 && record_.holder->child != child) {
        record_.holder->child = child;
        renewed = save();
      } else {
        renewed = keep_alive();
      }
    }
    auto ran = running.get();
    if (renewed && record_.holder && record_.holder->child != 0) {
      record_.holder->child = 0;
      renewed = save();
    }
    if (!renewed) return renewed.error();
    return ran;
  }

  Status istioctl_must_pass(const std::vector<std::string>& args, const std::string& what) {
    auto ran = istioctl(args);
    if (!ran) return ran.error();
    if (ran->exit_code != 0) {
      return runtime_error(commands::shown(args) + " failed (exit code " +
                               std::to_string(ran->exit_code) + ")" +
                               (tail_of(*ran).empty() ? std::string() : ":\n" + tail_of(*ran)),
                           what);
    }
    return {};
  }

  // --- steps ----------------------------------------------------------------------------------

  Result<std::optional<GateStop>> fetch_and_precheck() {
    auto path = target_istioctl();
    if (!path) return path.error();
    const auto precheck = help_->locate("precheck");
    if (precheck.empty()) {
      if (runtime_.note)
        runtime_.note("istioctl " + plan_.target.version.to_string() +
                      " has no precheck command; going on without it");
    } else if (auto checked =
                   istioctl_must_pass(commands::precheck(plan_, precheck),
                                      "fix what the precheck reports; nothing was changed");
               !checked) {
      return checked.error();
    }
    if (helm_) {
      if (auto prepared = helm_->prepare(); !prepared) return prepared.error();
      if (ambient_) {
        if (auto checked = ambient_->check(); !checked) return checked.error();
      }
    }
    return std::optional<GateStop>();
  }

  Result<json> istiod_deployments(const std::string& revision) {
    kube::ListOptions options;
    options.label_selector = "app=istiod";
    auto items =
        client_.list(kube::resource_path("apps/v1", "deployments", plan_.istio_namespace), options);
    if (!items) return items.error();
    json matching = json::array();
    for (const auto& item : *items) {
      const auto label = kube::text_at(item, {"metadata", "labels", kRevisionLabel});
      if ((label.empty() ? std::string(mesh::kDefaultRevision) : label) == revision)
        matching.push_back(item);
    }
    return matching;
  }

  std::string operator_file() const {
    return (runtime_.work_dir / commands::operator_file_name(plan_)).string();
  }

  // Writes the plan's IstioOperator for install and verify-install (again after a resume, which
  // may run on another machine).
  Status write_operator_file() const {
    if (plan_.install.spec.is_null()) return {};
    const json document{{"apiVersion", "install.istio.io/v1alpha1"},
                        {"kind", "IstioOperator"},
                        {"spec", plan_.install.spec}};
    if (auto made = ensure_directory(runtime_.work_dir); !made) return made;
    return write_file_atomic(operator_file(), document.dump(2), std::filesystem::perms(0600));
  }

  Result<std::optional<GateStop>> install() {
    if (!helm_ && !plan_.install.complete()) {
      return usage_error("no installed-state IstioOperator in " + plan_.istio_namespace +
                             " to copy the running configuration from",
                         "give the configuration of the running control plane with -f FILE "
                         "and/or --set");
    }
    auto planes = mesh::read_control_planes(client_, plan_.istio_namespace);
    if (!planes) return planes.error();
    const bool ours = record_.installed(plan_.target.revision);
    bool found = false;
    for (const auto& plane : *planes) {
      if (plane.revision != plan_.target.revision) continue;
      found = true;
      if (plane.pods > 0 && plane.version &&
          plane.version->version == plan_.target.version.version) {
        result_text_ = ours ? "already installed"
                            : "already installed before this upgrade (a rollback keeps it)";
        return std::optional<GateStop>();
      }
    }
    if (!found && !ours) {  // recorded first: a run killed during the install is undone too
      record_.installed_revisions.push_back(plan_.target.revision);
      if (auto saved = save(); !saved) return saved.error();
    }
    if (helm_) {
      if (auto installed = helm_->install(); !installed) return installed.error();
      return std::optional<GateStop>();
    }
    if (auto written = write_operator_file(); !written) return written.error();
    if (auto installed = istioctl_must_pass(commands::install(plan_, operator_file()),
                                            "fix the cause above; the old control plane still "
                                            "serves every proxy");
        !installed) {
      return installed.error();
    }
    return std::optional<GateStop>();
  }

  Result<std::optional<GateStop>> control_plane_gate() {
    const auto deadline = Clock::now() + std::chrono::seconds(plan_.timeout_seconds);
    auto delay = runtime_.first_poll;
    std::string waiting_for = "no istiod Deployment of revision " + plan_.target.revision + " yet";
    while (true) {
      auto deployments = istiod_deployments(plan_.target.revision);
      if (!deployments) return deployments.error();
      std::optional<std::string> pending;
      if (deployments->empty()) pending = waiting_for;
      for (const auto& deployment : *deployments) {
        if (auto why = not_ready(deployment))
          pending = "istiod " + plan_.target.revision + ": " + *why;
      }
      if (!pending) break;
      if (Clock::now() >= deadline) {
        return std::optional<GateStop>(
            GateStop{"control plane " + plan_.target.revision + " was not ready within " +
                     std::to_string(plan_.timeout_seconds) + "s (" + *pending +
                     "); nothing has moved: the old control plane still serves every proxy"});
      }
      if (auto renewed = keep_alive(); !renewed) return renewed.error();
      if (runtime_.waiting) runtime_.waiting(*pending);
      pause(delay, deadline);
    }
    if (helm_) return std::optional<GateStop>();  // verify-install checks IstioOperator installs
    auto path = target_istioctl();
    if (!path) return path.error();
    if (help_->has("verify-install")) {
      if (auto written = write_operator_file(); !written) return written.error();
      auto verified = istioctl(commands::verify_install(plan_, operator_file()));
      std::error_code ignored;
      std::filesystem::remove(operator_file(), ignored);  // not needed once verified
      if (!verified) return verified.error();
      if (verified->exit_code != 0) {
        return std::optional<GateStop>(GateStop{
            "istioctl verify-install found problems with revision " + plan_.target.revision +
            " (exit code " + std::to_string(verified->exit_code) + "):\n" + tail_of(*verified) +
            "\nnothing has moved: the old control plane still serves every proxy"});
      }
    }
    return std::optional<GateStop>();
  }

  Result<std::optional<std::string>> tag_revision(const std::string& tag) {
    auto webhook = client_.get_if_exists(kube::resource_path("admissionregistration.k8s.io/v1",
                                                             "mutatingwebhookconfigurations", {},
                                                             std::string(kTagWebhookPrefix) + tag));
    if (!webhook) return webhook.error();
    if (!*webhook) return std::optional<std::string>();
    return std::optional<std::string>(
        kube::text_at(**webhook, {"metadata", "labels", kRevisionLabel}));
  }

  Status point_tag(const std::string& tag, const std::string& revision) {
    auto current = tag_revision(tag);
    if (!current) return current.error();
    if (*current && **current == revision) return {};
    if (auto set = helm_ ? helm_->point_tag(tag, revision)
                         : istioctl_must_pass(commands::tag_set(plan_, tag, revision),
                                              "check the tag's webhook with \"istioctl tag list\"");
        !set) {
      return set;
    }
    current = tag_revision(tag);
    if (!current) return current.error();
    if (!*current || **current != revision) {
      return runtime_error("istioctl tag set finished, but tag " + tag + " does not point at " +
                           revision + " (its webhook " + kTagWebhookPrefix + tag + " says " +
                           (*current ? quote(**current) : std::string("nothing")) + ")");
    }
    return {};
  }

  Status set_namespace_labels(const std::string& name, const json& labels) {
    auto patched = client_.patch(kube::resource_path("", "namespaces", {}, name),
                                 {{"metadata", {{"labels", labels}}}}, kube::PatchType::kMerge);
    if (!patched) return patched.error();
    return {};
  }

  Result<std::optional<GateStop>> move() {
    for (const auto& tag : plan_.tags) {
      if (std::find(record_.moved_tags.begin(), record_.moved_tags.end(), tag.tag) ==
          record_.moved_tags.end()) {
        record_.moved_tags.push_back(tag.tag);  // recorded first: a rollback reverts it anyway
        if (auto saved = save(); !saved) return saved.error();
      }
      if (auto pointed = point_tag(tag.tag, plan_.target.revision); !pointed)
        return pointed.error();
    }
    for (const auto& move : plan_.namespaces) {
      if (!move.relabelled()) continue;
      if (std::find(record_.moved_namespaces.begin(), record_.moved_namespaces.end(), move.name) ==
          record_.moved_namespaces.end()) {
        record_.moved_namespaces.push_back(move.name);
        if (auto saved = save(); !saved) return saved.error();
      }
      auto current = client_.get(kube::resource_path("", "namespaces", {}, move.name));
      if (!current) return current.error();
      const auto labels = kube::strings_at(*current, {"metadata", "labels"});
      if (labels.contains(kRevisionLabel) && labels.at(kRevisionLabel) == plan_.target.revision &&
          !labels.contains(kInjectionLabel)) {
        continue;
      }
      if (auto set = set_namespace_labels(
              move.name, {{kRevisionLabel, plan_.target.revision}, {kInjectionLabel, nullptr}});
          !set) {
        return set.error();
      }
    }
    return std::optional<GateStop>();
  }

  Result<std::vector<json>> pods_of(const std::vector<std::string>& namespaces) {
    std::vector<json> pods;
    for (const auto& name : namespaces) {
      auto listed = client_.list(kube::resource_path("", "pods", name));
      if (!listed) return listed.error();
      pods.insert(pods.end(), listed->begin(), listed->end());
    }
    return pods;
  }

  // Restarts the workloads of `namespaces` that have a proxy on revision `from`, once per `stamp`
  // (workloads on other revisions are left alone); returns the ones it restarted
  // ("namespace/Kind/name").
  Result<std::vector<std::string>> restart(const std::vector<std::string>& namespaces,
                                           const std::string& from, const std::string& stamp) {
    std::vector<std::string> restarted;
    for (const auto& name : namespaces) {
      auto pods = pods_of({name});
      if (!pods) return pods.error();
      for (const char* kind : {"Deployment", "StatefulSet", "DaemonSet"}) {
        auto objects = client_.list(kube::resource_path("apps/v1", plural_kind(kind), name));
        if (!objects) return objects.error();
        for (const auto& workload : workloads_from(*objects, kind)) {
          if (workload.restarted_at == stamp) continue;  // restarted by this upgrade already
          std::vector<json> selected;
          for (const auto& pod : *pods) {
            if (selects(workload, pod)) selected.push_back(pod);
          }
          if (using_revision(selected, from).empty()) continue;
          const json patch{
              {"spec", {{"template", {{"metadata", {{"annotations", {{kRestartedAt, stamp}}}}}}}}}};
          auto patched =
              client_.patch(kube::resource_path("apps/v1", plural_kind(kind), name, workload.name),
                            patch, kube::PatchType::kStrategicMerge);
          if (!patched) return patched.error();
          restarted.push_back(name + "/" + workload.id());
        }
      }
    }
    return restarted;
  }

  // Waits until no proxy of `namespaces` is left on revision `from` and every proxy on
  // `release`'s revision runs its version; a timeout names the pods left.
  Result<std::optional<GateStop>> wait_for(const std::vector<std::string>& namespaces,
                                           const std::string& from, const Release& release) {
    const auto deadline = Clock::now() + std::chrono::seconds(plan_.timeout_seconds);
    auto delay = runtime_.first_poll;
    while (true) {
      auto pods = pods_of(namespaces);
      if (!pods) return pods.error();
      const auto pending = not_moved(*pods, from, release);
      if (pending.empty()) return std::optional<GateStop>();
      if (Clock::now() >= deadline) {
        return std::optional<GateStop>(GateStop{
            words::proxies(pending.size()) + " in " + join(namespaces, ", ") +
            " did not move to revision " + release.revision + " (" + release.version.to_string() +
            ") within " + std::to_string(plan_.timeout_seconds) +
            "s: " + words::listed(pending, kListed)});
      }
      if (auto renewed = keep_alive(); !renewed) return renewed.error();
      if (runtime_.waiting) {
        runtime_.waiting("waiting for " + words::proxies(pending.size()) + " in " +
                         join(namespaces, ", "));
      }
      pause(delay, deadline);
    }
  }

  Result<std::optional<GateStop>> restart_and_verify() {
    if (record_.restart_stamp.empty()) {
      record_.restart_stamp = format_rfc3339(now_seconds());
      if (auto saved = save(); !saved) return saved.error();
    }
    const auto batches = plan_.batches();
    for (auto index = static_cast<std::size_t>(record_.batches_done); index < batches.size();
         ++index) {
      const auto started = Clock::now();
      auto restarted = restart(batches[index], plan_.source.revision, record_.restart_stamp);
      if (!restarted) return restarted.error();
      auto stopped = wait_for(batches[index], plan_.source.revision, plan_.target);
      if (!stopped) return stopped.error();
      if (*stopped) return stopped;
      record_.batches_done = static_cast<int>(index) + 1;
      if (auto saved = save(); !saved) return saved.error();
      report_batch(index + 1, batches.size(), batches[index], *restarted, started);
    }
    return std::optional<GateStop>();
  }

  // --- removal and rollback ------------------------------------------------------------------

  Result<std::optional<GateStop>> remove_revision(const Release& release) {
    auto deployments = istiod_deployments(release.revision);
    if (!deployments) return deployments.error();
    auto injector = client_.get_if_exists(kube::resource_path("admissionregistration.k8s.io/v1",
                                                              "mutatingwebhookconfigurations", {},
                                                              injector_name(release.revision)));
    if (!injector) return injector.error();
    if (deployments->empty() && !*injector) {
      result_text_ = "nothing to do: revision " + release.revision + " is not installed";
      return std::optional<GateStop>();
    }
    auto pods = client_.list(kube::resource_path("", "pods"));
    if (!pods) return pods.error();
    const auto users = using_revision(*pods, release.revision);
    if (!users.empty()) {
      return std::optional<GateStop>(GateStop{
          "control plane " + release.revision + " still serves " + words::proxies(users.size()) +
          " (" + words::listed(users, kListed) +
          "); it is only removed once none is left: restart those workloads (kubectl rollout "
          "restart) and run the command again"});
    }
    if (helm_) {
      if (release.revision == plan_.source.revision && helm_default_revision::applies(plan_)) {
        record_.default_revision_moved = true;  // noted first: a rollback then points it back
        if (auto saved = save(); !saved) return saved.error();
        if (auto moved = helm_->switch_default_revision(); !moved) return moved.error();
      }
      const auto& release_name = release.revision == plan_.target.revision
                                     ? plan_.helm->new_release
                                     : plan_.helm->control_plane.name;
      if (auto removed = helm_->uninstall(release_name); !removed) return removed.error();
      return std::optional<GateStop>();
    }
    auto path = target_istioctl();
    if (!path) return path.error();
    const auto uninstall = help_->locate("uninstall");
    if (uninstall.empty()) {
      return runtime_error("istioctl " + plan_.target.version.to_string() +
                           " has no uninstall command to remove revision " + release.revision);
    }
    if (auto removed = istioctl_must_pass(commands::uninstall(plan_, uninstall, release.revision),
                                          "check what is left with \"kubectl get deploy -n " +
                                              plan_.istio_namespace + " -l app=istiod\"");
        !removed) {
      return removed.error();
    }
    return std::optional<GateStop>();
  }

  // Removes `release` only when this upgrade installed it: a revision that ran before is kept.
  Result<std::optional<GateStop>> remove_installed(const Release& release) {
    if (!record_.installed(release.revision)) {
      result_text_ = "kept: revision " + release.revision +
                     " was not installed by this upgrade, so a rollback leaves it running";
      return std::optional<GateStop>();
    }
    return remove_revision(release);
  }

  // --- Helm gateways -------------------------------------------------------------------------

  // The gateway's Deployment: the chart's `name` value, else the release's name.
  static std::string gateway_deployment(const HelmRelease& gateway) {
    const auto name = kube::text_at(gateway.values, {"name"});
    return name.empty() ? gateway.name : name;
  }

  // Waits until the gateway's Deployment rolled out and none of its proxies uses the old revision.
  Result<std::optional<GateStop>> wait_for_gateway(const HelmRelease& gateway) {
    const auto deadline = Clock::now() + std::chrono::seconds(plan_.timeout_seconds);
    auto delay = runtime_.first_poll;
    const auto name = gateway_deployment(gateway);
    while (true) {
      auto deployment = client_.get_if_exists(
          kube::resource_path("apps/v1", "deployments", gateway.namespace_name, name));
      if (!deployment) return deployment.error();
      std::optional<std::string> pending;
      if (!*deployment) {
        pending = "no Deployment " + name + " yet";
      } else if (auto why = not_ready(**deployment)) {
        pending = *why;
      } else {
        auto pods = pods_of({gateway.namespace_name});
        if (!pods) return pods.error();
        std::vector<json> selected;
        const auto workloads = workloads_from({**deployment}, "Deployment");
        for (const auto& pod : *pods) {
          if (!workloads.empty() && selects(workloads.front(), pod)) selected.push_back(pod);
        }
        if (const auto old = using_revision(selected, plan_.source.revision); !old.empty()) {
          pending = words::proxies(old.size()) + " still on revision " + plan_.source.revision;
        }
      }
      if (!pending) return std::optional<GateStop>();
      if (Clock::now() >= deadline) {
        return std::optional<GateStop>(
            GateStop{"gateway " + gateway.namespace_name + "/" + name + " was not ready within " +
                     std::to_string(plan_.timeout_seconds) + "s (" + *pending + ")"});
      }
      if (auto renewed = keep_alive(); !renewed) return renewed.error();
      if (runtime_.waiting) runtime_.waiting("gateway " + name + ": " + *pending);
      pause(delay, deadline);
    }
  }

  Result<std::optional<GateStop>> upgrade_gateways() {
    for (const auto& gateway : plan_.helm->gateways) {
      if (auto upgraded = helm_->upgrade_gateway(gateway); !upgraded) return upgraded.error();
      auto stopped = wait_for_gateway(gateway);
      if (!stopped || *stopped) return stopped;
      if (runtime_.detail) {
        runtime_.detail("gateway " + gateway.namespace_name + "/" + gateway.name + " upgraded");
      }
    }
    return std::optional<GateStop>();
  }

  Result<std::optional<GateStop>> restore_default_revision() {
    if (auto restored = helm_->restore_default_revision(); !restored) return restored.error();
    record_.default_revision_moved = false;
    if (auto saved = save(); !saved) return saved.error();
    return std::optional<GateStop>();
  }

  Result<std::optional<GateStop>> restore_gateways() {
    for (const auto& gateway : plan_.helm->gateways) {
      if (auto restored = helm_->restore_release(gateway); !restored) return restored.error();
    }
    return std::optional<GateStop>();
  }

  Result<std::optional<GateStop>> revert_moves() {
    while (!record_.moved_tags.empty()) {
      const auto tag = record_.moved_tags.back();
      if (auto pointed = point_tag(tag, plan_.source.revision); !pointed) return pointed.error();
      record_.moved_tags.pop_back();
      if (auto saved = save(); !saved) return saved.error();
    }
    while (!record_.moved_namespaces.empty()) {
      const auto name = record_.moved_namespaces.back();
      const auto move =
          std::find_if(plan_.namespaces.begin(), plan_.namespaces.end(),
                       [&](const NamespaceMove& entry) { return entry.name == name; });
      if (move != plan_.namespaces.end()) {
        const auto equals = move->label.find('=');
        const auto label = move->label.substr(0, equals);
        const auto value = move->label.substr(equals + 1);
        json labels{{label, value}};
        if (label == kInjectionLabel) labels[kRevisionLabel] = nullptr;
        if (auto set = set_namespace_labels(name, labels); !set) return set.error();
      }
      record_.moved_namespaces.pop_back();
      if (auto saved = save(); !saved) return saved.error();
    }
    return std::optional<GateStop>();
  }

  std::vector<std::string> moved_namespace_names() const {
    std::vector<std::string> names;
    for (const auto& move : plan_.namespaces) names.push_back(move.name);
    return names;
  }

  Result<std::optional<GateStop>> restart_all(const std::string& from, std::string& stamp) {
    if (stamp.empty()) {
      stamp = format_rfc3339(now_seconds());
      if (auto saved = save(); !saved) return saved.error();
    }
    auto restarted = restart(moved_namespace_names(), from, stamp);
    if (!restarted) return restarted.error();
    if (runtime_.detail && !restarted->empty()) {
      runtime_.detail("restarted " + join(*restarted, ", "));
    }
    return std::optional<GateStop>();
  }

  Result<std::optional<GateStop>> wait_all(const std::string& from, const Release& release) {
    for (const auto& batch : plan_.batches()) {
      auto stopped = wait_for(batch, from, release);
      if (!stopped || *stopped) return stopped;
    }
    return std::optional<GateStop>();
  }

  Record& record_;
  const RecordStore& store_;
  Runtime& runtime_;
  const Plan& plan_;
  const kube::Client& client_;
  std::vector<Step> steps_;
  std::string istioctl_;
  std::optional<istioctl::Help> help_;
  std::optional<HelmInstaller> helm_;     // set for a Helm-installed control plane
  std::optional<AmbientRunner> ambient_;  // set for a Helm-installed ambient mesh
  std::string result_text_;  // what a step reports instead of "done" ("already installed")
  Clock::time_point last_save_ = Clock::now();
};

}  // namespace

Status claim(Record& record, const RecordStore& store, std::int64_t now, bool take_over) {
  auto me = current_holder(now);
  if (!take_over && record.holder && holder_alive(*record.holder, me.host, now)) {
    return runtime_error(
        "another getmesh upgrade run (pid " + std::to_string(record.holder->pid) + " on " +
            record.holder->host + ", last seen " + format_rfc3339(record.holder->renewed_at) +
            (record.holder->child > 0 ? ", its istioctl pid " + std::to_string(record.holder->child)
                                      : std::string()) +
            ") is working on the upgrade to " + record.plan.target.version.to_string() +
            " recorded in " + store.describe(),
        "wait for it to end and see \"getmesh upgrade status\"; a run that died is taken over "
        "automatically (at once on the same machine, after " +
            std::to_string(kLeaseSeconds) +
            "s from elsewhere); if you know it is gone, end its claim with --take-over");
  }
  record.holder = me;
  record.updated_at = format_rfc3339(now);
  auto saved = store.save(record);
  if (!saved && saved.error().http_status == 409) {
    return runtime_error("another getmesh upgrade run claimed the upgrade recorded in " +
                             store.describe() + " at the same moment",
                         "see \"getmesh upgrade status\"");
  }
  return saved;
}

namespace {

// A rollback under way must be finished as a rollback: going forward or removing the old
// revision now would strand the proxies it already moved back.
// Releases the claim of this run, which stops before doing anything.
Status refuse_while_rolling_back(Record& record, const RecordStore& store,
                                 const std::string& what) {
  if (record.phase != Phase::kRollingBack) return {};
  record.holder.reset();
  if (auto saved = store.save(record); !saved) return saved.error();
  return runtime_error("a rollback of the upgrade to " + record.plan.target.version.to_string() +
                           " is under way; " + what + " now would undo part of it",
                       "continue it with \"getmesh upgrade rollback\"");
}

}  // namespace

Result<Outcome> apply(Record& record, const RecordStore& store, Runtime& runtime) {
  if (auto allowed = refuse_while_rolling_back(record, store, "continuing the upgrade"); !allowed) {
    return allowed.error();
  }
  record.phase = Phase::kInProgress;
  return Executor(record, store, runtime).apply();
}

Result<Outcome> finish(Record& record, const RecordStore& store, Runtime& runtime) {
  if (auto allowed = refuse_while_rolling_back(record, store, "removing the old control plane");
      !allowed) {
    return allowed.error();
  }
  return Executor(record, store, runtime).finish();
}

Result<Outcome> rollback(Record& record, const RecordStore& store, Runtime& runtime) {
  return Executor(record, store, runtime).rollback();
}

}  // namespace getmesh::upgrade
