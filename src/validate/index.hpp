#pragma once

#include <getmesh/validate/analyze.hpp>
#include <getmesh/validate/resource.hpp>

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace getmesh::validate {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Something that runs pods: a Pod, or the pod template of a Deployment (offline inputs rarely hold
// Pods, so a Deployment stands for the pods it would create).
struct Workload {
  const Resource* resource = nullptr;
  std::string namespace_;
  Labels labels;
  const Node* pod_spec = nullptr;
  std::vector<const Resource*> services;  // Services of its namespace whose selector picks it
  [[nodiscard]] const std::string* label(std::string_view key) const;
};

struct ServicePort {
  std::int64_t number = 0;
  std::string name;
  std::string protocol;  // Istio protocol for ServiceEntries, Kubernetes protocol for Services
  std::int64_t target_port = 0;  // 0 when named or unset
};

// A Service or a ServiceEntry host, as the hosts of routes and rules resolve to.
struct HostEntry {
  const Resource* resource = nullptr;
  std::string fqdn;
  std::vector<ServicePort> ports;
  std::vector<std::string> export_to;  // "*" or namespaces; "." already replaced
  [[nodiscard]] bool visible_from(std::string_view namespace_) const;
};

// Every lookup a check needs, prepared once so that cross-references are hash lookups.
class ResourceIndex {
 public:
  ResourceIndex(const std::vector<Resource>& resources, const AnalyzeOptions& options);

  [[nodiscard]] const AnalyzeOptions& options() const { return options_; }
  [[nodiscard]] const std::vector<const Resource*>& of_kind(Kind kind) const {
    return by_kind_[static_cast<std::size_t>(kind)];
  }
  [[nodiscard]] std::span<const Resource* const> in_namespace(Kind kind, std::string_view ns) const;
  [[nodiscard]] const Resource* find(Kind kind, std::string_view ns, std::string_view name) const;
  // Whether absence of a `kind` object means it does not exist (see
  // AnalyzeOptions::complete_kinds).
  [[nodiscard]] bool knows(Kind kind) const;
  [[nodiscard]] bool knows_workloads() const {
    return knows(Kind::kPod) || knows(Kind::kDeployment);
  }

  // Namespaces: Namespace objects, plus every namespace an object lives in unless Namespaces were
  // read from a cluster.
  [[nodiscard]] bool namespace_exists(std::string_view name) const;
  [[nodiscard]] const std::unordered_set<std::string>& namespaces() const { return namespaces_; }

  // Workloads in `ns` (all namespaces when empty) whose labels include every pair of `selector`.
  [[nodiscard]] std::vector<const Workload*> select(std::string_view ns,
                                                    const Labels& selector) const;
  [[nodiscard]] const std::vector<Workload>& workloads() const { return workloads_; }

  // The Service or ServiceEntry `host` names, seen from namespace `from`: exact FQDN first, then
  // wildcard ServiceEntry hosts. Short names are expanded relative to `from`.
  [[nodiscard]] const HostEntry* resolve_host(std::string_view host, std::string_view from) const;
  // The same for an object exported to `export_to` (its `exportTo`): the host must be visible in
  // one of those namespaces ("." is `from`); an empty list means `from`.
  [[nodiscard]] const HostEntry* resolve_host(std::string_view host, std::string_view from,
                                              const std::vector<std::string>& export_to) const;
  // The Service named by "name.ns.svc.cluster.local".
  [[nodiscard]] const HostEntry* service(std::string_view fqdn) const;

  // DestinationRules whose host expands to `fqdn`.
  [[nodiscard]] std::span<const Resource* const> destination_rules_for(std::string_view fqdn) const;
  // Whether a DestinationRule for `fqdn` defines the subset named `subset`.
  [[nodiscard]] bool has_subset(std::string_view fqdn, std::string_view subset) const;

 private:
  void add_workload(const Resource& resource, const Node& template_metadata, const Node* pod_spec);
  void add_service(const Resource& resource);
  void add_service_entry(const Resource& resource);
  [[nodiscard]] const HostEntry* resolve_in(std::string_view host, std::string_view from,
                                            std::string_view scope) const;

  AnalyzeOptions options_;
  std::array<std::vector<const Resource*>, kKindCount> by_kind_;
  std::array<bool, kKindCount> present_{};
  std::unordered_map<std::string, std::vector<const Resource*>> by_namespace_;  // kind|ns
  std::unordered_map<std::string, const Resource*> by_name_;                    // kind|ns|name
  std::unordered_set<std::string> namespaces_;
  std::vector<Workload> workloads_;
  std::unordered_map<std::string, std::vector<std::size_t>> workloads_by_label_;  // k=v
  std::unordered_map<std::string, std::vector<std::size_t>> workloads_by_namespace_;
  std::unordered_map<std::string, std::vector<HostEntry>> hosts_;  // fqdn → Services and SEs
  std::vector<HostEntry> wildcard_hosts_;                          // "*.example.com" SEs
  std::unordered_map<std::string, std::vector<const Resource*>> destination_rules_;
};

// Expands a short host ("reviews") to "reviews.<ns>.svc.cluster.local"; FQDNs and wildcards stay.
std::string expand_host(std::string_view host, std::string_view ns);

// Whether `name` matches the wildcard `pattern` ("*" matches all, "*.x.com" any suffix .x.com).
bool wildcard_match(std::string_view pattern, std::string_view name);
// Whether two host patterns can name a common host (each may be a wildcard).
bool hosts_overlap(std::string_view a, std::string_view b);

// Whether `labels` include every pair of `selector`.
bool selector_matches(const Labels& selector, const Labels& labels);
// "app=reviews,version=v1"
std::string selector_text(const Labels& selector);

}  // namespace getmesh::validate
