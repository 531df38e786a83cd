#include "ca/encoding.hpp"
#include "ca/retry.hpp"

#include <getmesh/ca/bundle.hpp>
#include <getmesh/ca/gcp.hpp>
#include <getmesh/ca/gcp_auth.hpp>
#include <getmesh/ca/gcp_name.hpp>
#include <getmesh/ca/keys.hpp>
#include <getmesh/core/base64.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::ca {

namespace {

// CAS subjects hold one value per field.
Result<std::string> single(const std::vector<std::string>& values, const char* field) {
  if (values.size() > 1) {
    return usage_error(
        "Certificate Authority Service takes one " + std::string(field) + ", not " +
            std::to_string(values.size()),
        "give a single value for the " + std::string(field) + " with the gcp provider");
  }
  return values.empty() ? std::string() : values.front();
}

Result<nlohmann::json> subject_of(const Subject& subject) {
  nlohmann::json json = nlohmann::json::object();
  if (!subject.common_name.empty()) json["commonName"] = subject.common_name;
  const std::pair<const char*, const std::vector<std::string>*> fields[] = {
      {"countryCode", &subject.country},
      {"organization", &subject.organization},
      {"organizationalUnit", &subject.organizational_unit},
      {"locality", &subject.locality},
      {"province", &subject.province},
      {"streetAddress", &subject.street_address},
      {"postalCode", &subject.postal_code}};
  for (const auto& [name, values] : fields) {
    auto value = single(*values, name);
    if (!value) return value.error();
    if (!value->empty()) json[name] = *value;
  }
  if (!subject.serial_number.empty()) {
    return usage_error("Certificate Authority Service does not take a subject serial number",
                       "drop serialnumber from the subject for the gcp provider");
  }
  return json;
}

// A random RFC 4122 version-4 UUID, as CAS wants for request ids.
std::string uuid4() {
  auto bytes = hex_encode(random_bytes(16));
  bytes[12] = '4';
  bytes[16] = "89ab"[static_cast<unsigned char>(bytes[16]) % 4];
  return bytes.substr(0, 8) + "-" + bytes.substr(8, 4) + "-" + bytes.substr(12, 4) + "-" +
         bytes.substr(16, 4) + "-" + bytes.substr(20);
}

std::string error_text(const net::Response& response) {
  std::string text = net::describe_status(response.status);
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& error = body["error"];
    if (error.contains("status") && error["status"].is_string()) {
      text += " " + error["status"].get<std::string>();
    }
    if (error.contains("message") && error["message"].is_string()) {
      text += ": " + error["message"].get<std::string>();
    }
  }
  return text;
}

std::string hint_for(long status, const GcpToken& token, const CasName& name) {
  if (status == 401)
    return "the access token from " + token.source + " was not accepted; log in again";
  if (status == 403) {
    return "grant " + token.source +
           " the role roles/privateca.certificateRequester on the CA pool " + name.pool_path();
  }
  if (status == 404) return "check --cas-ca-name: the CA pool or CA does not exist";
  if (status == 400) return "check the subject, key type and the CA pool's issuance policy";
  return "try again later";
}

class GcpProvider final : public Provider {
 public:
  GcpProvider(GcpOptions options, CasName name, GcpToken token, const net::Client& http,
              Notify notify)
      : options_(std::move(options)),
        name_(std::move(name)),
        token_(std::move(token)),
        http_(http),
        notify_(std::move(notify)) {}

  Result<CaBundle> issue(const IssueRequest& request) override {
    auto subject = subject_of(request.subject);
    if (!subject) return subject.error();
    auto key = generate_private_key(request.key);
    if (!key) return key.error();
    auto public_key = public_key_of(*key);
    if (!public_key) return public_key.error();

    nlohmann::json alt_names = nlohmann::json::object();
    if (!request.dns_names.empty()) alt_names["dnsNames"] = request.dns_names;
    if (!request.emails.empty()) alt_names["emailAddresses"] = request.emails;
    const nlohmann::json body = {
        {"lifetime", std::to_string(static_cast<long>(request.validity_days) * 86400) + "s"},
        {"config",
         {{"subjectConfig", {{"subject", *subject}, {"subjectAltName", alt_names}}},
          {"x509Config",
           {{"caOptions", {{"isCa", true}, {"maxIssuerPathLength", request.path_len}}},
            {"keyUsage",
             {{"baseKeyUsage",
               {{"certSign", true}, {"crlSign", true}, {"digitalSignature", true}}}}}}},
          {"publicKey", {{"key", base64_encode(*public_key)}, {"format", "PEM"}}}}},
    };
    auto certificate = create(body);
    if (!certificate) return certificate.error();
    const auto pem = certificate->value("pemCertificate", "");
    std::string chain;
    if (const auto found = certificate->find("pemCertificateChain");
        found != certificate->end() && found->is_array()) {
      for (const auto& entry : *found) {
        if (entry.is_string()) chain += entry.get<std::string>() + "\n";
      }
    }
    if (pem.empty() || chain.empty()) {
      return runtime_error(
          "Certificate Authority Service answered without pemCertificate or "
          "pemCertificateChain",
          "check --gcp-endpoint");
    }
    return assemble_bundle(*key, pem, chain, "Certificate Authority Service");
  }

 private:
  // POSTs CreateCertificate, retrying 429 and 5xx with the same request id (CAS deduplicates).
  Result<nlohmann::json> create(const nlohmann::json& body) {
    net::Request request;
    request.method = "POST";
    request.url = options_.endpoint + "/v1/" + name_.pool_path() +
                  "/certificates?certificateId=istio-ca-" + random_token(12) +
                  "&requestId=" + uuid4();
    if (!name_.authority.empty())
      request.url += "&issuingCertificateAuthorityId=" + name_.authority;
    request.headers = {{"Authorization", "Bearer " + token_.access_token},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    request.body = body.dump();
    request.timeout_ms = 120000;
    request.follow_redirects = false;
    auto response = with_retries(
        "Certificate Authority Service", notify_,
        [&] {
          log::debug("GCP: POST " + request.url);
          return http_.send(request);
        },
        [](const auto& answer) -> std::string {
          if (!answer) return answer.error().transient ? answer.error().message : "";
          return net::is_retryable_status(answer->status) ? net::describe_status(answer->status)
                                                          : "";
        });
    if (!response) return response.error().with_context("Certificate Authority Service");
    if (response->status != 200) {
      return runtime_error(
          "Certificate Authority Service refused to create the CA certificate in " +
              name_.pool_path() + ": " + error_text(*response),
          hint_for(response->status, token_, name_));
    }
    auto parsed = nlohmann::json::parse(response->body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return runtime_error("Certificate Authority Service answered with something that is not JSON",
                           "check --gcp-endpoint");
    }
    return parsed;
  }

  GcpOptions options_;
  CasName name_;
  GcpToken token_;
  const net::Client& http_;
  Notify notify_;
};

}  // namespace

Result<std::unique_ptr<Provider>> make_gcp_provider(const GcpOptions& options,
                                                    const Environment& environment,
                                                    const net::Client& http, Notify notify) {
  auto name = parse_cas_name(options.ca_name);
  if (!name) return name.error();
  auto token = gcp_access_token(environment, http);
  if (!token) return token.error();
  return std::unique_ptr<Provider>(std::make_unique<GcpProvider>(
      options, std::move(*name), std::move(*token), http, std::move(notify)));
}

}  // namespace getmesh::ca
