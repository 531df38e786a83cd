#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/validate/analyze.hpp>
#include <getmesh/validate/finding.hpp>
#include <getmesh/validate/istioctl.hpp>
#include <getmesh/validate/load.hpp>
#include <getmesh/validate/source.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::validate {

// What `getmesh config-validate` was asked to check.
struct Request {
  std::vector<std::string> paths;
  std::string namespace_;  // -n; "" means all namespaces
  // The namespace of file objects that name none when -n is not given: the kubeconfig context's
  // namespace, as istioctl analyze and kubectl take it ("" means "default").
  std::string context_namespace;
  std::function<Result<std::string>()> read_stdin;
  // The live cluster, or nullptr when offline: the files are then the whole world.
  ResourceSource* cluster = nullptr;
  // Read the data of the cluster Secrets that Gateways name as credentialName (IST0161); otherwise
  // Secrets stay metadata only and a note says what was not checked.
  bool read_secrets = false;
  // Also run istioctl analyze (its binary and connection settings); nullopt to skip.
  std::optional<IstioctlRequest> istioctl;
  MeshSettings mesh;
  bool alpha_annotations = false;            // also report alpha-phase annotations (IST0136)
  bool skip_wildcard_gateway_hosts = false;  // AnalyzeOptions::skip_wildcard_gateway_hosts
};

struct Report {
  // Findings on objects of the selected namespace (and cluster-scoped ones), sorted, de-duplicated;
  // ours first, then istioctl's that we did not also find.
  std::vector<Finding> findings;
  std::vector<InputProblem> problems;  // what could not be read; the rest was still checked
  std::vector<std::string> notes;      // for stderr: defaulted namespaces, skipped kinds, istioctl
  std::vector<std::string> warnings;   // for stderr: cluster kinds that could not be read
  std::size_t objects = 0;             // objects checked (files and cluster)
  std::size_t files = 0;
};

// Loads the files, overlays them on the cluster, runs every check (and istioctl analyze when asked)
// and filters by namespace. Fails only when the cluster or istioctl cannot be used, or when a
// cluster without Istio is all there is to validate.
Result<Report> validate(const Request& request);

// Keeps findings on objects of `namespace_`, on the Namespace object `namespace_` and on other
// cluster-scoped objects (all findings when `namespace_` is "").
std::vector<Finding> in_namespace(std::vector<Finding> findings, const std::string& namespace_);

}  // namespace getmesh::validate
