#include "validate/checks/checks.hpp"
#include "validate/checks/kiali_hosts.hpp"
#include "validate/checks/kiali_mtls_status.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <array>
#include <unordered_set>

namespace getmesh::validate {

namespace {

bool is_method(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kMethods = {
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"};
  if (method == "*") return true;
  // Kiali accepts "GET*"-style prefixes, "*ET"-style suffixes and gRPC names
  // ("/pkg.Service/Method").
  if (method.starts_with("/") && method.find('/', 1) != std::string_view::npos) return true;
  const auto core = method.starts_with("*") ? method.substr(1)
                    : method.ends_with("*") ? method.substr(0, method.size() - 1)
                                            : method;
  return std::any_of(kMethods.begin(), kMethods.end(), [&](std::string_view known) {
    return method.starts_with("*") ? known.ends_with(core)
           : method.ends_with("*") ? known.starts_with(core)
                                   : known == core;
  });
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
  if (host.starts_with("*")) return true;
  return kiali_host_exists(context.index, host, policy.namespace_) || hosts.match(host);
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
                             "Only HTTP methods and fully-qualified gRPC names are allowed",
                             method.line());
          }
        });
        to["operation"]["hosts"].for_each_item([&](const Node& host) {
          if (services_known &&
              !operation_host_found(context, virtual_service_hosts, *policy, host.str())) {
            context.sink.add(*policy, "KIA0104",
                             "This host has no matching entry in the service registry",
                             host.line());
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
