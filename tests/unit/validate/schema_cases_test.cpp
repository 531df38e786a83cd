// Schema and field validation (IST0106, IST0133) and VirtualService rule analysis (IST0130,
// IST0131).
#include "cases.hpp"

#include <getmesh/validate/codes.hpp>

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace getmesh::validate::testing {

namespace {

#define OBJ(api, kind, spec) \
  "apiVersion: " api "\nkind: " kind "\nmetadata: {name: x, namespace: bookinfo}\nspec: " spec "\n"
#define VS(spec) OBJ("networking.istio.io/v1", "VirtualService", spec)
#define DR(spec) OBJ("networking.istio.io/v1", "DestinationRule", spec)
#define GW(spec) OBJ("networking.istio.io/v1", "Gateway", spec)
#define SE(spec) OBJ("networking.istio.io/v1", "ServiceEntry", spec)
#define ROUTE "route: [{destination: {host: reviews}}]"

const std::array kSchemaCases = {
    CodeCase{"unknown field", "IST0133", true,
             VS("{hosts: [reviews], http: [{rout: [], " ROUTE "}]}"), true},
    CodeCase{"known fields", "IST0133", false,
             VS("{hosts: [reviews], http: [{name: a, timeout: 1s, " ROUTE "}]}"), true},
    CodeCase{"wrong type", "IST0106", true, VS("{hosts: reviews, http: [{" ROUTE "}]}"), true},
    CodeCase{"enum value outside the enum", "IST0106", true,
             DR("{host: reviews, trafficPolicy: {tls: {mode: SIMPLEST}}}"), true},
    CodeCase{"enum value inside the enum", "IST0106", false,
             DR("{host: reviews, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}"), true},
    CodeCase{"unquoted number in a string field", "IST0106", true,
             VS("{hosts: [reviews], http: [{name: 1, " ROUTE "}]}"), true},
    CodeCase{"bad duration", "IST0106", true,
             VS("{hosts: [reviews], http: [{timeout: 10, " ROUTE "}]}"), true},
    CodeCase{"sub-millisecond duration", "IST0106", true,
             VS("{hosts: [reviews], http: [{timeout: 500us, " ROUTE "}]}"), true},
    CodeCase{"compound duration", "IST0106", false,
             VS("{hosts: [reviews], http: [{timeout: 1m30s, " ROUTE "}]}"), true},
    CodeCase{"invalid regex", "IST0106", true,
             VS("{hosts: [reviews], http: [{match: [{uri: {regex: \"a(b\"}}], " ROUTE "}]}"), true},
    CodeCase{
        "RE2-only regex syntax", "IST0106", false,
        VS("{hosts: [reviews], http: [{match: [{uri: {regex: \"(?i)/api/.*\"}}], " ROUTE "}]}"),
        true},
    CodeCase{"back reference (not RE2)", "IST0106", true,
             VS("{hosts: [reviews], http: [{match: [{uri: {regex: \"(a)\\\\1\"}}], " ROUTE "}]}"),
             true},
    CodeCase{"no routes at all", "IST0106", true, VS("{hosts: [reviews]}"), true},
    CodeCase{"wildcard host on the mesh", "IST0106", true,
             VS("{hosts: [\"*\"], http: [{" ROUTE "}]}"), true},
    CodeCase{"wildcard host on a gateway", "IST0106", false,
             VS("{hosts: [\"*\"], gateways: [gw], http: [{" ROUTE "}]}"), true},
    CodeCase{"invalid host", "IST0106", true, VS("{hosts: [\"bad_host!\"], http: [{" ROUTE "}]}"),
             true},
    CodeCase{"weights all zero", "IST0106", true,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: a}, weight: 0}, "
                "{destination: {host: b}, weight: 0}]}]}"),
             true},
    CodeCase{"weights not summing to 100 are fine", "IST0106", false,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: a}, weight: 30}, "
                "{destination: {host: b}, weight: 30}]}]}"),
             true},
    CodeCase{"redirect code out of range", "IST0106", true,
             VS("{hosts: [reviews], http: [{redirect: {uri: /x, redirectCode: 200}}]}"), true},
    CodeCase{"route and redirect together", "IST0106", true,
             VS("{hosts: [reviews], http: [{redirect: {uri: /x}, " ROUTE "}]}"), true},
    CodeCase{"port out of range", "IST0106", true,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: reviews, port: {number: "
                "70000}}}]}]}"),
             true},
    CodeCase{
        "TLS SNI host outside the VirtualService hosts", "IST0106", true,
        VS("{hosts: [a.example.com], tls: [{match: [{sniHosts: [b.example.com]}], " ROUTE "}]}"),
        true},
    CodeCase{"TLS SNI host inside the VirtualService hosts", "IST0106", false,
             VS("{hosts: [\"*.example.com\"], tls: [{match: [{sniHosts: [b.example.com]}], " ROUTE
                "}]}"),
             true},
    CodeCase{"duplicate subset names", "IST0106", true,
             DR("{host: reviews, subsets: [{name: v1}, {name: v1}]}"), true},
    CodeCase{"locality weights not summing to 100", "IST0106", true,
             DR("{host: reviews, trafficPolicy: {loadBalancer: {localityLbSetting: {distribute: "
                "[{from: a/b/*, to: {a/b/*: 60, c/d/*: 30}}]}}}}"),
             true},
    CodeCase{"MUTUAL without client certificate", "IST0106", true,
             DR("{host: reviews, trafficPolicy: {tls: {mode: MUTUAL}}}"), true},
    CodeCase{"gateway short host", "IST0106", true,
             GW("{servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [reviews]}]}"),
             true},
    CodeCase{"gateway HTTPS without tls", "IST0106", true,
             GW("{servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: "
                "[a.example.com]}]}"),
             true},
    CodeCase{"gateway HTTPS with credential", "IST0106", false,
             GW("{servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: "
                "[a.example.com], tls: {mode: SIMPLE, credentialName: c}}]}"),
             true},
    CodeCase{"service entry wildcard all", "IST0106", true,
             SE("{hosts: [\"*\"], ports: [{number: 80, name: http, protocol: HTTP}]}"), true},
    CodeCase{"service entry CIDR with DNS", "IST0106", true,
             SE("{hosts: [a.example.com], addresses: [10.0.0.0/8], resolution: DNS, ports: "
                "[{number: 80, name: http, protocol: HTTP}]}"),
             true},
    CodeCase{"service entry CIDR with NONE", "IST0106", false,
             SE("{hosts: [a.example.com], addresses: [10.0.0.0/8], resolution: NONE, ports: "
                "[{number: 80, name: http, protocol: HTTP}]}"),
             true},
    CodeCase{"sidecar egress host without namespace", "IST0106", true,
             OBJ("networking.istio.io/v1", "Sidecar",
                 "{egress: [{hosts: [reviews.bookinfo.svc.cluster.local]}]}"),
             true},
    CodeCase{"DENY policy without rules", "IST0106", true,
             OBJ("security.istio.io/v1", "AuthorizationPolicy", "{action: DENY}"), true},
    CodeCase{"ALLOW policy without rules", "IST0106", false,
             OBJ("security.istio.io/v1", "AuthorizationPolicy", "{action: ALLOW}"), true},
    CodeCase{"unknown condition key", "IST0106", true,
             OBJ("security.istio.io/v1", "AuthorizationPolicy",
                 "{rules: [{when: [{key: destination.name, values: [a]}]}]}"),
             true},
    CodeCase{"port-level mTLS without selector", "IST0106", true,
             OBJ("security.istio.io/v1", "PeerAuthentication",
                 "{portLevelMtls: {\"8080\": {mode: DISABLE}}}"),
             true},
    CodeCase{"EnvoyFilter always warns", "IST0133", true,
             OBJ("networking.istio.io/v1alpha3", "EnvoyFilter", "{configPatches: []}"), true},
    CodeCase{
        "matchless rule before another", "IST0130", true,
        VS("{hosts: [reviews], http: [{" ROUTE "}, {match: [{uri: {prefix: /a}}], " ROUTE "}]}"),
        true},
    CodeCase{
        "matchless rule last", "IST0130", false,
        VS("{hosts: [reviews], http: [{match: [{uri: {prefix: /a}}], " ROUTE "}, {" ROUTE "}]}"),
        true},
    CodeCase{"duplicate match", "IST0131", true,
             VS("{hosts: [reviews], http: [{match: [{uri: {exact: /a}}], " ROUTE
                "}, {match: [{name: other, uri: {exact: /a}}, {uri: {exact: /b}}], " ROUTE "}]}"),
             true},
    CodeCase{"prefix covered by a shorter prefix", "IST0131", true,
             VS("{hosts: [reviews], http: [{match: [{uri: {prefix: /api}}], " ROUTE
                "}, {match: [{uri: {prefix: /api/v1}}], " ROUTE "}]}"),
             true},
    CodeCase{"longer prefix first", "IST0131", false,
             VS("{hosts: [reviews], http: [{match: [{uri: {prefix: /api/v1}}], " ROUTE
                "}, {match: [{uri: {prefix: /api}}], " ROUTE "}]}"),
             true},
};

}  // namespace

std::span<const CodeCase> schema_cases() { return kSchemaCases; }

TEST(ValidateSchemaChecks, FireAndStayQuiet) { run_cases(kSchemaCases); }

TEST(ValidateSchemaChecks, FindingsNameThePathAndLineOfTheField) {
  const auto findings = findings_of(
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x, namespace: "
      "bookinfo}\n"
      "spec:\n  hosts: [reviews]\n  http:\n  - timeout: forever\n    route: [{destination: {host: "
      "reviews}}]\n");
  ASSERT_EQ(findings.size(), 1U);
  EXPECT_EQ(findings[0].code, "IST0106");
  EXPECT_EQ(findings[0].origin.line, 7);
  EXPECT_NE(findings[0].message.find("spec.http[0].timeout"), std::string::npos)
      << findings[0].message;
}

// Every code the catalogue lists has a case that fires and a close case that does not.
TEST(ValidateCodes, EveryImplementedCodeIsTestedBothWays) {
  std::set<std::string> fires;
  std::set<std::string> quiet;
  for (const auto table :
       {routing_cases(), workload_cases(), kiali_cases(), kiali_policy_cases(), schema_cases(),
        cluster_cases(), gateway_api_cases(), annotation_cases(), selector_and_secret_cases()}) {
    for (const auto& test : table) (test.fires ? fires : quiet).insert(test.code);
  }
  for (const auto& info : implemented_codes()) {
    EXPECT_TRUE(fires.contains(std::string(info.code))) << info.code << " has no case that fires";
    EXPECT_TRUE(quiet.contains(std::string(info.code)))
        << info.code << " has no case that stays quiet";
  }
}

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef OBJ
#undef VS
#undef DR
#undef GW
#undef SE
#undef ROUTE
