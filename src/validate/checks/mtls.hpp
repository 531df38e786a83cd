#pragma once

#include "validate/checks/checks.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace getmesh::validate {

// mTLS as PeerAuthentications and DestinationRules set it, the way Kiali's mTLS checkers see it.
class MtlsState {
 public:
  explicit MtlsState(const ResourceIndex& index);

  // The selector-less PeerAuthentication of `ns` (namespace-wide), or nullptr.
  [[nodiscard]] const Resource* namespace_policy(std::string_view ns) const;
  // The selector-less PeerAuthentication of the root namespace (mesh-wide), or nullptr.
  [[nodiscard]] const Resource* mesh_policy() const;
  // spec.mtls.mode, "" when unset.
  static std::string mode(const Resource& peer_authentication);
  // The effective mode for workloads of `ns`: namespace policy, else mesh policy, else "" (Istio's
  // default, PERMISSIVE).
  [[nodiscard]] std::string effective_mode(std::string_view ns) const;

  // The TLS mode of the first DestinationRule for `*.<ns>.svc.cluster.local` (namespace-wide) or
  // `*.local` (mesh-wide), "" when there is none.
  [[nodiscard]] std::string namespace_rule_mode(std::string_view ns) const;
  [[nodiscard]] std::string mesh_rule_mode() const;
  static bool enables_mtls(std::string_view tls_mode) {
    return tls_mode == "ISTIO_MUTUAL" || tls_mode == "MUTUAL";
  }

 private:
  [[nodiscard]] std::string rule_mode(const std::string& host) const;
  const ResourceIndex& index_;
  std::unordered_map<std::string, const Resource*> namespace_policies_;  // first selector-less PA
};

}  // namespace getmesh::validate
