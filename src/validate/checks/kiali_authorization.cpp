#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"
#include "validate/checks/kiali_mtls_status.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <array>
#include <unordered_set>

namespace getmesh::validate {

namespace {

// Kiali's reading of `to.operation.methods` (authorization/namespace_method_checker.go): an HTTP
// method, `*`, or a prefix (`GE*`) or suffix (`*ET`) of one, in any case, spaces around ignored.
// gRPC names (`/pkg.Service/Method`) are not methods (gRPC's is always POST): they belong in
// `paths`.
bool is_method(std::string_view written) {
  static constexpr std::array<std::string_view, 9> kMethods = {
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"};
  const auto method = trim(written);
  if (method.empty()) return false;
  if (method == "*") return true;
  const bool prefix = method.ends_with('*') && !method.starts_with('*');
  const bool suffix = method.starts_with('*') && !method.ends_with('*');
  std::string core(prefix   ? method.substr(0, method.size() - 1)
                   : suffix ? method.substr(1)
                            : method);
  std::transform(core.begin(), core.end(), core.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return std::any_of(kMethods.begin(), kMethods.end(), [&](std::string_view known) {
    return prefix ? known.starts_with(core) : suffix ? known.ends_with(core) : known == core;
  });
}

// Whether an `operation.hosts` entry is an HTTP Host-header matcher Kiali does not look up in the
// registry (authorization/no_host_checker.go): a wildcard, a name with two dots or more, or
// `a.b` where b is neither the policy's namespace nor a known one. Istio matches these against
// the request's Host header, which may name anything.
bool is_host_header_matcher(const ResourceIndex& index, std::string_view written,
                            std::string_view policy_namespace) {
  const auto host = trim(written);
  if (host.empty()) return false;
  if (host.starts_with('*') || host.ends_with('*')) return true;
  const auto dots = std::count(host.begin(), host.end(), '.');
  if (dots >= 2) return true;
  if (dots == 1) {
    const auto ns = host.substr(host.find('.') + 1);
    return ns != policy_namespace && !index.namespace_exists(ns);
  }
  return false;
}

bool namespace_found(const ResourceIndex& index, const std::string& pattern) {
  if (pattern == "*") return true;
  for (const auto& ns : index.namespaces()) {
    if (pattern.starts_with("*") ? ns.ends_with(pattern.substr(1))
        : pattern.ends_with("*") ? ns.starts_with(pattern.substr(0, pattern.size() - 1))
                                 : ns == pattern) {
      return true;
    }
  }
  return false;
}

// The hosts of every VirtualService, collected once: exact ones for lookups, wildcards to match.
class VirtualServiceHosts {
 public:
  explicit VirtualServiceHosts(const ResourceIndex& index) {
    for (const auto* service : index.of_kind(Kind::kVirtualService)) {
      for (auto& host : service->spec()["hosts"].strings()) {
        if (host.starts_with("*")) {
          wildcards_.push_back(std::move(host));
        } else {
          exact_.insert(std::move(host));
        }
      }
    }
  }
  [[nodiscard]] bool match(const std::string& host) const {
    return exact_.contains(host) ||
           std::any_of(wildcards_.begin(), wildcards_.end(),
                       [&](const std::string& pattern) { return wildcard_match(pattern, host); });
  }

 private:
  std::unordered_set<std::string> exact_;
  std::vector<std::string> wildcards_;
};

// Whether `host` names a Service, ServiceEntry or VirtualService host Kiali knows.
bool operation_host_found(const CheckContext& context, const VirtualServiceHosts& hosts,
                          const Resource& policy, const std::string& host) {
  if (is_host_header_matcher(context.index, host, policy.namespace_)) return true;
  return kiali_host_exists(context.index, host, policy.namespace_) ||
         hosts.match(kiali_fqdn(context.index, host, policy.namespace_)) || hosts.match(host);
}

bool uses_mtls_identity(const Node& rule) {
  bool uses = false;
  rule["from"].for_each_item([&](const Node& from) {
    for (const char* field : {"principals", "notPrincipals", "namespaces", "notNamespaces"})
      uses = uses || !from["source"][field].empty();
  });
  rule["when"].for_each_item([&](const Node& condition) {
    const auto& key = condition["key"].str();
    uses =
        uses || key == "source.namespace" || key == "source.principal" || key == "connection.sni";
  });
  return uses;
}

}  // namespace

void check_kiali_authorization(const CheckContext& context) {
  const KialiMtlsStatus mtls(context.index, context.mesh().auto_mtls);
  const bool namespaces_known = context.index.knows(Kind::kNamespace);
  const bool services_known = context.index.knows(Kind::kService);
  const VirtualServiceHosts virtual_service_hosts(context.index);
  for (const auto* policy : context.index.of_kind(Kind::kAuthorizationPolicy)) {
    bool needs_mtls = false;
    policy->spec()["rules"].for_each_item([&](const Node& rule) {
      needs_mtls = needs_mtls || uses_mtls_identity(rule);
      rule["from"].for_each_item([&](const Node& from) {
        from["source"]["namespaces"].for_each_item([&](const Node& ns) {
          if (namespaces_known && !namespace_found(context.index, ns.str())) {
            context.sink.add(*policy, "KIA0101", "Namespace not found for this rule", ns.line());
          }
        });
      });
      rule["to"].for_each_item([&](const Node& to) {
        to["operation"]["methods"].for_each_item([&](const Node& method) {
          if (!is_method(method.str())) {
            context.sink.add(*policy, "KIA0102",
                             "Only HTTP methods and Istio wildcards are allowed", method.line());
          }
        });
        to["operation"]["hosts"].for_each_item([&](const Node& host) {
          if (services_known &&
              !operation_host_found(context, virtual_service_hosts, *policy, host.str())) {
            // Kiali lowers it to a warning where unknown hosts are allowed out (ALLOW_ANY).
            context.sink.add(
                *policy, "KIA0104",
                context.mesh().outbound_allow_any ? Severity::kWarning : Severity::kError,
                "This host has no matching entry in the service registry", host.line());
          }
        });
      });
    });
    if (needs_mtls && !mtls.receives_mtls(policy->namespace_,
                                          policy->spec()["selector"]["matchLabels"].string_map())) {
      context.sink.add(*policy, "KIA0105",
                       "Policy uses principals, namespaces or connection.sni, which need mTLS, but "
                       "its workloads do not receive mTLS");
    }
  }
}

}  // namespace getmesh::validate
