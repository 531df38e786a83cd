#pragma once

#include "validate/index.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace getmesh::validate {

// The hosts the workloads of each namespace import, as Kiali's ImportScope
// (common/sidecar_import_scope.go) reads them from the namespace's Sidecar without a
// workloadSelector, else the root namespace's: the `ns/dns` hosts of its egress listeners, `~ns/`
// ones excluding. A namespace without such a Sidecar (or one without egress hosts) imports
// everything. Kiali leaves hosts a namespace does not import out of its conflict checks there
// (KIA0201, KIA1106, KIA1211): the namespace's proxies never see them.
class KialiImportScopes {
 public:
  explicit KialiImportScopes(const ResourceIndex& index);
  // Whether workloads of `ns` import `host`, written in an object of `ns`.
  [[nodiscard]] bool imports(const std::string& ns, std::string_view host) const;
  // Whether they import one of `hosts`.
  [[nodiscard]] bool imports_any(const std::string& ns,
                                 const std::vector<std::string>& hosts) const;

 private:
  struct Entry {
    std::string namespace_;  // "*", "." or a namespace
    std::string dns;
    bool exclude = false;
  };
  [[nodiscard]] bool matches(const Entry& entry, const std::string& ns, std::string_view host,
                             const std::string& fqdn) const;

  const ResourceIndex& index_;
  std::string root_namespace_;
  std::unordered_map<std::string, std::vector<Entry>> by_namespace_;  // limited namespaces only
};

}  // namespace getmesh::validate
