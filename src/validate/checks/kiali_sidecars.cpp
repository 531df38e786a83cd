// Kiali's Sidecar checks: egress hosts not in the registry (KIA1004,
// sidecars/egress_listener_checker.go) and a workloadSelector on the root namespace's Sidecar
// (KIA1006, sidecars/global_checker.go).
#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"

#include <string>
#include <string_view>
#include <unordered_set>

namespace getmesh::validate {

namespace {

// ServiceEntry hosts as Kiali matches wildcard egress hosts against them: the hosts, and the
// suffixes (".example.com") of wildcard ones.
struct ServiceEntryHosts {
  std::unordered_set<std::string> names;
  std::unordered_set<std::string> wildcard_suffixes;

  explicit ServiceEntryHosts(const ResourceIndex& index) {
    for (const auto* entry : index.of_kind(Kind::kServiceEntry)) {
      for (const auto& host : entry->spec()["hosts"].strings()) {
        if (host.starts_with("*"))
          wildcard_suffixes.insert(host.substr(1));
        else
          names.insert(host);
      }
    }
  }
  // Whether a ServiceEntry host is `wildcard` itself or covers it (one of its dot-aligned
  // suffixes).
  [[nodiscard]] bool cover(std::string_view wildcard) const {
    for (auto dot = wildcard.find('.'); dot != std::string_view::npos;
         dot = wildcard.find('.', dot + 1)) {
      if (wildcard_suffixes.contains(std::string(wildcard.substr(dot))) ||
          names.contains(std::string(wildcard.substr(dot + 1))))
        return true;
    }
    return false;
  }
};

// The namespace of a namespace wildcard "*.ns.svc.cluster.local"; empty for other hosts.
std::string wildcard_namespace(std::string_view host) {
  const auto parts = cluster_name_parts(host);
  return parts && parts->service == "*" ? parts->namespace_ : std::string();
}

// KIA1004: an egress host (`ns/dns`) naming no Service or ServiceEntry. `*` and `ns/*` import a
// whole namespace; a wildcard is found when it is a namespace wildcard of the Sidecar's own
// namespace or a ServiceEntry host covers it.
void check_egress_hosts(const CheckContext& context, const ServiceEntryHosts& entries,
                        const Resource& sidecar) {
  sidecar.spec()["egress"].for_each_item([&](const Node& listener) {
    listener["hosts"].for_each_item([&](const Node& host) {
      const auto& text = host.str();
      const auto slash = text.find('/');
      if (slash == std::string::npos) return;
      const auto ns = text.substr(0, slash);
      const auto dns = text.substr(slash + 1);
      if (dns == "*") return;
      bool found = false;
      if (dns.starts_with("*")) {
        found = wildcard_namespace(dns) == sidecar.namespace_ || entries.cover(dns);
      } else {
        const auto from = ns == "." || ns == "*" || ns == "~" ? sidecar.namespace_ : ns;
        found = kiali_host_exists(context.index, dns, from);
      }
      if (!found) {
        context.sink.add(sidecar, "KIA1004",
                         "This host has no matching entry in the service registry", host.line());
      }
    });
  });
}

}  // namespace

void check_kiali_sidecars(const CheckContext& context) {
  const auto& sidecars = context.index.of_kind(Kind::kSidecar);
  if (sidecars.empty()) return;
  const auto& root = context.mesh().root_namespace;
  const bool services_known = context.index.knows(Kind::kService);
  const ServiceEntryHosts entries(context.index);
  for (const auto* sidecar : sidecars) {
    if (sidecar->namespace_ == root && !sidecar->spec()["workloadSelector"]["labels"].empty()) {
      context.sink.add(*sidecar, "KIA1006",
                       "Global default sidecar should not have workloadSelector");
    }
    if (services_known) check_egress_hosts(context, entries, *sidecar);
  }
}

}  // namespace getmesh::validate
