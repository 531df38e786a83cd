#include "kube/pem.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <ctime>
#include <memory>

namespace getmesh::kube {

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string date_of(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unknown date";
  std::array<char, 64> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M UTC", &parts);
  return text.data();
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string decoded;
  unsigned int buffer = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = base64_value(c);
    if (value < 0 || padding) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned int>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return decoded;
}

std::string encode_base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const auto group = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6)
      encoded.push_back(kAlphabet[(group >> shift) & 0x3F]);
  }
  if (const auto rest = data.size() - i; rest > 0) {
    unsigned int group = static_cast<unsigned int>(static_cast<unsigned char>(data[i])) << 16;
    if (rest == 2) group |= static_cast<unsigned int>(static_cast<unsigned char>(data[i + 1])) << 8;
    encoded.push_back(kAlphabet[(group >> 18) & 0x3F]);
    encoded.push_back(kAlphabet[(group >> 12) & 0x3F]);
    encoded.push_back(rest == 2 ? kAlphabet[(group >> 6) & 0x3F] : '=');
    encoded.push_back('=');
  }
  return encoded;
}

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
