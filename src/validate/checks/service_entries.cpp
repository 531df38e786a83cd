#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

// IST0134: TCP ports of a ServiceEntry without addresses cannot be told apart by the sidecar,
// unless the mesh allocates addresses (mesh config, or already allocated in the status).
void check_addresses(const CheckContext& context, const Resource& entry) {
  const auto& spec = entry.spec();
  if (!spec["addresses"].empty() || context.mesh().dns_auto_allocation ||
      !entry.document["status"]["addresses"].empty())
    return;
  spec["ports"].for_each_item([&](const Node& port) {
    const auto protocol = to_lower(port["protocol"].str());
    if (!protocol.empty() && protocol != "tcp") return;
    context.sink.add(entry, "IST0134", "ServiceEntry addresses are required for this protocol.",
                     port.line());
  });
}

struct PortUse {
  const Resource* entry;
  std::string protocol;
};

// IST0177 and KIA1211/KIA1212: ServiceEntries that define the same host and port.
void check_duplicate_ports(const CheckContext& context) {
  std::unordered_map<std::string, std::vector<PortUse>> uses;  // scope|host|port
  for (const auto* entry : context.index.of_kind(Kind::kServiceEntry)) {
    auto scopes = entry->spec()["exportTo"].strings();
    if (scopes.empty()) scopes = {"*"};
    for (const auto& host : entry->spec()["hosts"].strings()) {
      entry->spec()["ports"].for_each_item([&](const Node& port) {
        for (auto scope : scopes) {
          if (scope == ".") scope = entry->namespace_;
          uses[scope + "|" + host + "|" + port["number"].str()].push_back(
              {entry, to_lower(port["protocol"].str())});
        }
      });
    }
  }
  std::set<std::pair<const Resource*, std::string>> reported;
  for (const auto& [key, list] : uses) {
    std::vector<PortUse> all = list;
    if (!key.starts_with("*|")) {
      const auto star = uses.find("*" + key.substr(key.find('|')));
      if (star != uses.end()) all.insert(all.end(), star->second.begin(), star->second.end());
    }
    std::set<const Resource*> entries;
    std::set<std::string> protocols;
    for (const auto& use : all) {
      entries.insert(use.entry);
      protocols.insert(use.protocol);
    }
    if (entries.size() < 2) continue;
    const auto parts = split(key, '|');
    const auto what = parts[1] + ":" + parts[2];
    std::vector<std::string> names;
    for (const auto* entry : entries) names.push_back(qualified(*entry));
    for (const auto* entry : entries) {
      if (!reported.insert({entry, what}).second) continue;
      if (protocols.size() > 1) {
        context.sink.add(*entry, "IST0177",
                         "ServiceEntries " + join(names, ",") + " define host " + parts[1] +
                             " port " + parts[2] +
                             " with conflicting protocols; only one protocol can be used");
        context.sink.add(
            *entry, "KIA1212",
            "Duplicate host and port with different protocols found in ServiceEntries: " + what);
      } else {
        context.sink.add(*entry, "KIA1211",
                         "More than one ServiceEntry for the same host and port: " + what);
      }
    }
  }
}

// KIA1201: a mesh-internal ServiceEntry selecting WorkloadEntries whose addresses it does not list.
void check_workload_entry_addresses(const CheckContext& context, const Resource& entry) {
  const auto& spec = entry.spec();
  if (spec["location"].str() != "MESH_INTERNAL" || !spec["workloadSelector"].is_map()) return;
  const auto selector = spec["workloadSelector"]["labels"].string_map();
  const auto addresses = spec["addresses"].strings();
  const std::set<std::string> listed(addresses.begin(), addresses.end());
  for (const auto* workload_entry :
       context.index.in_namespace(Kind::kWorkloadEntry, entry.namespace_)) {
    const auto& we_spec = workload_entry->spec();
    if (!selector_matches(selector, we_spec["labels"].string_map())) continue;
    if (!we_spec["address"].empty() && !listed.contains(we_spec["address"].str())) {
      context.sink.add(entry, "KIA1201",
                       "Missing one or more addresses from matching WorkloadEntries");
      return;
    }
  }
}

}  // namespace

void check_service_entries(const CheckContext& context) {
  for (const auto* entry : context.index.of_kind(Kind::kServiceEntry)) {
    check_addresses(context, *entry);
    check_workload_entry_addresses(context, *entry);
  }
  check_duplicate_ports(context);
}

}  // namespace getmesh::validate
