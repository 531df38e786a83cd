#include "validate/index.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>

namespace getmesh::validate {

namespace {

std::string key_of(Kind kind, std::string_view ns) {
  return std::to_string(static_cast<int>(kind)) + "|" + std::string(ns);
}

std::string key_of(Kind kind, std::string_view ns, std::string_view name) {
  return key_of(kind, ns) + "|" + std::string(name);
}

std::string pair_key(std::string_view key, std::string_view value) {
  return std::string(key) + "=" + std::string(value);
}

// exportTo entries with "." replaced by the object's own namespace; empty means everywhere.
std::vector<std::string> scopes_of(const std::vector<std::string>& export_to,
                                   std::string_view own) {
  if (export_to.empty()) return {"*"};
  std::vector<std::string> scopes;
  for (const auto& entry : export_to) scopes.push_back(entry == "." ? std::string(own) : entry);
  return scopes;
}

}  // namespace

const std::string* Workload::label(std::string_view key) const {
  for (const auto& [name, value] : labels) {
    if (name == key) return &value;
  }
  return nullptr;
}

bool HostEntry::visible_from(std::string_view namespace_) const {
  return std::any_of(export_to.begin(), export_to.end(),
                     [&](const std::string& scope) { return scope == "*" || scope == namespace_; });
}

std::string expand_host(std::string_view host, std::string_view ns) {
  if (host.empty() || host.find('.') != std::string_view::npos || host.front() == '*') {
    return std::string(host);
  }
  return std::string(host) + "." + std::string(ns) + ".svc.cluster.local";
}

bool wildcard_match(std::string_view pattern, std::string_view name) {
  if (pattern == "*") return true;
  if (!pattern.starts_with("*")) return pattern == name;
  const auto suffix = pattern.substr(1);
  return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

bool hosts_overlap(std::string_view a, std::string_view b) {
  return wildcard_match(a, b) || wildcard_match(b, a);
}

bool selector_matches(const Labels& selector, const Labels& labels) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& wanted) {
    return std::find(labels.begin(), labels.end(), wanted) != labels.end();
  });
}

std::string selector_text(const Labels& selector) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : selector) parts.push_back(key + "=" + value);
  std::sort(parts.begin(), parts.end());
  return join(parts, ",");
}

ResourceIndex::ResourceIndex(const std::vector<Resource>& resources, const AnalyzeOptions& options)
    : options_(options) {
  for (const auto& resource : resources) {
    const auto kind = static_cast<std::size_t>(resource.kind);
    by_kind_[kind].push_back(&resource);
    present_[kind] = true;
    by_namespace_[key_of(resource.kind, resource.namespace_)].push_back(&resource);
    by_name_[key_of(resource.kind, resource.namespace_, resource.name)] = &resource;
    if (resource.kind == Kind::kNamespace) {
      namespaces_.insert(resource.name);
    } else if (!options.complete_kinds[static_cast<std::size_t>(Kind::kNamespace)]) {
      namespaces_.insert(resource.namespace_);
    }
    switch (resource.kind) {
      case Kind::kPod:
        add_workload(resource, resource.metadata(), &resource.spec());
        break;
      case Kind::kDeployment:
        add_workload(resource, resource.spec()["template"]["metadata"],
                     &resource.spec()["template"]["spec"]);
        break;
      case Kind::kService:
        add_service(resource);
        break;
      case Kind::kServiceEntry:
        add_service_entry(resource);
        break;
      case Kind::kDestinationRule: {
        const auto& host = resource.spec()["host"];
        if (host.is_scalar()) {
          destination_rules_[expand_host(host.str(), resource.namespace_)].push_back(&resource);
        }
        break;
      }
      default:
        break;
    }
  }
  for (const auto* service : of_kind(Kind::kService)) {
    const auto selector = service->spec()["selector"].string_map();
    if (selector.empty()) continue;
    for (const auto* workload : select(service->namespace_, selector)) {
      workloads_[static_cast<std::size_t>(workload - workloads_.data())].services.push_back(
          service);
    }
  }
}

void ResourceIndex::add_workload(const Resource& resource, const Node& template_metadata,
                                 const Node* pod_spec) {
  const auto position = workloads_.size();
  workloads_.push_back(
      {&resource, resource.namespace_, template_metadata["labels"].string_map(), pod_spec, {}});
  for (const auto& [key, value] : workloads_.back().labels) {
    workloads_by_label_[pair_key(key, value)].push_back(position);
  }
  workloads_by_namespace_[resource.namespace_].push_back(position);
}

void ResourceIndex::add_service(const Resource& resource) {
  HostEntry entry;
  entry.resource = &resource;
  entry.fqdn = resource.name + "." + resource.namespace_ + ".svc.cluster.local";
  resource.spec()["ports"].for_each_item([&](const Node& port) {
    ServicePort parsed;
    parsed.number = port["port"].as_int().value_or(0);
    parsed.name = port["name"].str();
    parsed.protocol = port["protocol"].is_scalar() ? port["protocol"].str() : "TCP";
    parsed.target_port =
        port["targetPort"].as_int().value_or(port["targetPort"].is_null() ? parsed.number : 0);
    entry.ports.push_back(std::move(parsed));
  });
  std::vector<std::string> export_to;
  if (const auto* annotation = resource.annotation("networking.istio.io/exportTo")) {
    for (const auto& part : split(*annotation, ',')) export_to.emplace_back(trim(part));
  }
  entry.export_to = scopes_of(export_to, resource.namespace_);
  hosts_[entry.fqdn].push_back(std::move(entry));
}

void ResourceIndex::add_service_entry(const Resource& resource) {
  const auto& spec = resource.spec();
  std::vector<ServicePort> ports;
  spec["ports"].for_each_item([&](const Node& port) {
    ports.push_back({port["number"].as_int().value_or(0), port["name"].str(),
                     port["protocol"].str(), port["targetPort"].as_int().value_or(0)});
  });
  const auto scopes = scopes_of(spec["exportTo"].strings(), resource.namespace_);
  for (const auto& host : spec["hosts"].strings()) {
    HostEntry entry{&resource, expand_host(host, resource.namespace_), ports, scopes};
    if (entry.fqdn.starts_with("*")) {
      wildcard_hosts_.push_back(std::move(entry));
    } else {
      hosts_[entry.fqdn].push_back(std::move(entry));
    }
  }
}

std::span<const Resource* const> ResourceIndex::in_namespace(Kind kind, std::string_view ns) const {
  const auto found = by_namespace_.find(key_of(kind, ns));
  if (found == by_namespace_.end()) return {};
  return found->second;
}

const Resource* ResourceIndex::find(Kind kind, std::string_view ns, std::string_view name) const {
  const auto found = by_name_.find(key_of(kind, ns, name));
  return found == by_name_.end() ? nullptr : found->second;
}

bool ResourceIndex::knows(Kind kind) const {
  const auto position = static_cast<std::size_t>(kind);
  return options_.complete_kinds[position] || present_[position];
}

bool ResourceIndex::namespace_exists(std::string_view name) const {
  return namespaces_.contains(std::string(name));
}

std::vector<const Workload*> ResourceIndex::select(std::string_view ns,
                                                   const Labels& selector) const {
  std::vector<const Workload*> selected;
  const std::vector<std::size_t>* candidates = nullptr;
  for (const auto& [key, value] : selector) {
    const auto found = workloads_by_label_.find(pair_key(key, value));
    if (found == workloads_by_label_.end()) return selected;
    if (candidates == nullptr || found->second.size() < candidates->size()) {
      candidates = &found->second;
    }
  }
  if (candidates == nullptr) {
    if (ns.empty()) {
      for (const auto& workload : workloads_) selected.push_back(&workload);
      return selected;
    }
    const auto found = workloads_by_namespace_.find(std::string(ns));
    if (found == workloads_by_namespace_.end()) return selected;
    candidates = &found->second;
  }
  for (const auto position : *candidates) {
    const auto& workload = workloads_[position];
    if ((ns.empty() || workload.namespace_ == ns) && selector_matches(selector, workload.labels)) {
      selected.push_back(&workload);
    }
  }
  return selected;
}

const HostEntry* ResourceIndex::resolve_host(std::string_view host, std::string_view from) const {
  return resolve_in(host, from, from);
}

const HostEntry* ResourceIndex::resolve_host(std::string_view host, std::string_view from,
                                             const std::vector<std::string>& export_to) const {
  if (export_to.empty()) return resolve_in(host, from, from);
  for (const auto& scope : export_to) {
    if (const auto* entry = resolve_in(host, from, scope == "." ? from : std::string_view(scope)))
      return entry;
  }
  return nullptr;
}

const HostEntry* ResourceIndex::resolve_in(std::string_view host, std::string_view from,
                                           std::string_view scope) const {
  const auto fqdn = expand_host(host, from);
  if (const auto found = hosts_.find(fqdn); found != hosts_.end()) {
    for (const auto& entry : found->second) {
      if (entry.visible_from(scope)) return &entry;
    }
  }
  for (const auto& entry : wildcard_hosts_) {
    if (entry.visible_from(scope) && wildcard_match(entry.fqdn, fqdn)) return &entry;
  }
  return nullptr;
}

const HostEntry* ResourceIndex::service(std::string_view fqdn) const {
  const auto found = hosts_.find(std::string(fqdn));
  if (found == hosts_.end()) return nullptr;
  for (const auto& entry : found->second) {
    if (entry.resource->kind == Kind::kService) return &entry;
  }
  return nullptr;
}

std::span<const Resource* const> ResourceIndex::destination_rules_for(std::string_view fqdn) const {
  const auto found = destination_rules_.find(std::string(fqdn));
  if (found == destination_rules_.end()) return {};
  return found->second;
}

bool ResourceIndex::has_subset(std::string_view fqdn, std::string_view subset) const {
  for (const auto* rule : destination_rules_for(fqdn)) {
    bool found = false;
    rule->spec()["subsets"].for_each_item(
        [&](const Node& item) { found = found || item["name"].str() == subset; });
    if (found) return true;
  }
  return false;
}

}  // namespace getmesh::validate
