#pragma once

#include <getmesh/ca/settings.hpp>
#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// Labels the temporary Certificate and its Secret carry, so that leftovers can be found with
// `kubectl get certificates,secrets -A -l app.kubernetes.io/managed-by=getmesh`.
inline constexpr std::string_view kManagedByLabel = "app.kubernetes.io/managed-by";

// A cert-manager.io/v1 Certificate `name` in the options' namespace asking the configured issuer
// for the CA `request` describes: isCA, usages cert sign, crl sign, digital signature and key
// encipherment, the subject, DNS names and e-mail addresses, a duration of the validity days, and
// a new private key of the requested algorithm and size (PKCS#8), written to the Secret `name`.
nlohmann::json certificate_resource(const IssueRequest& request, const CertManagerOptions& options,
                                    std::string_view name);

// Where a Certificate stands, from its status conditions.
struct CertificateProgress {
  bool ready = false;   // condition Ready is True
  bool failed = false;  // condition Issuing is False with reason Failed: the issuance failed
  std::string summary;  // e.g. "Ready False (DoesNotExist): Issuing certificate as Secret …"
};
CertificateProgress certificate_progress(const nlohmann::json& certificate);

// An Issuer's or ClusterIssuer's condition Ready when it is False, described like the summary
// above; empty when it is True or not known.
std::string issuer_unready(const nlohmann::json& issuer);

// The bundle from the kubernetes.io/tls Secret cert-manager wrote: tls.crt (the CA certificate,
// maybe followed by its issuers), tls.key, and ca.crt (the issuer's CA); the chain is tls.crt's
// followed by the certificates of ca.crt it lacks, and its last certificate is the root.
// `origin` names the Secret in messages.
Result<CaBundle> bundle_from_tls_secret(const nlohmann::json& secret, std::string_view origin);

}  // namespace getmesh::ca
