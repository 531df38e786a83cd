// Where the catalogue's GitHub token may go: decided on the parsed URL, never on substrings.
#include "manifest/token_policy.hpp"

#include <gtest/gtest.h>

namespace getmesh::manifest {
namespace {

struct TokenCase {
  const char* url;
  bool sent;
};

class TokenPolicy : public ::testing::TestWithParam<TokenCase> {};

TEST_P(TokenPolicy, SentOnlyOverHttpsOrToALoopbackHost) {
  EXPECT_EQ(may_send_token(GetParam().url), GetParam().sent) << GetParam().url;
}

INSTANTIATE_TEST_SUITE_P(
    Urls, TokenPolicy,
    ::testing::Values(
        TokenCase{"https://api.github.com", true},
        TokenCase{"https://github.example.com/api/v3", true},
        TokenCase{"http://127.0.0.1:8080", true}, TokenCase{"http://127.3.4.5", true},
        TokenCase{"http://localhost:80/api", true}, TokenCase{"http://[::1]:9000", true},
        // The host is what follows the userinfo: other.example, in clear text.
        TokenCase{"http://localhost:80@other.example", false},
        TokenCase{"http://127.0.0.1@other.example/", false},
        TokenCase{"https://user:secret@api.github.com", false},
        TokenCase{"http://localhost.other.example", false},
        TokenCase{"http://127.0.0.1.nip.io", false},
        TokenCase{"http://other.example/?://127.0.0.1", false},
        TokenCase{"http://other.example#://localhost", false},
        TokenCase{"http://api.github.com", false}, TokenCase{"ftp://127.0.0.1", false},
        TokenCase{"http://127.0.0.1\\@other.example", false}, TokenCase{"http://[::1", false},
        TokenCase{"http://:80", false}, TokenCase{"127.0.0.1:80", false}));

TEST(UrlAuthority, ParsesHostPortAndUserinfo) {
  auto parsed = parse_authority("HTTPS://User@Example.COM:8443/path?q#f");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->scheme, "https");
  EXPECT_TRUE(parsed->has_userinfo);
  EXPECT_EQ(parsed->host, "example.com");
  EXPECT_EQ(parsed->port, "8443");
  EXPECT_EQ(parsed->origin(), "https://example.com:8443");
  parsed = parse_authority("http://[::1]:80");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->origin(), "http://[::1]:80");
  EXPECT_FALSE(parse_authority("http://host:8x"));
  EXPECT_FALSE(parse_authority("http://ho st"));
}

}  // namespace
}  // namespace getmesh::manifest
