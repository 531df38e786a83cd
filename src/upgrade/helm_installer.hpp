#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/upgrade/apply.hpp>
#include <getmesh/upgrade/plan.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::upgrade {

// What the steps of a Helm plan do with helm and the chart repository; the executor keeps the
// order, the record, the gates and the claim. Each operation reads before it writes, so running it
// again after an interruption is safe.
class HelmInstaller {
 public:
  // Runs a child (argv[0] is the program) while the executor keeps its claim alive.
  using Run = std::function<Result<exec::Captured>(const std::vector<std::string>& argv)>;

  HelmInstaller(const Plan& plan, const kube::Client& client, const Runtime& runtime, Run run)
      : plan_(plan), client_(client), runtime_(runtime), run_(std::move(run)) {}

  // Before any change: the target's charts fetched and verified, the values files written, and
  // the new control plane rendered with the running release's values (values that no longer
  // render are refused here).
  Status prepare();
  // The base chart upgraded in place (CRDs first, Istio's order), then the new istiod release.
  Status install();
  // Points revision tag `tag` at `revision` the way Istio's Helm guide does: the istiod chart's
  // revision-tag template rendered for it and its webhooks created or replaced.
  Status point_tag(const std::string& tag, const std::string& revision);
  // `helm upgrade` of a gateway release with the target's gateway chart.
  Status upgrade_gateway(const HelmRelease& gateway);
  // `helm upgrade` in place of a release of `chart` (cni, ztunnel) with its values, then `sets`.
  Status upgrade_in_place(const HelmRelease& release, std::string_view chart,
                          const std::vector<std::string>& sets = {});
  // Refuses, before any change, a ztunnel chart whose DaemonSet does not render with
  // `updateStrategy.type` OnDelete from `sets` (what --ztunnel-drain needs).
  Status check_ztunnel_on_delete(const std::vector<std::string>& sets);
  // `helm rollback` of a release (gateway, cni, ztunnel) to the revision it had before the
  // upgrade, when this upgrade upgraded it (its chart is the target's); otherwise nothing.
  Status restore_release(const HelmRelease& release);
  // The base release's defaultRevision pointed at the target revision, and back to the
  // release's own values (helm_default_revision).
  Status switch_default_revision();
  Status restore_default_revision();
  // `helm uninstall` of one release of the Istio namespace.
  Status uninstall(const std::string& release);

 private:
  Status ensure_files();
  Status must_pass(const std::vector<std::string>& args, const std::string& what);
  Result<exec::Captured> helm(const std::vector<std::string>& args);
  [[nodiscard]] std::string dir() const;
  Status apply_object(const nlohmann::json& object);

  const Plan& plan_;
  const kube::Client& client_;
  const Runtime& runtime_;
  Run run_;
  bool files_ready_ = false;
};

}  // namespace getmesh::upgrade
