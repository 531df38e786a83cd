#include "ca/encoding.hpp"
#include "ca/pem.hpp"

#include <getmesh/ca/bundle.hpp>
#include <getmesh/ca/cert_manager_resources.hpp>
#include <getmesh/ca/certificate_info.hpp>
#include <getmesh/core/base64.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::ca {

namespace {

void put_list(nlohmann::json& target, const char* name, const std::vector<std::string>& values) {
  if (!values.empty()) target[name] = values;
}

nlohmann::json subject_of(const Subject& subject) {
  nlohmann::json fields = nlohmann::json::object();
  put_list(fields, "countries", subject.country);
  put_list(fields, "organizations", subject.organization);
  put_list(fields, "organizationalUnits", subject.organizational_unit);
  put_list(fields, "localities", subject.locality);
  put_list(fields, "provinces", subject.province);
  put_list(fields, "streetAddresses", subject.street_address);
  put_list(fields, "postalCodes", subject.postal_code);
  if (!subject.serial_number.empty()) fields["serialNumber"] = subject.serial_number;
  return fields;
}

std::string text_of(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// "Ready False (DoesNotExist): Issuing certificate as Secret does not exist"
std::string describe_condition(const nlohmann::json& condition) {
  std::string text = text_of(condition, "type") + " " + text_of(condition, "status");
  if (const auto reason = text_of(condition, "reason"); !reason.empty())
    text += " (" + reason + ")";
  if (const auto message = text_of(condition, "message"); !message.empty()) text += ": " + message;
  return text;
}

// The status conditions of an object; empty when there are none.
nlohmann::json conditions_of(const nlohmann::json& object) {
  const auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return nlohmann::json::array();
  const auto conditions = status->find("conditions");
  return conditions != status->end() && conditions->is_array() ? *conditions
                                                               : nlohmann::json::array();
}

// The decoded value of data[key]; empty when it is absent and not `required`.
Result<std::string> data_field(const nlohmann::json& secret, const char* key,
                               std::string_view origin, bool required) {
  const auto data = secret.find("data");
  const bool present =
      data != secret.end() && data->is_object() && data->contains(key) && (*data)[key].is_string();
  if (!present) {
    if (!required) return std::string();
    return runtime_error(
        std::string(origin) + " has no " + key,
        "check the issuer; cert-manager writes tls.crt and tls.key when it issues");
  }
  auto decoded = base64_decode((*data)[key].get<std::string>());
  if (!decoded) return runtime_error(std::string(origin) + " holds " + key + " that is not base64");
  return *decoded;
}

}  // namespace

nlohmann::json certificate_resource(const IssueRequest& request, const CertManagerOptions& options,
                                    std::string_view name) {
  const nlohmann::json labels = {{kManagedByLabel, "getmesh"}};
  nlohmann::json spec = {
      {"isCA", true},
      {"secretName", name},
      {"secretTemplate", {{"labels", labels}}},
      {"duration", std::to_string(static_cast<long>(request.validity_days) * 24) + "h"},
      {"usages", {"cert sign", "crl sign", "digital signature", "key encipherment"}},
      {"privateKey",
       {{"algorithm", request.key.type == KeyType::kRsa ? "RSA" : "ECDSA"},
        {"size", request.key.bits},
        {"encoding", "PKCS8"},
        {"rotationPolicy", "Always"}}},
      {"issuerRef",
       {{"name", options.issuer_name},
        {"kind", options.issuer_kind},
        {"group", "cert-manager.io"}}},
  };
  if (!request.subject.common_name.empty()) spec["commonName"] = request.subject.common_name;
  if (auto subject = subject_of(request.subject); !subject.empty()) spec["subject"] = subject;
  put_list(spec, "dnsNames", request.dns_names);
  put_list(spec, "emailAddresses", request.emails);
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", "Certificate"},
          {"metadata",
           {{"name", name}, {"namespace", options.certificate_namespace}, {"labels", labels}}},
          {"spec", spec}};
}

CertificateProgress certificate_progress(const nlohmann::json& certificate) {
  CertificateProgress progress{false, false, "no status yet"};
  std::vector<std::string> seen;
  for (const auto& condition : conditions_of(certificate)) {
    if (!condition.is_object()) continue;
    const auto type = text_of(condition, "type");
    const auto state = text_of(condition, "status");
    if (type == "Ready") progress.ready = state == "True";
    if (type == "Issuing" && state == "False" && text_of(condition, "reason") == "Failed") {
      progress.failed = true;
    }
    if (type == "Ready" || type == "Issuing") seen.push_back(describe_condition(condition));
  }
  if (!seen.empty()) progress.summary = join(seen, "; ");
  return progress;
}

std::string issuer_unready(const nlohmann::json& issuer) {
  for (const auto& condition : conditions_of(issuer)) {
    if (condition.is_object() && text_of(condition, "type") == "Ready" &&
        text_of(condition, "status") == "False") {
      return describe_condition(condition);
    }
  }
  return {};
}

Result<CaBundle> bundle_from_tls_secret(const nlohmann::json& secret, std::string_view origin) {
  auto certificates = data_field(secret, "tls.crt", origin, true);
  if (!certificates) return certificates.error();
  auto key = data_field(secret, "tls.key", origin, true);
  if (!key) return key.error();
  auto issuer = data_field(secret, "ca.crt", origin, false);
  if (!issuer) return issuer.error();

  auto chain = split_certificates(*certificates, std::string(origin) + " tls.crt");
  if (!chain) return chain.error();
  std::string issuers;
  for (std::size_t i = 1; i < chain->size(); ++i) issuers += (*chain)[i];
  if (!issuer->empty()) {
    auto issuer_chain = split_certificates(*issuer, std::string(origin) + " ca.crt");
    if (!issuer_chain) return issuer_chain.error();
    for (const auto& certificate : *issuer_chain) {
      if (issuers.find(certificate) == std::string::npos) issuers += certificate;
    }
  }
  if (issuers.empty()) {
    return runtime_error(std::string(origin) + " holds neither the issuer's chain nor ca.crt",
                         "use an issuer that publishes its CA in ca.crt, such as a CA issuer");
  }
  auto parsed_key = parse_private_key(*key, std::string(origin) + " tls.key");
  if (!parsed_key) return parsed_key.error();
  return assemble_bundle(private_key_pem(parsed_key->get()), chain->front(), issuers,
                         std::string(origin));
}

}  // namespace getmesh::ca
