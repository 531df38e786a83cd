#include "validate/index.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
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
  return "skipped " + counted(static_cast<std::size_t>(total), "object") +
         " of kinds config-validate does not check: " + join(parts, ", ");
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

// The cluster Secrets read as metadata that a Gateway names as credentialName, in the Gateway's
// namespace or one of its workloads'.
std::vector<std::size_t> credential_secrets(const std::vector<Resource>& world) {
  std::set<std::pair<std::string, std::string>> wanted;  // namespace, name
  for (const auto& gateway : world) {
    if (gateway.kind != Kind::kGateway) continue;
    bool credentials = false;
    gateway.spec()["servers"].for_each_item([&](const Node& server) {
      credentials = credentials || !server["tls"]["credentialName"].str().empty();
    });
    if (!credentials) continue;
    std::set<std::string> namespaces = {gateway.namespace_};
    const auto selector = gateway.spec()["selector"].string_map();
    for (const auto& workload : world) {
      if (workload.kind == Kind::kPod && selector_matches(selector, workload.labels)) {
        namespaces.insert(workload.namespace_);
      } else if (workload.kind == Kind::kDeployment &&
                 selector_matches(selector,
                                  workload.spec()["template"]["metadata"]["labels"].string_map())) {
        namespaces.insert(workload.namespace_);
      }
    }
    gateway.spec()["servers"].for_each_item([&](const Node& server) {
      const auto& credential = server["tls"]["credentialName"].str();
      if (credential.empty()) return;
      for (const auto& ns : namespaces) wanted.emplace(ns, credential);
    });
  }
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < world.size(); ++i) {
    const auto& secret = world[i];
    if (secret.kind == Kind::kSecret && secret.metadata_only &&
        wanted.contains({secret.namespace_, secret.name}))
      found.push_back(i);
  }
  return found;
}

// Reads the data of the credential Secrets (--read-secrets), or notes that they were not judged.
Status complete_credential_secrets(const Request& request, std::vector<Resource>& world,
                                   Report& report) {
  const auto secrets = credential_secrets(world);
  if (secrets.empty()) return {};
  if (!request.read_secrets) {
    report.notes.push_back(
        "IST0161 (invalid Gateway credential) was not checked for " +
        counted(secrets.size(), "Secret") +
        " named by Gateway credentialName: Secrets are read as metadata only; pass "
        "--read-secrets to read their data");
    return {};
  }
  for (const auto position : secrets) {
    auto& secret = world[position];
    auto full = request.cluster->read_secret(secret.namespace_, secret.name);
    if (!full) {
      if (full.error().http_status != 403) return full.error();
      report.warnings.push_back(full.error().message +
                                "; IST0161 is not checked for that Gateway credential");
      continue;
    }
    if (*full) secret = std::move(**full);
  }
  return {};
}

Error no_istio_error(const std::string& cluster) {
  return runtime_error(
      cluster +
          " serves none of the Istio configuration kinds (networking.istio.io, "
          "security.istio.io, telemetry.istio.io): Istio is not installed there, so there is "
          "no configuration to validate",
      "install Istio first, choose another cluster with --context, or validate files with "
      "\"getmesh config-validate --offline PATH\"");
}

}  // namespace

std::vector<Finding> in_namespace(std::vector<Finding> findings, const std::string& namespace_) {
  if (namespace_.empty()) return findings;
  std::erase_if(findings, [&](const Finding& finding) {
    const auto& object = finding.object;
    if (object.kind == "Namespace") return object.name != namespace_;  // another namespace itself
    return !object.namespace_.empty() && object.namespace_ != namespace_;
  });
  return findings;
}

Result<Report> validate(const Request& request) {
  Report report;
  LoadOptions load_options;
  load_options.default_namespace = !request.namespace_.empty()          ? request.namespace_
                                   : !request.context_namespace.empty() ? request.context_namespace
                                                                        : "default";
  load_options.read_stdin = request.read_stdin;
  auto loaded = load_paths(request.paths, load_options);
  report.problems = std::move(loaded.problems);
  report.notes = std::move(loaded.notes);
  report.files = loaded.files.size();
  if (!loaded.skipped.empty()) report.notes.push_back(skipped_note(loaded.skipped));

  ClusterState cluster;
  if (request.cluster != nullptr) {
    auto read = request.cluster->read(cluster_kinds());
    if (!read) return read.error();
    cluster = std::move(*read);
    if (!cluster.serves_istio) {
      if (request.paths.empty()) return no_istio_error(request.cluster->describe());
      report.notes.push_back(request.cluster->describe() +
                             " serves no Istio configuration kinds (Istio is not installed); the "
                             "files were validated against its Kubernetes objects");
    }
    report.warnings = std::move(cluster.warnings);
  }
  auto world = overlay(std::move(cluster.resources), std::move(loaded.resources));
  if (request.cluster != nullptr) {
    if (auto completed = complete_credential_secrets(request, world, report); !completed)
      return completed.error();
  }
  report.objects = world.size();
  AnalyzeOptions options;
  options.mesh = request.mesh;
  options.complete_kinds = cluster.complete;
  options.alpha_annotations = request.alpha_annotations;
  options.skip_wildcard_gateway_hosts = request.skip_wildcard_gateway_hosts;
  options.files_only = request.cluster == nullptr;
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
