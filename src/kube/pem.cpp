#include "kube/pem.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <ctime>
#include <memory>

namespace getmesh::kube {

namespace {

std::string date_of(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unknown date";
  std::array<char, 64> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M UTC", &parts);
  return text.data();
}

}  // namespace

Status check_certificate(const std::string& pem, const std::string& what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free);
  if (!certificate) {
    return runtime_error(what + " is not a PEM certificate",
                         "put a PEM certificate (-----BEGIN CERTIFICATE-----) there");
  }
  if (X509_cmp_current_time(X509_get0_notAfter(certificate.get())) < 0) {
    return runtime_error(what + " expired on " + date_of(X509_get0_notAfter(certificate.get())),
                         "get a new client certificate for the cluster (for example log in again)");
  }
  if (X509_cmp_current_time(X509_get0_notBefore(certificate.get())) > 0) {
    return runtime_error(
        what + " is not valid before " + date_of(X509_get0_notBefore(certificate.get())),
        "check the clock of this machine, or get a new client certificate");
  }
  return {};
}

}  // namespace getmesh::kube
