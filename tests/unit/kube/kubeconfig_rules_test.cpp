// kubectl's rules that getmesh follows when it reads and resolves a kubeconfig.
#include "support/temp_dir.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/kube/kubeconfig.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <gtest/gtest.h>

namespace getmesh::kube {
namespace {

using testing::TempDir;

TEST(KubeconfigRules, DuplicateNamesInOneFileAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"clusters:\n- {name: c, cluster: {server: https://a}}\n- {name: c, cluster: {server: "
       "https://b}}\n",
       "duplicate name \"c\" in clusters (clusters[0] and clusters[1])"},
      {"users:\n- {name: u, user: {token: first}}\n- {name: v, user: {}}\n"
       "- {name: u, user: {token: second}}\n",
       "duplicate name \"u\" in users (users[0] and users[2])"},
      {"contexts:\n- {name: x, context: {cluster: a}}\n- {name: x, context: {cluster: b}}\n",
       "duplicate name \"x\" in contexts (contexts[0] and contexts[1])"},
  };
  for (const auto& [text, expected] : cases) {
    auto parsed = parse_kubeconfig(text, "/k/config");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << parsed.error().message;
    // The entries' credentials never appear in the message (kubectl prints them).
    EXPECT_EQ(parsed.error().message.find("first"), std::string::npos);
  }
}

TEST(KubeconfigRules, ReadsImpersonationAuthProviderAndTheExecExtension) {
  auto parsed = parse_kubeconfig(R"(
clusters:
- name: c
  cluster:
    server: https://c
    extensions:
    - name: other
      extension: {a: b}
    - name: client.authentication.k8s.io/exec
      extension: {audience: prod, retries: 3, quoted: "3", on: true, list: [x, null]}
users:
- name: u
  user:
    as: bob
    as-uid: "42"
    as-groups: [dev, ops]
    as-user-extra:
      scopes: [read, write]
    auth-provider:
      name: oidc
      config: {client-id: getmesh, id-token: abc}
)",
                                 "/k/config");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(nlohmann::json::parse(parsed->clusters[0].exec_extension),
            nlohmann::json::parse(R"({"audience": "prod", "retries": 3, "quoted": "3",
                                      "on": true, "list": ["x", null]})"));
  const auto& user = parsed->users[0];
  EXPECT_EQ(user.impersonate, "bob");
  EXPECT_EQ(user.impersonate_uid, "42");
  EXPECT_EQ(user.impersonate_groups, (std::vector<std::string>{"dev", "ops"}));
  ASSERT_EQ(user.impersonate_extra.size(), 1u);
  EXPECT_EQ(user.impersonate_extra[0].first, "scopes");
  EXPECT_EQ(user.impersonate_extra[0].second, (std::vector<std::string>{"read", "write"}));
  ASSERT_TRUE(user.auth_provider.has_value());
  EXPECT_EQ(user.auth_provider->name, "oidc");
  EXPECT_EQ(user.auth_provider->value("id-token"), "abc");
  EXPECT_EQ(user.auth_provider->value("missing"), "");

  auto bad = parse_kubeconfig("users:\n- {name: u, user: {as-groups: {a: b}}}\n", "/k/config");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("users[0].user.as-groups must be a list of strings"),
            std::string::npos);
}

// An unsigned JWT expiring at `exp` (seconds since the epoch).
std::string jwt(long long exp) {
  return base64url_encode(R"({"alg":"none"})") + "." +
         base64url_encode(R"({"sub":"me","exp":)" + std::to_string(exp) + "}") + ".sig";
}

TEST(KubeconfigRules, RefusesWhatKubectlRefusesWithItsReason) {
  TempDir dir;
  const auto ca = dir.write("ca.crt", "-----BEGIN CERTIFICATE-----\n");
  const auto cert = dir.write("client.crt", "cert");
  const std::string data = base64_encode("-----BEGIN CERTIFICATE-----\n");
  const std::string cluster = "{server: https://c, certificate-authority: " + ca.string() + "}";
  const std::pair<std::string, std::string> cases[] = {
      {"cluster: {server: https://c, insecure-skip-tls-verify: true, certificate-authority-data: " +
           data + "}\nuser: {token: t}",
       "specifying a root certificates file with the insecure flag is not allowed"},
      {"cluster: {server: https://c, insecure-skip-tls-verify: true, certificate-authority: " +
           ca.string() + "}\nuser: {token: t}",
       "insecure flag is not allowed"},
      {"cluster: {server: https://c, certificate-authority-data: " + data +
           ", certificate-authority: " + ca.string() + "}\nuser: {token: t}",
       "certificate-authority-data and certificate-authority are both specified"},
      {"cluster: " + cluster + "\nuser: {token: t, username: a, password: b}",
       "more than one authentication method"},
      {"cluster: " + cluster + "\nuser: {tokenFile: /t, password: b}",
       "more than one authentication method"},
      {"cluster: " + cluster + "\nuser: {client-certificate: " + cert.string() +
           ", client-certificate-data: " + data + ", client-key-data: " + data + "}",
       "client-certificate-data and client-certificate are both specified"},
      {"cluster: " + cluster + "\nuser: {client-certificate-data: " + data +
           ", client-key: " + cert.string() + ", client-key-data: " + data + "}",
       "client-key-data and client-key are both specified"},
      {"cluster: " + cluster + "\nuser: {client-certificate-data: " + data + "}",
       "client-key-data or client-key must be specified"},
      {"cluster: " + cluster + "\nuser: {token: t, as-uid: '1'}",
       "requesting uid, groups or user-extra without impersonating a user"},
      {"cluster: " + cluster + "\nuser: {token: t, as-user-extra: {a: [b]}}",
       "without impersonating a user"},
      {"cluster: " + cluster +
           "\nuser: {auth-provider: {name: oidc}, exec: {command: x, apiVersion: y}}",
       "cannot be provided in combination with an exec plugin"},
      {"cluster: " + cluster + "\nuser: {auth-provider: {name: gcp}}",
       "the gcp auth plugin has been removed"},
      {"cluster: " + cluster + "\nuser: {auth-provider: {name: azure}}",
       "the azure auth plugin has been removed"},
      {"cluster: " + cluster + "\nuser: {auth-provider: {name: custom}}",
       "no Auth Provider found for name \"custom\""},
      {"cluster: " + cluster + "\nuser: {auth-provider: {name: oidc, config: {client-id: a}}}",
       "must provide idp-issuer-url"},
      {"cluster: " + cluster +
           "\nuser: {auth-provider: {name: oidc, config: {client-id: a, idp-issuer-url: i, "
           "id-token: " +
           jwt(1'600'000'000) + "}}}",
       "the oidc id-token is expired"},
      {"cluster: " + cluster +
           "\nuser: {auth-provider: {name: oidc, config: {client-id: a, idp-issuer-url: i, "
           "id-token: opaque}}}",
       "not a JWT with an expiry"},
      {"cluster: {server: https://c, proxy-url: 'ftp://p'}\nuser: {token: t}",
       "invalid 'proxy-url', the scheme must be http, https, or socks5"},
  };
  for (const auto& [body, expected] : cases) {
    const auto first_line = body.substr(0, body.find('\n'));
    const auto user_line = body.substr(body.find('\n') + 1);
    const auto text = "clusters:\n- name: c\n  " + first_line + "\nusers:\n- name: u\n  " +
                      user_line + "\ncontexts:\n- {name: x, context: {cluster: c, user: u}}\n";
    auto parsed = parse_kubeconfig(text, dir.path() / "config");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    auto made = make_rest_config(*select_context(*parsed, "x"));
    ASSERT_FALSE(made.ok()) << body;
    EXPECT_NE(made.error().message.find(expected), std::string::npos) << made.error().message;
    EXPECT_NE(made.error().message.find((dir.path() / "config").string()), std::string::npos);
    EXPECT_FALSE(made.error().hint.empty());
  }
}

TEST(KubeconfigRules, GcpAndAzureAdviceNamesTheReplacementPlugins) {
  for (const auto& [name, plugin] :
       {std::pair{"gcp", "gke-gcloud-auth-plugin"}, std::pair{"azure", "kubelogin"}}) {
    auto parsed = parse_kubeconfig(
        std::string("clusters:\n- {name: c, cluster: {server: https://c}}\nusers:\n- {name: u, "
                    "user: {auth-provider: {name: ") +
            name + "}}}\ncontexts:\n- {name: x, context: {cluster: c, user: u}}\n",
        "/k/config");
    ASSERT_TRUE(parsed.ok());
    auto made = make_rest_config(*select_context(*parsed, "x"));
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.error().hint.find(plugin), std::string::npos) << made.error().hint;
  }
}

TEST(KubeconfigRules, OidcIdTokenIsTheBearerTokenAndImpersonationIsKept) {
  const auto token = jwt(4'102'444'800);
  auto parsed = parse_kubeconfig(
      "clusters:\n- {name: c, cluster: {server: https://c, insecure-skip-tls-verify: true}}\n"
      "users:\n- {name: u, user: {as: bob, as-groups: [a, b], auth-provider: {name: oidc, config: "
      "{client-id: a, idp-issuer-url: https://i, id-token: " +
          token + "}}}}\ncontexts:\n- {name: x, context: {cluster: c, user: u}}\n",
      "/k/config");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto made = make_rest_config(*select_context(*parsed, "x"));
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->token, token);
  EXPECT_EQ(made->impersonate, "bob");
  EXPECT_EQ(made->impersonate_groups, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace getmesh::kube
