#include "ca/settings_checks.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace getmesh::ca {

namespace {

bool printable(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

bool is_label(std::string_view label, std::size_t max_length) {
  if (label.empty() || label.size() > max_length || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (const char c : label) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  }
  return true;
}

}  // namespace

Status check_subject(const Subject& subject) {
  const std::pair<const char*, const std::vector<std::string>*> lists[] = {
      {"organization", &subject.organization},
      {"organizational unit", &subject.organizational_unit},
      {"locality", &subject.locality},
      {"province", &subject.province},
      {"street address", &subject.street_address},
      {"postal code", &subject.postal_code}};
  for (const auto& [field, values] : lists) {
    for (const auto& value : *values) {
      if (value.empty() || !printable(value) || value.size() > 128) {
        return usage_error("the " + std::string(field) + " " + quote(value) +
                               " is empty, too long or has control characters",
                           "give printable text of at most 128 characters");
      }
    }
  }
  for (const auto& country : subject.country) {
    if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
        !std::isalpha(static_cast<unsigned char>(country[1]))) {
      return usage_error("the country " + quote(country) + " is not a two-letter country code",
                         "give an ISO 3166 code such as US or DE");
    }
  }
  if (!printable(subject.common_name) || subject.common_name.size() > 64) {
    return usage_error(
        "the common name " + quote(subject.common_name) + " is too long or has control characters",
        "give printable text of at most 64 characters");
  }
  if (!printable(subject.serial_number) || subject.serial_number.size() > 64) {
    return usage_error("the subject serial number " + quote(subject.serial_number) +
                           " is too long or has control characters",
                       "give printable text of at most 64 characters");
  }
  return {};
}

Status check_dns_name(std::string_view name) {
  auto rest = name;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  bool valid = !rest.empty() && name.size() <= 253;
  for (const auto& label : split(rest, '.')) valid = valid && is_label(label, 63);
  if (!valid) {
    return usage_error("the DNS name " + quote(name) + " is not a valid host name",
                       "give names such as ca.istio.io (letters, digits, '-' and '.')");
  }
  return {};
}

Status check_email(std::string_view email) {
  const auto at = email.find('@');
  const bool ascii = std::all_of(email.begin(), email.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (!ascii || at == 0 || at == std::string_view::npos || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    return usage_error("the e-mail address " + quote(email) + " is not valid",
                       "give an address such as security@example.com");
  }
  return {};
}

Status check_namespace(std::string_view name) {
  bool valid = is_label(name, 63);
  for (const char c : name) valid = valid && !std::isupper(static_cast<unsigned char>(c));
  if (!valid) {
    return usage_error("the namespace " + quote(name) + " is not a valid Kubernetes namespace name",
                       "give lower-case letters, digits and '-', e.g. istio-system");
  }
  return {};
}

Status check_signing_algorithm(std::string_view algorithm) {
  static constexpr std::array<std::string_view, 7> kAlgorithms = {
      "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA", "SHA256WITHRSA",
      "SHA384WITHRSA",   "SHA512WITHRSA",   "SM3WITHSM2"};
  for (const auto known : kAlgorithms) {
    if (algorithm == known) return {};
  }
  return usage_error(
      "the signing algorithm " + quote(algorithm) + " is not one of AWS Private CA's",
      "give SHA256WITHRSA, SHA384WITHRSA, SHA512WITHRSA, SHA256WITHECDSA, "
      "SHA384WITHECDSA or SHA512WITHECDSA, matching the signing CA's key");
}

}  // namespace getmesh::ca
