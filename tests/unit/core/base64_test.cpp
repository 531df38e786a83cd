#include <getmesh/core/base64.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace getmesh {
namespace {

// The test vectors of RFC 4648 §10.
const std::vector<std::pair<std::string, std::string>> kVectors = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64, EncodesAndDecodesTheRfcVectors) {
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain);
  }
}

TEST(Base64, DecodingIgnoresWhitespaceAndMissingPadding) {
  EXPECT_EQ(base64_decode("Zm9v\nYmE"), "fooba");
  EXPECT_EQ(base64_decode(" Zg \r\n"), "f");
}

TEST(Base64, DecodingRefusesOtherCharactersAndDataAfterPadding) {
  EXPECT_EQ(base64_decode("not base64!"), std::nullopt);
  EXPECT_EQ(base64_decode("Zg==Zg=="), std::nullopt);
  EXPECT_EQ(base64_decode("Zm9v-_"), std::nullopt);  // base64url characters
}

TEST(Base64, UrlVariantIsUnpaddedWithItsOwnAlphabet) {
  const std::string bytes = "\xfb\xff\xbf";
  EXPECT_EQ(base64_encode(bytes), "+/+/");
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_encode("f"), "Zg");
}

}  // namespace
}  // namespace getmesh
