#pragma once

#include "validate/index.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::validate {

// Kiali's reading of a host written in an object of namespace `ns`: "a" is service a of ns, "a.b"
// service a of namespace b when b is a known namespace, "a.b.svc" and "a.b.svc.cluster.local"
// service a of b; anything else an external name. Returns the FQDN to look up.
std::string kiali_fqdn(const ResourceIndex& index, std::string_view host, std::string_view ns);

// The parts of a name of the cluster domain, "svc.ns.svc.cluster.local" (service `*` for a
// namespace wildcard).
struct ClusterName {
  std::string service;
  std::string namespace_;
};
// nullopt for a name of another form (an external name, "*.local", more or fewer labels).
std::optional<ClusterName> cluster_name_parts(std::string_view fqdn);

// Whether Kiali finds `host` in the registry: a Service or ServiceEntry host (wildcards match).
bool kiali_host_exists(const ResourceIndex& index, std::string_view host, std::string_view ns);

}  // namespace getmesh::validate
