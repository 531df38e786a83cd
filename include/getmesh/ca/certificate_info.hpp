#pragma once

#include <getmesh/core/result.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::ca {

// What the checks and messages need to know about one certificate.
struct CertificateInfo {
  std::string subject;  // RFC 2253, e.g. "CN=Istio CA,O=Istio"
  std::string issuer;
  bool is_ca = false;  // basicConstraints CA:TRUE
  int path_len = -1;   // basicConstraints pathLenConstraint; -1 when absent
  bool has_key_usage = false;
  bool key_cert_sign = false;
  bool crl_sign = false;
  bool self_signed = false;
  std::vector<std::string> dns_names;
  std::vector<std::string> emails;
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

Result<CertificateInfo> inspect_certificate(std::string_view pem, std::string_view origin);

// Splits concatenated PEM certificates into one PEM document each, every one ending in a newline.
Result<std::vector<std::string>> split_certificates(std::string_view pem, std::string_view origin);

// "2034-05-01 12:00:00 UTC", for messages.
std::string format_time(std::chrono::system_clock::time_point time);

}  // namespace getmesh::ca
