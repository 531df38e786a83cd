#pragma once

#include "validate/index.hpp"

#include <string>
#include <string_view>

namespace getmesh::validate {

// Whether traffic reaching workloads is mutual TLS, as Kiali's mTLS status logic decides it (Kiali
// util/mtls): the namespace-wide and mesh-wide PeerAuthentication modes are paired with the TLS
// mode of the namespace-wide (`*.<ns>.svc.cluster.local`) and mesh-wide (`*.local`)
// DestinationRules; a namespace with no definition of its own inherits the mesh's; with auto mTLS,
// a missing DestinationRule counts as mutual TLS. Workload-level PeerAuthentications override.
class KialiMtlsStatus {
 public:
  KialiMtlsStatus(const ResourceIndex& index, bool auto_mtls);

  // Whether workloads of `ns` labelled `labels` (an AuthorizationPolicy's selector; empty for the
  // whole namespace) receive mutual TLS (Kiali's MtlsEnabledChecker).
  [[nodiscard]] bool receives_mtls(std::string_view ns, const Labels& labels) const;

 private:
  enum class Overall { kEnabled, kPartial, kNotEnabled, kDisabled, kNone };
  struct Tls {
    std::string rule_mode;  // DestinationRule TLS mode, "" when none
    std::string peer_mode;  // PeerAuthentication mTLS mode, "" when none
    Overall overall = Overall::kNone;
  };

  [[nodiscard]] Tls combined(std::string rule_mode, std::string peer_mode) const;
  [[nodiscard]] Overall overall(const Tls& ns, const Tls& mesh) const;
  [[nodiscard]] Overall namespace_status(std::string_view ns) const;
  [[nodiscard]] Overall workload_status(std::string_view ns, const Labels& labels) const;
  // The mode of the first selector-less PeerAuthentication of `ns` that sets one.
  [[nodiscard]] std::string peer_mode(std::string_view ns) const;
  // The TLS mode of the first DestinationRule for exactly `host` that sets one.
  [[nodiscard]] std::string rule_mode(std::string_view host) const;

  const ResourceIndex& index_;
  bool auto_mtls_;
};

}  // namespace getmesh::validate
