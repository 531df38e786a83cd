// Kiali's checks of workload identities: AuthorizationPolicy principals (KIA0106, KIA0107,
// KIA0108, authorization/principals_checker.go) and WorkloadGroup service accounts (KIA1701,
// workloadgroups/service_accounts_checker.go).
#include "validate/checks/checks.hpp"

#include <algorithm>
#include <unordered_set>

namespace getmesh::validate {

namespace {

// Kiali's match of a principal with a wildcard at either end against an identity: it reads the
// principal as a regular expression with `*` as `.*`, so `.` also matches any character. Matched
// without recursion, going back only to the last `*`: time at most the product of the lengths,
// whatever the principal.
bool principal_pattern_matches(std::string_view pattern, std::string_view identity) {
  std::size_t at = 0;  // in pattern
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;  // where the identity continues after the text the last `*` took
  for (std::size_t i = 0; i < identity.size();) {
    if (at < pattern.size() && pattern[at] == '*') {
      star = at++;
      resume = i;
    } else if (at < pattern.size() && (pattern[at] == '.' || pattern[at] == identity[i])) {
      ++at;
      ++i;
    } else if (star != std::string_view::npos) {
      at = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (at < pattern.size() && pattern[at] == '*') ++at;
  return at == pattern.size();
}

// The identities of the mesh: `<trust domain>/ns/<ns>/sa/<name>` for every ServiceAccount (and
// every account a Pod or Deployment runs as), in the mesh's trust domain and each of its aliases.
class MeshIdentities {
 public:
  explicit MeshIdentities(const CheckContext& context) {
    const auto& mesh = context.mesh();
    domains_.push_back(mesh.trust_domain);
    for (const auto& alias : mesh.trust_domain_aliases) {
      if (std::find(domains_.begin(), domains_.end(), alias) == domains_.end())
        domains_.push_back(alias);
    }
    for (const auto* account : context.index.of_kind(Kind::kServiceAccount))
      add(account->namespace_, account->name);
    for (const auto& workload : context.index.workloads()) {
      if (workload.pod_spec == nullptr) continue;
      const auto& name = (*workload.pod_spec)["serviceAccountName"].str();
      add(workload.namespace_, name.empty() ? "default" : name);
    }
  }

  [[nodiscard]] bool has(const std::string& identity) const { return exact_.contains(identity); }
  [[nodiscard]] bool matches(std::string_view pattern) const {
    return std::any_of(exact_.begin(), exact_.end(), [&](const std::string& identity) {
      return principal_pattern_matches(pattern, identity);
    });
  }
  [[nodiscard]] bool knows_domain(std::string_view domain) const {
    return std::find(domains_.begin(), domains_.end(), domain) != domains_.end();
  }
  [[nodiscard]] const std::string& trust_domain() const { return domains_.front(); }

 private:
  void add(const std::string& ns, const std::string& name) {
    for (const auto& domain : domains_) exact_.insert(domain + "/ns/" + ns + "/sa/" + name);
  }
  std::vector<std::string> domains_;
  std::unordered_set<std::string> exact_;
};

bool principal_found(const MeshIdentities& identities, const std::string& principal) {
  if (principal == "*") return true;
  if (principal.starts_with('*') || principal.ends_with('*')) return identities.matches(principal);
  return identities.has(principal);
}

// A principal naming a trust domain the mesh does not know (`other.org/ns/x/sa/y`): its accounts
// live in another mesh, which config-validate cannot see.
bool foreign_trust_domain(const MeshIdentities& identities, const std::string& principal) {
  if (principal.find('*') != std::string::npos) return false;
  const auto at = principal.find("/ns/");
  if (at == std::string::npos || at == 0) return false;
  return !identities.knows_domain(std::string_view(principal).substr(0, at));
}

// Whether the mesh spans other clusters: istiod holds remote Secrets (`istio/multiCluster=true`).
bool multi_cluster(const ResourceIndex& index) {
  const auto& secrets = index.of_kind(Kind::kSecret);
  return std::any_of(secrets.begin(), secrets.end(), [](const Resource* secret) {
    const auto* label = secret->label("istio/multiCluster");
    return label != nullptr && *label == "true";
  });
}

}  // namespace

void check_kiali_identities(const CheckContext& context) {
  // Without any ServiceAccount the input says nothing about accounts (a cluster always has one per
  // namespace).
  if (context.index.of_kind(Kind::kServiceAccount).empty()) return;
  const MeshIdentities identities(context);
  const bool remote_clusters = multi_cluster(context.index);
  for (const auto* policy : context.index.of_kind(Kind::kAuthorizationPolicy)) {
    policy->spec()["rules"].for_each_item([&](const Node& rule) {
      rule["from"].for_each_item([&](const Node& from) {
        from["source"]["principals"].for_each_item([&](const Node& principal) {
          if (principal_found(identities, principal.str())) return;
          if (foreign_trust_domain(identities, principal.str())) {
            context.sink.add(*policy, "KIA0108",
                             "Unable to verify principal, trust domain is not known to the mesh",
                             principal.line());
          } else if (remote_clusters) {
            // config-validate reads one cluster: the account may be in another of the mesh.
            context.sink.add(*policy, "KIA0107",
                             "Service Account for this principal is not in this cluster; it may "
                             "be on a remote cluster of the mesh",
                             principal.line());
          } else {
            context.sink.add(*policy, "KIA0106", "Service Account not found for this principal",
                             principal.line());
          }
        });
      });
    });
  }
  for (const auto* group : context.index.of_kind(Kind::kWorkloadGroup)) {
    const auto& account = group->spec()["template"]["serviceAccount"];
    if (account.str().empty()) continue;
    const auto identity =
        identities.trust_domain() + "/ns/" + group->namespace_ + "/sa/" + account.str();
    if (!identities.has(identity)) {
      context.sink.add(*group, "KIA1701", "Service Account not found in this namespace",
                       account.line());
    }
  }
}

}  // namespace getmesh::validate
