// IST0161: the Secret a Gateway server names as credentialName exists but holds no usable
// certificate. Secrets read from a cluster without their data (the default; --read-secrets reads
// the named ones) cannot be judged and are left out.
#include "validate/certificate.hpp"
#include "validate/checks/checks.hpp"

#include <getmesh/core/base64.hpp>

namespace getmesh::validate {

namespace {

// A Secret value: `data` (base64) or `stringData` (as the API server merges it).
std::optional<std::string> secret_value(const Resource& secret, const char* key) {
  if (const auto* value = secret.document["data"].find(key); value != nullptr && value->is_scalar())
    return base64_decode(value->str());
  if (const auto* value = secret.document["stringData"].find(key);
      value != nullptr && value->is_scalar())
    return value->str();
  return std::nullopt;
}

// Why a Secret cannot serve as a Gateway credential, as istiod reads one: `cert`/`key` or
// `tls.crt`/`tls.key`, both non-empty, and a valid certificate; nullopt when it can.
std::optional<std::string> credential_problem(const Resource& secret) {
  for (const auto& [cert_key, key_key] :
       {std::pair("cert", "key"), std::pair("tls.crt", "tls.key")}) {
    const auto cert = secret_value(secret, cert_key);
    const auto key = secret_value(secret, key_key);
    if (!cert || !key || cert->empty() || key->empty()) continue;
    if (auto problem = certificate_problem(*cert)) return std::string(cert_key) + " is " + *problem;
    return std::nullopt;
  }
  return std::string("it has neither tls.crt and tls.key nor cert and key");
}

// The Secret a credentialName names: in the namespace of a workload the Gateway selects, else in
// the Gateway's own.
const Resource* credential_secret(const CheckContext& context, const Resource& gateway,
                                  const std::string& name) {
  const auto selector = gateway.spec()["selector"].string_map();
  for (const auto* workload : context.index.select("", selector)) {
    if (const auto* secret = context.index.find(Kind::kSecret, workload->namespace_, name))
      return secret;
  }
  return context.index.find(Kind::kSecret, gateway.namespace_, name);
}

}  // namespace

void check_gateway_credentials(const CheckContext& context) {
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      const auto& credential = server["tls"]["credentialName"];
      if (credential.str().empty()) return;
      const auto* secret = credential_secret(context, *gateway, credential.str());
      if (secret == nullptr || secret->metadata_only) return;
      const auto problem = credential_problem(*secret);
      if (!problem) return;
      context.sink.add(*gateway, "IST0161",
                       "The credential referenced by the Gateway " + gateway->name +
                           " in namespace " + secret->namespace_ +
                           " is invalid, which can cause the traffic not to work as expected (" +
                           "Secret " + qualified(*secret) + ": " + *problem + ").",
                       credential.line());
    });
  }
}

}  // namespace getmesh::validate
