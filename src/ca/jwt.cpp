#include "ca/jwt.hpp"

#include "ca/encoding.hpp"
#include "ca/pem.hpp"

#include <getmesh/core/base64.hpp>

namespace getmesh::ca {

Result<std::string> sign_jwt_rs256(const nlohmann::json& claims, std::string_view private_key_pem,
                                   std::string_view key_id, std::string_view origin) {
  auto key = parse_private_key(private_key_pem, origin);
  if (!key) return key.error();
  if (EVP_PKEY_get_base_id(key->get()) != EVP_PKEY_RSA) {
    return runtime_error(std::string(origin) + " is not an RSA key, which RS256 needs",
                         "use a service-account key file created by Google Cloud");
  }
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = key_id;
  const auto signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());

  ossl::DigestContext context(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return ossl::failure("cannot sign the token with " + std::string(origin));
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return ossl::failure("cannot sign the token with " + std::string(origin));
  }
  signature.resize(length);
  return signing_input + "." + base64url_encode(signature);
}

}  // namespace getmesh::ca
