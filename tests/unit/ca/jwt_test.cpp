#include "ca/jwt.hpp"

#include "ca/encoding.hpp"
#include "ca/pem.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/ca/gcp_auth.hpp>
#include <getmesh/ca/keys.hpp>
#include <getmesh/core/base64.hpp>
#include <getmesh/core/strings.hpp>

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace getmesh::ca {
namespace {

std::string base64url_decode(std::string text) {
  for (auto& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  return base64_decode(text).value_or("<bad>");
}

TEST(Jwt, IsAnRs256SignatureOverHeaderAndClaims) {
  auto key_pem = generate_private_key({KeyType::kRsa, 2048});
  ASSERT_TRUE(key_pem.ok());
  const nlohmann::json claims = {{"iss", "sa@example.iam.gserviceaccount.com"}, {"iat", 1}};
  auto token = sign_jwt_rs256(claims, *key_pem, "kid-1", "the test key");
  ASSERT_TRUE(token.ok()) << token.error().message;
  const auto parts = split(*token, '.');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(base64url_decode(parts[0])),
            (nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "kid-1"}}));
  EXPECT_EQ(nlohmann::json::parse(base64url_decode(parts[1])), claims);

  auto key = parse_private_key(*key_pem, "key");
  ASSERT_TRUE(key.ok());
  const auto input = parts[0] + "." + parts[1];
  const auto signature = base64url_decode(parts[2]);
  ossl::DigestContext context(EVP_MD_CTX_new());
  ASSERT_EQ(EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key->get()), 1);
  EXPECT_EQ(
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()),
      1);
}

TEST(Jwt, NeedsAnRsaKey) {
  auto key_pem = generate_private_key({KeyType::kEcdsa, 256});
  ASSERT_TRUE(key_pem.ok());
  const auto token = sign_jwt_rs256({}, *key_pem, "", "the test key");
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().message, "the test key is not an RSA key, which RS256 needs");
}

class GcpKeyFile : public ::testing::Test {
 protected:
  Error token_error(const std::string& content) const {
    const auto path = temp_.write("key.json", content);
    const net::Client http(net::Settings{});
    auto token =
        gcp_access_token(Environment({{"GOOGLE_APPLICATION_CREDENTIALS", path.string()}}), http);
    EXPECT_FALSE(token.ok());
    return token.ok() ? Error{} : token.error();
  }
  getmesh::testing::TempDir temp_;
};

TEST_F(GcpKeyFile, MustBeAServiceAccountKey) {
  EXPECT_NE(token_error("not json").message.find("is not JSON"), std::string::npos);
  const auto user = token_error(R"({"type": "authorized_user", "refresh_token": "x"})");
  EXPECT_NE(user.message.find("holds \"authorized_user\" credentials"), std::string::npos);
  EXPECT_NE(user.hint.find("unset GOOGLE_APPLICATION_CREDENTIALS"), std::string::npos);
  EXPECT_NE(token_error(R"({"type": "service_account"})").message.find("lacks client_email"),
            std::string::npos);
}

TEST_F(GcpKeyFile, RefusesAPlainHttpTokenUri) {
  const auto error = token_error(
      R"({"type": "service_account", "client_email": "a@b", "private_key": "x",
          "token_uri": "http://oauth.example.com/token"})");
  EXPECT_NE(error.message.find("would send credentials over plain http"), std::string::npos)
      << error.message;
}

}  // namespace
}  // namespace getmesh::ca
