#include <getmesh/core/strings.hpp>
#include <getmesh/validate/validate.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace getmesh::validate {

namespace {

std::string skipped_note(const std::map<std::string, int>& skipped) {
  std::vector<std::string> parts;
  int total = 0;
  for (const auto& [kind, count] : skipped) {
    parts.push_back(kind + " (" + std::to_string(count) + ")");
    total += count;
  }
  return "skipped " + std::to_string(total) +
         " object(s) of kinds config-validate does not check: " + join(parts, ", ");
}

// Adds istioctl's findings that we did not report ourselves (same code, object and message).
void merge(std::vector<Finding>& ours, const std::vector<Finding>& theirs) {
  const auto key = [](const Finding& f) { return std::tie(f.code, f.object, f.message); };
  std::set<std::tuple<const std::string&, const ObjectRef&, const std::string&>> seen;
  for (const auto& finding : ours) seen.insert(key(finding));
  std::vector<Finding> added;
  for (const auto& finding : theirs) {
    if (seen.insert(key(finding)).second) added.push_back(finding);
  }
  ours.insert(ours.end(), added.begin(), added.end());
}

}  // namespace

std::vector<Finding> in_namespace(std::vector<Finding> findings, const std::string& namespace_) {
  if (namespace_.empty()) return findings;
  std::erase_if(findings, [&](const Finding& finding) {
    return !finding.object.namespace_.empty() && finding.object.namespace_ != namespace_;
  });
  return findings;
}

Result<Report> validate(const Request& request) {
  Report report;
  LoadOptions load_options;
  load_options.default_namespace = request.namespace_.empty() ? "default" : request.namespace_;
  load_options.read_stdin = request.read_stdin;
  auto loaded = load_paths(request.paths, load_options);
  report.problems = std::move(loaded.problems);
  report.notes = std::move(loaded.notes);
  report.files = loaded.files.size();
  if (!loaded.skipped.empty()) report.notes.push_back(skipped_note(loaded.skipped));

  std::vector<Resource> cluster;
  if (request.cluster != nullptr) {
    auto listed = request.cluster->list(cluster_kinds());
    if (!listed)
      return listed.error().with_context("cannot read the Istio configuration of " +
                                         request.cluster->describe());
    cluster = std::move(*listed);
  }
  const auto world = overlay(std::move(cluster), std::move(loaded.resources));
  report.objects = world.size();
  AnalyzeOptions options;
  options.mesh = request.mesh;
  options.cluster_state = request.cluster != nullptr;
  auto findings = analyze(world, options);

  if (request.istioctl) {
    auto theirs = run_istioctl_analyze(*request.istioctl);
    if (!theirs) return theirs.error();
    if (!theirs->warning.empty()) report.notes.push_back(theirs->warning);
    merge(findings, theirs->findings);
    sort_and_deduplicate(findings);
  }
  report.findings = in_namespace(std::move(findings), request.namespace_);
  return report;
}

}  // namespace getmesh::validate
