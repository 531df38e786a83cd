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

std::optional<ClusterName> cluster_name_parts(std::string_view fqdn) {
  constexpr std::string_view kDomain = ".svc.cluster.local";
  if (!fqdn.ends_with(kDomain)) return std::nullopt;
  const auto local = fqdn.substr(0, fqdn.size() - kDomain.size());
  const auto dot = local.find('.');
  if (dot == std::string_view::npos || local.find('.', dot + 1) != std::string_view::npos)
    return std::nullopt;
  return ClusterName{std::string(local.substr(0, dot)), std::string(local.substr(dot + 1))};
}

bool kiali_host_exists(const ResourceIndex& index, std::string_view host, std::string_view ns) {
  if (host.starts_with("*")) return true;
  return index.resolve_host(kiali_fqdn(index, host, ns), ns) != nullptr;
}

}  // namespace getmesh::validate
