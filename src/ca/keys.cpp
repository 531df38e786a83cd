#include "ca/pem.hpp"

#include <getmesh/ca/keys.hpp>

namespace getmesh::ca {

Status validate_key_spec(const KeySpec& spec) {
  if (spec.type == KeyType::kRsa) {
    if (spec.bits == 2048 || spec.bits == 3072 || spec.bits == 4096) return {};
    return usage_error("an RSA key of " + std::to_string(spec.bits) + " bits is not supported",
                       "use --key-length 2048, 3072 or 4096 with --key-type rsa");
  }
  if (spec.bits == 256 || spec.bits == 384) return {};
  return usage_error("an ECDSA key of " + std::to_string(spec.bits) + " bits is not supported",
                     "use --key-length 256 (P-256) or 384 (P-384) with --key-type ecdsa");
}

std::string describe(const KeySpec& spec) {
  if (spec.type == KeyType::kRsa) return "RSA " + std::to_string(spec.bits);
  return "ECDSA P-" + std::to_string(spec.bits);
}

Result<std::string> generate_private_key(const KeySpec& spec) {
  if (auto valid = validate_key_spec(spec); !valid) return valid.error();
  ossl::Key key(
      spec.type == KeyType::kRsa
          ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(spec.bits))
          : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", spec.bits == 256 ? "P-256" : "P-384"));
  if (!key) return ossl::failure("cannot generate an " + describe(spec) + " key");
  return private_key_pem(key.get());
}

Result<std::string> public_key_of(std::string_view private_key_pem_text) {
  auto key = parse_private_key(private_key_pem_text, "the generated private key");
  if (!key) return key.error();
  return public_key_pem(key->get());
}

}  // namespace getmesh::ca
