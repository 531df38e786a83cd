#pragma once

#include <getmesh/core/result.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::upgrade {

// A Helm release of one of Istio's charts, as `helm list` and `helm get values` show it.
struct HelmRelease {
  std::string name;            // "istiod", "istio-base", "istio-ingress"
  std::string namespace_name;  // where the release lives
  std::string chart;           // the chart's name: "base", "istiod", "gateway", "cni", "ztunnel"
  std::string chart_version;   // "1.30.8"
  int revision = 0;            // Helm's release revision: what `helm rollback` goes back to
  nlohmann::json values = nlohmann::json::object();  // the values the user gave it, never null
};

// A Helm-installed control plane upgraded Istio's documented Helm way: the base chart in place,
// the new istiod as a new release beside the old one, gateways in place after the data plane.
struct HelmUpgrade {
  std::string chart_repo;                  // where the target's charts come from
  std::optional<HelmRelease> base;         // upgraded in place first (CRDs and base)
  HelmRelease control_plane;               // the running istiod release, removed by finish
  std::string new_release;                 // "istiod-<revision>": the one release getmesh adds
  nlohmann::json new_values;               // control_plane's values for the new revision
  std::vector<std::string> dropped;        // values left out of new_values ("revisionTags")
  std::vector<HelmRelease> gateways;       // `gateway` chart releases, upgraded in place
  std::vector<std::string> gateway_moves;  // "<release>: revision <old> → <new>" or kept
  // Ambient mode (Istio's ambient Helm upgrade): the `cni` and `ztunnel` chart releases, each
  // upgraded in place after the new control plane with its values for the target (`tag` left
  // out; ztunnel's `revision` the new one); nullopt when the mesh has none.
  std::optional<HelmRelease> cni;
  std::optional<HelmRelease> ztunnel;
  // The kubeconfig file of this run for helm's --kubeconfig: not recorded (another machine
  // resuming the upgrade has its own); empty when getmesh read the default one.
  std::string kubeconfig;
  // The context this run resolved, for helm's --kube-context: not recorded either, so a resumed
  // upgrade never acts on a cluster through a name read from the record.
  std::string kube_context;
};

// The releases in `helm list --all-namespaces -o json` output (values not yet read). A release's
// chart is "<name>-<version>"; output that is not that list is an error naming `where`.
Result<std::vector<HelmRelease>> parse_helm_list(std::string_view text, const std::string& where);

// The values in `helm get values -o json` output ("null" when the release has none).
Result<nlohmann::json> parse_helm_values(std::string_view text, const std::string& where);

// The revision a release of the istiod or gateway chart serves: its `revision` value, else
// "default".
std::string served_revision(const HelmRelease& release);

// JSON of the Helm part of a plan, and back (the kubeconfig is not part of it).
nlohmann::ordered_json to_json(const HelmUpgrade& helm);
Result<HelmUpgrade> helm_from_json(const nlohmann::json& document);

}  // namespace getmesh::upgrade
