#include "kube/proxy.hpp"

#include <gtest/gtest.h>

namespace getmesh::kube {
namespace {

std::string proxy(const std::string& server, std::map<std::string, std::string, std::less<>> env,
                  const std::string& proxy_url = {}) {
  return proxy_for(server, proxy_url, Environment(std::move(env)));
}

TEST(KubeProxy, FollowsGoHttpproxyRules) {
  const std::string p = "http://proxy:3128";
  // Which variable: upper case first, HTTP_PROXY only for http, never ALL_PROXY.
  EXPECT_EQ(proxy("https://k.example", {{"HTTPS_PROXY", p}}), p);
  EXPECT_EQ(proxy("https://k.example", {{"https_proxy", p}}), p);
  EXPECT_EQ(proxy("https://k.example", {{"HTTPS_PROXY", p}, {"https_proxy", "http://other"}}), p);
  EXPECT_EQ(proxy("https://k.example", {{"HTTP_PROXY", p}}), "");
  EXPECT_EQ(proxy("http://k.example", {{"HTTP_PROXY", p}}), p);
  EXPECT_EQ(proxy("https://k.example", {{"ALL_PROXY", p}}), "");
  EXPECT_EQ(proxy("https://k.example", {{"HTTPS_PROXY", "proxy:3128"}}), p);  // scheme added
  // Loopback is never proxied.
  for (const auto* server : {"https://127.0.0.1:6443", "https://127.1.2.3", "https://[::1]:6443",
                             "https://localhost:6443", "https://LOCALHOST"}) {
    EXPECT_EQ(proxy(server, {{"HTTPS_PROXY", p}}), "") << server;
  }
  EXPECT_EQ(proxy("https://0.0.0.0:6443", {{"HTTPS_PROXY", p}}), p);
}

TEST(KubeProxy, MatchesNoProxyAgainstTheServersHostAndPort) {
  const std::string p = "http://proxy:3128";
  const auto with = [&](const std::string& server, const std::string& no_proxy) {
    return proxy(server, {{"HTTPS_PROXY", p}, {"NO_PROXY", no_proxy}});
  };
  EXPECT_EQ(with("https://api.k.example:6443", "k.example"), "");  // a domain and its subdomains
  EXPECT_EQ(with("https://k.example", "k.example"), "");
  EXPECT_EQ(with("https://k.example", ".k.example"), p);  // a leading dot: subdomains only
  EXPECT_EQ(with("https://api.k.example", ".k.example"), "");
  EXPECT_EQ(with("https://api.k.example", "*.k.example"), "");
  EXPECT_EQ(with("https://k.example", "*.k.example"), p);
  EXPECT_EQ(with("https://notk.example", "k.example"), p);
  EXPECT_EQ(with("https://K.Example", " other.example , K.EXAMPLE "), "");
  EXPECT_EQ(with("https://k.example:6443", "k.example:6443"), "");
  EXPECT_EQ(with("https://k.example:6443", "k.example:443"), p);
  EXPECT_EQ(with("https://k.example", "k.example:443"), "");  // the scheme's default port
  EXPECT_EQ(with("https://10.1.2.3:6443", "10.0.0.0/8"), "");
  EXPECT_EQ(with("https://11.1.2.3:6443", "10.0.0.0/8"), p);
  EXPECT_EQ(with("https://10.1.2.3:6443", "10.1.2.3"), "");
  EXPECT_EQ(with("https://10.1.2.3:6443", "10.1.2.3:6443"), "");
  EXPECT_EQ(with("https://10.1.2.3:6443", "10.1.2.3:443"), p);
  EXPECT_EQ(with("https://[fd00::1]:6443", "fd00::/8"), "");
  EXPECT_EQ(with("https://[fd00::1]:6443", "[fd00::1]:6443"), "");
  EXPECT_EQ(with("https://k.example", "10.0.0.0/8"), p);  // a CIDR never matches a name
  EXPECT_EQ(with("https://k.example", "*"), "");
  EXPECT_EQ(with("https://user:pw@k.example", "k.example"), "");
  EXPECT_EQ(proxy("https://k.example", {{"HTTPS_PROXY", p}, {"no_proxy", "k.example"}}), "");
}

TEST(KubeProxy, ProxyUrlOfTheClusterIsAlwaysUsed) {
  const std::string own = "socks5://127.0.0.1:1080";
  EXPECT_EQ(proxy("https://127.0.0.1:6443", {}, own), own);
  EXPECT_EQ(proxy("https://k.example", {{"NO_PROXY", "*"}, {"HTTPS_PROXY", "http://p"}}, own), own);
}

}  // namespace
}  // namespace getmesh::kube
