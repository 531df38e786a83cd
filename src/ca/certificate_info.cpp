#include "ca/certificate_time.hpp"
#include "ca/names.hpp"
#include "ca/pem.hpp"

#include <getmesh/ca/certificate_info.hpp>

#include <ctime>

namespace getmesh::ca {

namespace {

void collect_alt_names(X509* certificate, CertificateInfo& info) {
  ossl::GeneralNames names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names.get(), i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(entry, &type));
    if (type != GEN_DNS && type != GEN_EMAIL) continue;
    std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     static_cast<std::size_t>(ASN1_STRING_length(value)));
    (type == GEN_DNS ? info.dns_names : info.emails).push_back(std::move(text));
  }
}

}  // namespace

Result<CertificateInfo> inspect_certificate(std::string_view pem, std::string_view origin) {
  auto certificate = parse_certificate(pem, origin);
  if (!certificate) return certificate.error();
  X509* x509 = certificate->get();
  CertificateInfo info;
  info.subject = name_text(X509_get_subject_name(x509));
  info.issuer = name_text(X509_get_issuer_name(x509));
  // X509_get_extension_flags computes the cached extension data (EXFLAG_*) first.
  const auto flags = X509_get_extension_flags(x509);
  ossl::BasicConstraints constraints(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(x509, NID_basic_constraints, nullptr, nullptr)));
  info.is_ca = constraints && constraints->ca != 0;
  info.path_len = constraints && constraints->pathlen != nullptr
                      ? static_cast<int>(ASN1_INTEGER_get(constraints->pathlen))
                      : -1;
  info.has_key_usage = (flags & EXFLAG_KUSAGE) != 0;
  const auto usage = X509_get_key_usage(x509);
  info.key_cert_sign = (usage & KU_KEY_CERT_SIGN) != 0;
  info.crl_sign = (usage & KU_CRL_SIGN) != 0;
  info.self_signed = (flags & EXFLAG_SS) != 0;
  collect_alt_names(x509, info);
  info.not_before = to_time_point(X509_get0_notBefore(x509));
  info.not_after = to_time_point(X509_get0_notAfter(x509));
  return info;
}

Result<std::vector<std::string>> split_certificates(std::string_view pem, std::string_view origin) {
  auto certificates = parse_certificates(pem, origin);
  if (!certificates) return certificates.error();
  std::vector<std::string> documents;
  for (const auto& certificate : *certificates) documents.push_back(to_pem(certificate.get()));
  return documents;
}

std::string format_time(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return buffer;
}

}  // namespace getmesh::ca
