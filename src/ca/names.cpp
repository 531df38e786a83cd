#include "ca/names.hpp"

namespace getmesh::ca {

namespace {

Status add_entry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) return {};
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                 0) != 1) {
    return ossl::failure("cannot put " + std::string(field) + "=" + value + " into the subject");
  }
  return {};
}

Status add_name(GENERAL_NAMES* names, int type, const std::string& value) {
  ASN1_IA5STRING* text = ASN1_IA5STRING_new();
  if (text == nullptr || ASN1_STRING_set(text, value.data(), static_cast<int>(value.size())) != 1) {
    ASN1_IA5STRING_free(text);
    return ossl::failure("cannot encode the subject alternative name " + value);
  }
  GENERAL_NAME* entry = GENERAL_NAME_new();
  if (entry == nullptr) {
    ASN1_IA5STRING_free(text);
    return ossl::failure("cannot encode the subject alternative name " + value);
  }
  GENERAL_NAME_set0_value(entry, type, text);
  if (sk_GENERAL_NAME_push(names, entry) == 0) {
    GENERAL_NAME_free(entry);
    return ossl::failure("cannot encode the subject alternative name " + value);
  }
  return {};
}

}  // namespace

Result<ossl::Name> make_name(const Subject& subject) {
  ossl::Name name(X509_NAME_new());
  if (!name) return ossl::failure("cannot create a subject name");
  const std::pair<const char*, const std::vector<std::string>*> lists[] = {
      {"C", &subject.country},
      {"O", &subject.organization},
      {"OU", &subject.organizational_unit},
      {"L", &subject.locality},
      {"ST", &subject.province},
      {"street", &subject.street_address},
      {"postalCode", &subject.postal_code}};
  for (const auto& [field, values] : lists) {
    for (const auto& value : *values) {
      if (auto added = add_entry(name.get(), field, value); !added) return added.error();
    }
  }
  if (auto added = add_entry(name.get(), "serialNumber", subject.serial_number); !added) {
    return added.error();
  }
  if (auto added = add_entry(name.get(), "CN", subject.common_name); !added) return added.error();
  return name;
}

Result<ossl::Extension> make_alt_names(const std::vector<std::string>& dns_names,
                                       const std::vector<std::string>& emails) {
  if (dns_names.empty() && emails.empty()) return ossl::Extension();
  ossl::GeneralNames names(GENERAL_NAMES_new());
  if (!names) return ossl::failure("cannot create subject alternative names");
  for (const auto& dns : dns_names) {
    if (auto added = add_name(names.get(), GEN_DNS, dns); !added) return added.error();
  }
  for (const auto& email : emails) {
    if (auto added = add_name(names.get(), GEN_EMAIL, email); !added) return added.error();
  }
  ossl::Extension extension(X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get()));
  if (!extension) return ossl::failure("cannot encode the subject alternative names");
  return extension;
}

std::string name_text(const X509_NAME* name) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return "?";
  return ossl::contents(bio.get());
}

}  // namespace getmesh::ca
