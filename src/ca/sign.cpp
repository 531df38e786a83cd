#include "ca/sign.hpp"

#include "ca/digest_choice.hpp"

#include <openssl/rand.h>

#include <array>
#include <string>

namespace getmesh::ca {

namespace {

Result<ossl::Integer> random_serial() {
  std::array<unsigned char, 20> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return ossl::failure("cannot draw a random serial number");
  }
  bytes[0] &= 0x7F;  // positive, at most 159 bits
  bytes[0] |= 0x40;  // and never shorter, so every serial is 20 bytes
  ossl::BigNumber number(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  ossl::Integer serial(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);
  if (!serial) return ossl::failure("cannot encode the serial number");
  return serial;
}

Status add_extension(X509* certificate, X509V3_CTX* context, int nid, const std::string& value) {
  ossl::Extension extension(X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str()));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    return ossl::failure("cannot add the extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  }
  return {};
}

Status set_validity(X509* certificate, const CaCertificateSpec& spec) {
  const auto not_before = std::chrono::system_clock::to_time_t(spec.not_before);
  const auto not_after = std::chrono::system_clock::to_time_t(spec.not_after);
  if (ASN1_TIME_set(X509_getm_notBefore(certificate), not_before) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(certificate), not_after) == nullptr) {
    return ossl::failure("cannot set the certificate's validity");
  }
  return {};
}

}  // namespace

Result<ossl::Certificate> sign_ca_certificate(const CaCertificateSpec& spec, X509* issuer,
                                              EVP_PKEY* issuer_key) {
  ossl::Certificate certificate(X509_new());
  auto serial = random_serial();
  if (!serial) return serial.error();
  if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(certificate.get(), serial->get()) != 1 ||
      X509_set_subject_name(certificate.get(), spec.subject) != 1 ||
      X509_set_issuer_name(certificate.get(),
                           issuer != nullptr ? X509_get_subject_name(issuer) : spec.subject) != 1 ||
      X509_set_pubkey(certificate.get(), spec.public_key) != 1) {
    return ossl::failure("cannot build the CA certificate");
  }
  if (auto valid = set_validity(certificate.get(), spec); !valid) return valid.error();

  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer != nullptr ? issuer : certificate.get(), certificate.get(),
                 nullptr, nullptr, 0);
  const std::string constraints =
      "critical,CA:TRUE" + (spec.path_len >= 0 ? ",pathlen:" + std::to_string(spec.path_len) : "");
  const std::pair<int, std::string> extensions[] = {
      {NID_basic_constraints, constraints},
      {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"},
  };
  for (const auto& [nid, value] : extensions) {
    if (auto added = add_extension(certificate.get(), &context, nid, value); !added) {
      return added.error();
    }
  }
  if (spec.alt_names != nullptr &&
      X509_add_ext(certificate.get(), const_cast<X509_EXTENSION*>(spec.alt_names), -1) != 1) {
    return ossl::failure("cannot add the subject alternative names");
  }
  if (X509_sign(certificate.get(), issuer_key, signing_digest(issuer_key)) <= 0) {
    return ossl::failure("cannot sign the CA certificate");
  }
  return certificate;
}

}  // namespace getmesh::ca
