#include "validate/checks/kiali_hosts.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

std::string kiali_fqdn(const ResourceIndex& index, std::string_view host, std::string_view ns) {
  const auto parts = split(host, '.');
  if ((parts.size() == 2 && index.namespace_exists(parts[1])) ||
      (parts.size() == 3 && parts[2] == "svc"))
    return parts[0] + "." + parts[1] + ".svc.cluster.local";
  return expand_host(host, ns);
}

bool kiali_host_exists(const ResourceIndex& index, std::string_view host, std::string_view ns) {
  if (host.starts_with("*")) return true;
  return index.resolve_host(kiali_fqdn(index, host, ns), ns) != nullptr;
}

}  // namespace getmesh::validate
