#include "download/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace getmesh::download {

namespace {

// OpenSSL only fails here on allocation failure or a broken library: a bug, not an input error.
void check(int result, const char* what) {
  if (result != 1) throw std::runtime_error(std::string("OpenSSL SHA-256: ") + what + " failed");
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr) throw std::bad_alloc();
  reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::reset() { check(EVP_DigestInit_ex(context_, EVP_sha256(), nullptr), "init"); }

void Sha256::update(std::string_view data) {
  check(EVP_DigestUpdate(context_, data.data(), data.size()), "update");
}

std::string Sha256::finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  check(EVP_DigestFinal_ex(context_, digest, &length), "final");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0x0f];
  }
  reset();
  return text;
}

}  // namespace getmesh::download
