#pragma once

#include <getmesh/validate/finding.hpp>
#include <getmesh/validate/resource.hpp>

#include <bitset>
#include <string>
#include <vector>

namespace getmesh::validate {

// The mesh-wide settings the checks depend on: Istio's defaults, overridden by the mesh config of
// the `istio` ConfigMap when the input (files or cluster) holds it.
struct MeshSettings {
  std::string root_namespace = "istio-system";
  bool auto_mtls = true;
  // trustDomain and trustDomainAliases: the domains of workload identities (principals).
  std::string trust_domain = "cluster.local";
  std::vector<std::string> trust_domain_aliases;
  // defaultConfig.image.imageType ("distroless"); empty for the default image.
  std::string image_type;
  // defaultConfig.proxyMetadata enables DNS capture with automatic address allocation, so
  // ServiceEntries need no addresses (IST0134).
  bool dns_auto_allocation = false;
  // defaultProviders.accessLogging (IST0157).
  std::vector<std::string> default_access_log_providers;
  // Names of extensionProviders of the deprecated Lightstep type (IST0002).
  std::vector<std::string> lightstep_providers;
  // outboundTrafficPolicy.mode is ALLOW_ANY: Kiali lowers hosts not found (KIA0104, KIA0202,
  // KIA1101) to warnings, as traffic to unknown hosts still leaves the mesh.
  bool outbound_allow_any = false;
};

// A set of kinds.
using KindSet = std::bitset<kKindCount>;

struct AnalyzeOptions {
  MeshSettings mesh;
  // Kinds read in full from a live cluster: a missing object of such a kind does not exist.
  // For the other kinds (all of them offline), checks that need a Kubernetes kind (Services, Pods,
  // Namespaces, ...) only run when the input holds at least one object of that kind.
  KindSet complete_kinds;
  // The files are the whole world (no cluster): a Secret they do not hold does not exist, and, as
  // istioctl analyze does without a cluster, Istio's default ingress gateway (pods labelled
  // istio=ingressgateway in the root namespace) is assumed to run.
  bool files_only = false;
  // Also report annotations of alpha-phase features (IST0136), which istioctl analyze leaves out of
  // its default run because injected pods carry several.
  bool alpha_annotations = false;
  // Gateway server hosts `*` collide with no host (KIA0301), as Kiali's feature flag
  // validations.skip_wildcard_gateway_hosts has it; by default they collide with every host.
  bool skip_wildcard_gateway_hosts = false;
};

// Runs every check on `resources` (the whole world: files overlaid on the cluster) and returns the
// findings, honouring `galley.istio.io/analyze-suppress`, sorted and de-duplicated.
std::vector<Finding> analyze(const std::vector<Resource>& resources, const AnalyzeOptions& options);

}  // namespace getmesh::validate
