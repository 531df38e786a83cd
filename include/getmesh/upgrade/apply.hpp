#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/upgrade/plan.hpp>
#include <getmesh/upgrade/record.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace getmesh::upgrade {

// What the steps need from outside: the cluster, istioctl binaries, a folder for the install's
// IstioOperator file, and somewhere to report progress (none of it prints by itself).
struct Runtime {
  const kube::Client* client = nullptr;
  // The cluster of every istioctl child: the connection this run made (KUBECONFIG in the
  // environment, --context appended to each command line), never a name from the record.
  exec::EnvironmentOverrides istioctl_environment;
  std::vector<std::string> istioctl_cluster;
  // The path of `name`'s istioctl in the getmesh store, fetched and verified when missing.
  std::function<Result<std::string>(const DistributionName& name)> istioctl_for;
  std::filesystem::path work_dir;
  // For Helm plans: the helm to run (found and checked as Helm 3 by the caller), and the target's
  // chart `chart` at `version` from `repository`, stored in `directory` after its archive matched
  // the digest of the repository's index.yaml.
  std::string helm;
  std::function<Result<std::filesystem::path>(const std::string& repository,
                                              const std::string& chart, const std::string& version,
                                              const std::filesystem::path& directory)>
      chart_for;
  // Gates poll the cluster at first after `first_poll`, then twice as long each time, up to
  // `max_poll`: quick rollouts pass quickly, slow ones are not polled hard.
  std::chrono::milliseconds first_poll{100};
  std::chrono::milliseconds max_poll{2000};
  std::chrono::minutes istioctl_timeout{30};
  // How often a run renews its claim on the record while it waits (gates, istioctl), so that
  // runs elsewhere see it alive; well within kLeaseSeconds.
  std::chrono::seconds renew_every{kLeaseSeconds / 4};
  // A step starts (number counts from 1) and ends ("done", "done earlier", "nothing to do" …).
  std::function<void(int number, int total, const Step& step)> step_started;
  std::function<void(const Step& step, const std::string& result)> step_finished;
  std::function<void(const std::string& text)> detail;   // a line of a step's progress (a batch)
  std::function<void(const std::string& text)> waiting;  // transient: what a gate waits for
  std::function<void(const std::string& text)> note;
};

enum class Ending {
  kCompleted,       // finished (old revision removed) or rolled back
  kAwaitingFinish,  // the data plane moved; `finish` removes the old revision
  kStoppedAtGate,   // a gate did not pass in time or refused; nothing is broken (exit 3)
};

struct Outcome {
  Ending ending = Ending::kCompleted;
  std::string message;  // the summary, or what the gate waited for
};

// Claims `record` for this run: refused while another live run holds it (see Holder), unless
// `take_over`: the user ended that claim by hand (the other run stops at its next write).
Status claim(Record& record, const RecordStore& store, std::int64_t now, bool take_over = false);

// Runs the steps the record has not done yet, saving progress after each. Each step reads the
// cluster before it writes, so running again after a failure or an interruption continues. A
// failed step is an error that says which step, why, and how to resume or roll back.
Result<Outcome> apply(Record& record, const RecordStore& store, Runtime& runtime);

// Removes the old revision once the data plane moved (refused while a proxy still uses it).
Result<Outcome> finish(Record& record, const RecordStore& store, Runtime& runtime);

// Reverses the moves made so far (tags and labels back, restarts, waits for the proxies), then
// removes the new revision. Allowed at any point before `finish`.
Result<Outcome> rollback(Record& record, const RecordStore& store, Runtime& runtime);

}  // namespace getmesh::upgrade
