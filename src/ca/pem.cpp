#include "ca/pem.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>
#include <functional>
#include <stdexcept>

namespace getmesh::ca {

namespace {

struct PassphraseState {
  const std::optional<std::string>* passphrase = nullptr;
  bool asked = false;
};

int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user_data) {
  auto& state = *static_cast<PassphraseState*>(user_data);
  state.asked = true;
  if (!state.passphrase->has_value()) return -1;
  const auto& text = **state.passphrase;
  if (text.size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buffer, text.data(), text.size());
  return static_cast<int>(text.size());
}

std::string write_with(const std::function<int(BIO*)>& writer) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || writer(bio.get()) != 1) throw std::runtime_error("cannot write PEM to memory");
  return ossl::contents(bio.get());
}

}  // namespace

Result<ossl::Certificate> parse_certificate(std::string_view pem, std::string_view origin) {
  auto all = parse_certificates(pem, origin);
  if (!all) return all.error();
  if (all->size() != 1) {
    return runtime_error(std::string(origin) + " holds " + std::to_string(all->size()) +
                             " certificates where one was expected",
                         "give a file with exactly one PEM certificate");
  }
  return std::move(all->front());
}

Result<std::vector<ossl::Certificate>> parse_certificates(std::string_view pem,
                                                          std::string_view origin) {
  std::vector<ossl::Certificate> certificates;
  auto bio = ossl::memory_reader(pem);
  ERR_clear_error();
  while (true) {
    ossl::Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) break;
    certificates.push_back(std::move(certificate));
  }
  const auto last_error = ERR_peek_last_error();
  const bool clean_end = ERR_GET_REASON(last_error) == PEM_R_NO_START_LINE;
  if (!clean_end && last_error != 0) {
    return ossl::failure(std::string(origin) + " is not valid PEM");
  }
  ERR_clear_error();
  if (certificates.empty()) {
    return runtime_error(std::string(origin) + " holds no PEM certificate",
                         "expected text starting with -----BEGIN CERTIFICATE-----");
  }
  return certificates;
}

Result<ossl::Key> parse_private_key(std::string_view pem, std::string_view origin,
                                    const std::optional<std::string>& passphrase) {
  auto bio = ossl::memory_reader(pem);
  PassphraseState state{&passphrase};
  ERR_clear_error();
  ossl::Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback, &state));
  if (key) return key;
  if (state.asked && !passphrase) {
    ERR_clear_error();
    return runtime_error(std::string(origin) + " is encrypted and no passphrase was given",
                         "give the passphrase in a file with --root-key-passphrase-file, or "
                         "decrypt the key with: openssl pkey -in <key> -out <decrypted key>");
  }
  if (state.asked) {
    ERR_clear_error();
    return runtime_error("cannot decrypt " + std::string(origin) + ": wrong passphrase",
                         "check the file given with --root-key-passphrase-file");
  }
  return ossl::failure(std::string(origin) + " is not a PEM private key");
}

Result<ossl::Request> parse_request(std::string_view pem, std::string_view origin) {
  auto bio = ossl::memory_reader(pem);
  ERR_clear_error();
  ossl::Request request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request) return ossl::failure(std::string(origin) + " is not a PEM certificate request");
  return request;
}

std::string to_pem(X509* certificate) {
  return write_with([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate); });
}

std::string to_pem(X509_REQ* request) {
  return write_with([&](BIO* bio) { return PEM_write_bio_X509_REQ(bio, request); });
}

std::string private_key_pem(EVP_PKEY* key) {
  return write_with([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

std::string public_key_pem(EVP_PKEY* key) {
  return write_with([&](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key); });
}

}  // namespace getmesh::ca
