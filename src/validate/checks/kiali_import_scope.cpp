#include "validate/checks/kiali_import_scope.hpp"

#include "validate/checks/kiali_hosts.hpp"

#include <algorithm>

namespace getmesh::validate {

KialiImportScopes::KialiImportScopes(const ResourceIndex& index)
    : index_(index), root_namespace_(index.options().mesh.root_namespace) {
  for (const auto* sidecar : index.of_kind(Kind::kSidecar)) {
    if (!sidecar->spec()["workloadSelector"]["labels"].empty() ||
        by_namespace_.contains(sidecar->namespace_))
      continue;
    std::vector<Entry> entries;
    sidecar->spec()["egress"].for_each_item([&](const Node& listener) {
      for (const auto& host : listener["hosts"].strings()) {
        const auto slash = host.find('/');
        if (slash == std::string::npos) continue;
        auto ns = host.substr(0, slash);
        const bool exclude = ns.starts_with("~");  // `~ns/`: hosts of ns are not imported
        if (exclude) ns = ns.size() == 1 ? std::string("*") : ns.substr(1);
        entries.push_back({std::move(ns), host.substr(slash + 1), exclude});
      }
    });
    if (!entries.empty()) by_namespace_.emplace(sidecar->namespace_, std::move(entries));
  }
}

bool KialiImportScopes::matches(const Entry& entry, const std::string& ns, std::string_view host,
                                const std::string& fqdn) const {
  const auto parts = cluster_name_parts(fqdn);
  const auto& egress_namespace = entry.namespace_ == "." ? ns : entry.namespace_;
  if (egress_namespace != "*" && egress_namespace != (parts ? parts->namespace_ : ns)) return false;
  const auto& dns = entry.dns;
  if (dns == "*" || dns == host) return true;
  if (!parts) return dns.starts_with("*") && wildcard_match(dns, host);
  const auto& service = parts->service;
  if (dns == fqdn || dns == service || dns == service + "." + parts->namespace_) return true;
  if (dns.starts_with("*") && (wildcard_match(dns, fqdn) || wildcard_match(dns, host))) return true;
  return service == "*" && wildcard_match(fqdn, dns);  // a namespace wildcard covering the entry
}

bool KialiImportScopes::imports(const std::string& ns, std::string_view host) const {
  auto found = by_namespace_.find(ns);
  if (found == by_namespace_.end() && ns != root_namespace_)
    found = by_namespace_.find(root_namespace_);
  if (found == by_namespace_.end()) return true;
  if (host.empty()) return false;
  const auto fqdn = kiali_fqdn(index_, host, ns);
  const auto& entries = found->second;
  const auto match = [&](bool exclude) {
    return std::any_of(entries.begin(), entries.end(), [&](const Entry& entry) {
      return entry.exclude == exclude && matches(entry, ns, host, fqdn);
    });
  };
  return match(false) && !match(true);
}

bool KialiImportScopes::imports_any(const std::string& ns,
                                    const std::vector<std::string>& hosts) const {
  return std::any_of(hosts.begin(), hosts.end(),
                     [&](const std::string& host) { return imports(ns, host); });
}

}  // namespace getmesh::validate
