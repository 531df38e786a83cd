// Istio analyzers on VirtualServices, DestinationRules, Gateways and ServiceEntries.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define VS(spec)                                                                               \
  "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: " \
  "bookinfo}\nspec: " spec "\n"
#define VS_NAMED(name, spec)                                                         \
  "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " name \
  ", namespace: bookinfo}\n"                                                         \
  "spec: " spec "\n"
#define DR(name, spec)                                                                \
  "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: " name \
  ", namespace: bookinfo}\nspec: " spec "\n"
#define GW(name, spec)                                                        \
  "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: " name \
  ", namespace: bookinfo}\nspec: " spec "\n"
#define SE(name, spec)                                                             \
  "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: " name \
  ", namespace: bookinfo}\nspec: " spec "\n"

const std::array kRoutingCases = {
    // IST0101: references.
    CodeCase{"missing gateway", "IST0101", true,
             VS("{hosts: [reviews], gateways: [nope], http: [{route: [{destination: {host: "
                "reviews}}]}]}")},
    CodeCase{"existing gateway", "IST0101", false,
             VS("{hosts: [a.example.com], gateways: [gw], http: [{route: [{destination: "
                "{host: reviews}}]}]}")},
    CodeCase{"missing host", "IST0101", true,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: ratings}}]}]}")},
    CodeCase{"host via service entry", "IST0101", false,
             SE("ext",
                "{hosts: [api.example.com], ports: [{number: 443, name: https, protocol: "
                "HTTPS}], resolution: DNS}") "---\n" VS("{hosts: [api.example.com], http: "
                                                        "[{route: [{destination: {host: "
                                                        "api.example.com}}]}]}")},
    CodeCase{"missing subset", "IST0101", true,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                "v2}}]}]}")},
    CodeCase{"existing subset", "IST0101", false,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                "v1}}]}]}")},
    CodeCase{"missing port", "IST0101", true,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: reviews, port: "
                "{number: 9999}}}]}]}")},
    CodeCase{"existing port", "IST0101", false,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: reviews, port: "
                "{number: 9080}}}]}]}")},
    CodeCase{"missing mirror host", "IST0101", true,
             VS("{hosts: [reviews], http: [{route: [{destination: {host: reviews}}], "
                "mirror: {host: shadow}}]}")},
    CodeCase{"gateway selector matches nothing", "IST0101", true,
             GW("lonely",
                "{selector: {istio: nothing}, servers: [{port: {number: 80, name: http, "
                "protocol: HTTP}, hosts: [\"*\"]}]}")},
    CodeCase{"credential secret missing", "IST0101", true,
             "apiVersion: v1\nkind: Secret\nmetadata: {name: other, namespace: "
             "istio-system}\n---\n" GW(
                 "tls",
                 "{selector: {istio: ingressgateway}, servers: [{port: {number: 443, name: "
                 "https, protocol: HTTPS}, "
                 "hosts: [\"a.example.com\"], tls: {mode: SIMPLE, credentialName: cert}}]}")},
    CodeCase{"credential secret present", "IST0101", false,
             "apiVersion: v1\nkind: Secret\nmetadata: {name: cert, namespace: "
             "istio-system}\n---\n" GW(
                 "tls",
                 "{selector: {istio: ingressgateway}, servers: [{port: {number: 443, name: "
                 "https, protocol: HTTPS}, "
                 "hosts: [\"a.example.com\"], tls: {mode: SIMPLE, credentialName: cert}}]}")},
    // IST0112: ambiguous port.
    CodeCase{"two ports without port selector", "IST0112", true,
             "apiVersion: v1\nkind: Service\nmetadata: {name: multi, namespace: bookinfo}\n"
             "spec: {ports: [{name: http, port: 80}, {name: grpc, port: 81}]}\n---\n" VS(
                 "{hosts: [multi], http: [{route: [{destination: {host: multi}}]}]}")},
    CodeCase{"two ports with port selector", "IST0112", false,
             "apiVersion: v1\nkind: Service\nmetadata: {name: multi, namespace: bookinfo}\n"
             "spec: {ports: [{name: http, port: 80}, {name: grpc, port: 81}]}\n---\n" VS(
                 "{hosts: [multi], http: [{route: [{destination: {host: multi, port: "
                 "{number: 80}}}]}]}")},
    // IST0109: mesh host conflicts.
    CodeCase{"two mesh VirtualServices for one host", "IST0109", true,
             VS_NAMED("a",
                      "{hosts: [reviews], http: [{route: [{destination: {host: "
                      "reviews}}]}]}") "---\n" VS_NAMED("b",
                                                        "{hosts: "
                                                        "[reviews.bookinfo.svc.cluster."
                                                        "local], http: [{route: "
                                                        "[{destination: {host: "
                                                        "reviews}}]}]}")},
    CodeCase{
        "disjoint exportTo", "IST0109", false,
        VS_NAMED("a",
                 "{hosts: [reviews], exportTo: [bookinfo], http: [{route: [{destination: {host: "
                 "reviews}}]}]}") "---\n" VS_NAMED("b",
                                                   "{hosts: [reviews], exportTo: "
                                                   "[istio-system], http: [{route: "
                                                   "[{destination: {host: reviews}}]}]}")},
    // IST0132: VirtualService host not served by its gateway.
    CodeCase{"host not in gateway", "IST0132", true,
             VS("{hosts: [b.other.org], gateways: [gw], http: [{route: [{destination: "
                "{host: reviews}}]}]}")},
    CodeCase{"host in gateway", "IST0132", false,
             VS("{hosts: [b.example.com], gateways: [gw], http: [{route: [{destination: "
                "{host: reviews}}]}]}")},
    // IST0140: subsets ignored at ingress.
    CodeCase{"gateway route without subset", "IST0140", true,
             VS_NAMED("mesh",
                      "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                      "v1}}]}]}") "---\n" VS_NAMED("ingress",
                                                   "{hosts: [a.example.com], gateways: [gw], http: "
                                                   "[{route: [{destination: {host: reviews}}]}]}")},
    CodeCase{"gateway route with subset", "IST0140", false,
             VS_NAMED("mesh",
                      "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                      "v1}}]}]}") "---\n" VS_NAMED("ingress",
                                                   "{hosts: [a.example.com], gateways: [gw], "
                                                   "http: [{route: [{destination: {host: "
                                                   "reviews, subset: v1}}]}]}")},
    // IST0165: internal gateway.
    CodeCase{"internal gateway reference", "IST0165", true,
             VS("{hosts: [a.example.com], gateways: "
                "[\"bookinfo/"
                "gw-istio-autogenerated-k8s-gateway~istio-autogenerated-k8s-gateway~x\"], "
                "http: [{route: [{destination: {host: reviews}}]}]}")},
    CodeCase{"ordinary gateway reference", "IST0165", false,
             VS("{hosts: [a.example.com], gateways: [bookinfo/gw], http: [{route: "
                "[{destination: {host: reviews}}]}]}")},
    // IST0128 / IST0129: TLS without CA.
    CodeCase{"SIMPLE without CA", "IST0128", true,
             DR("ext", "{host: reviews, trafficPolicy: {tls: {mode: SIMPLE}}}")},
    CodeCase{"SIMPLE with CA", "IST0128", false,
             DR("ext",
                "{host: reviews, trafficPolicy: {tls: {mode: SIMPLE, caCertificates: "
                "/ca.pem}}}")},
    CodeCase{"port-level SIMPLE without CA", "IST0129", true,
             DR("ext",
                "{host: reviews, trafficPolicy: {portLevelSettings: [{port: {number: "
                "9080}, tls: {mode: SIMPLE}}]}}")},
    CodeCase{"port-level ISTIO_MUTUAL", "IST0129", false,
             DR("ext",
                "{host: reviews, trafficPolicy: {portLevelSettings: [{port: {number: "
                "9080}, tls: {mode: ISTIO_MUTUAL}}]}}")},
    // IST0173 / IST0174: destination rule hosts and subsets.
    CodeCase{"subset selects no pod", "IST0173", true,
             DR("v2", "{host: reviews, subsets: [{name: v2, labels: {version: v2}}]}")},
    CodeCase{"subset selects a pod", "IST0173", false,
             DR("v1", "{host: reviews, subsets: [{name: v1, labels: {version: v1}}]}")},
    CodeCase{"unknown host", "IST0174", true, DR("ghost", "{host: ghost}")},
    CodeCase{"known host", "IST0174", false,
             DR("known", "{host: reviews.bookinfo.svc.cluster.local}")},
    // IST0145 / IST0138 / IST0162: gateways.
    CodeCase{"two gateways same selector port host", "IST0145", true,
             GW("gw2",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: "
                "http, protocol: HTTP}, hosts: [\"*.example.com\"]}]}")},
    CodeCase{"two gateways different hosts", "IST0145", false,
             GW("gw2",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: "
                "http, protocol: HTTP}, hosts: [\"*.example.org\"]}]}")},
    CodeCase{"duplicate certificate", "IST0138", true,
             GW("a",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 443, name: "
                "https, protocol: HTTPS}, hosts: [a.example.org], tls: {mode: SIMPLE, "
                "credentialName: c}}]}") "---\n" GW("b",
                                                    "{selector: {istio: ingressgateway}, "
                                                    "servers: [{port: {number: 443, name: "
                                                    "https, protocol: HTTPS}, hosts: "
                                                    "[b.example.org], tls: {mode: SIMPLE, "
                                                    "credentialName: c}}]}")},
    CodeCase{"distinct certificates", "IST0138", false,
             GW("a",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 443, name: "
                "https, protocol: HTTPS}, hosts: [a.example.org], tls: {mode: SIMPLE, "
                "credentialName: c}}]}") "---\n" GW("b",
                                                    "{selector: {istio: ingressgateway}, "
                                                    "servers: [{port: {number: 443, name: "
                                                    "https, protocol: HTTPS}, hosts: "
                                                    "[b.example.org], tls: {mode: SIMPLE, "
                                                    "credentialName: d}}]}")},
    CodeCase{"gateway port not on service", "IST0162", true,
             GW("odd",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 8081, name: "
                "http, protocol: HTTP}, hosts: [\"a.example.org\"]}]}")},
    CodeCase{"gateway port is a target port", "IST0162", false,
             GW("odd",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 8080, name: "
                "http, protocol: HTTP}, hosts: [\"a.example.org\"]}]}")},
    // IST0134 / IST0177: service entries.
    CodeCase{"TCP port without addresses", "IST0134", true,
             SE("db",
                "{hosts: [db.example.com], ports: [{number: 5432, name: tcp, protocol: "
                "TCP}], resolution: DNS}")},
    CodeCase{"HTTP port without addresses", "IST0134", false,
             SE("web",
                "{hosts: [web.example.com], ports: [{number: 80, name: http, protocol: "
                "HTTP}], resolution: DNS}")},
    CodeCase{"conflicting protocols", "IST0177", true,
             SE("a",
                "{hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], "
                "resolution: DNS}") "---\n" SE("b",
                                               "{hosts: [x.example.com], ports: [{number: 80, "
                                               "name: grpc, protocol: GRPC}], resolution: "
                                               "DNS}")},
    CodeCase{"same protocol twice", "IST0177", false,
             SE("a",
                "{hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], "
                "resolution: DNS}") "---\n" SE("b",
                                               "{hosts: [x.example.com], ports: [{number: 80, "
                                               "name: http, protocol: HTTP}], resolution: "
                                               "DNS}")},
};

}  // namespace

std::span<const CodeCase> routing_cases() { return kRoutingCases; }

TEST(ValidateRoutingChecks, WorldIsClean) {
  const auto findings = findings_of(kWorld);
  for (const auto& finding : findings)
    ADD_FAILURE() << finding.code << " " << finding.object.name << ": " << finding.message;
}

TEST(ValidateRoutingChecks, FireAndStayQuiet) { run_cases(kRoutingCases); }

TEST(ValidateRoutingChecks, ReportsTheLineOfTheReference) {
  const auto findings =
      findings_of(std::string(kWorld) + "---\n" +
                  VS("{hosts: [reviews], http: [{route: [{destination: {host: ratings}}]}]}"));
  const auto found = std::find_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.code == "IST0101"; });
  ASSERT_NE(found, findings.end());
  EXPECT_EQ(found->origin.file, "case.yaml");
  EXPECT_EQ(found->origin.line, 52);  // the spec line of the VirtualService after the 47-line world
  EXPECT_EQ(found->message, "Referenced host not found: \"ratings\"");
}

TEST(ValidateRoutingChecks, SuppressionAnnotationSilencesListedCodes) {
  const std::string vs =
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\n  "
      "namespace: bookinfo\n"
      "  annotations: {galley.istio.io/analyze-suppress: \"IST0101,KIA1101\"}\n"
      "spec: {hosts: [reviews], http: [{route: [{destination: {host: ratings}}]}]}\n";
  for (const auto& finding : findings_of(std::string(kWorld) + "---\n" + vs)) {
    EXPECT_NE(finding.code, "IST0101");
    EXPECT_NE(finding.code, "KIA1101");
  }
  std::string all = vs;
  all.replace(all.find("IST0101,KIA1101"), 15, "*");
  EXPECT_TRUE(findings_of(std::string(kWorld) + "---\n" + all).empty());
}

TEST(ValidateRoutingChecks, HostChecksWaitForServicesOffline) {
  // Without any Service object the files cannot tell whether "ratings" exists.
  const auto findings =
      findings_of(VS("{hosts: [reviews], http: [{route: [{destination: {host: ratings}}]}]}"));
  for (const auto& finding : findings) EXPECT_NE(finding.code, "IST0101") << finding.message;
  AnalyzeOptions cluster;
  cluster.complete_kinds.set();
  const auto with_cluster = findings_of(
      VS("{hosts: [reviews], http: [{route: [{destination: {host: ratings}}]}]}"), cluster);
  EXPECT_TRUE(std::any_of(with_cluster.begin(), with_cluster.end(),
                          [](const Finding& f) { return f.code == "IST0101"; }));
}

// IST0109 lists the conflicting VirtualServices; thousands sharing one host must not make every
// finding list all of them (quadratic memory and output).
TEST(ValidateRoutingChecks, MeshHostConflictsNameABoundedNumberOfServices) {
  constexpr int kServices = 3000;
  std::string yaml;
  for (int i = 0; i < kServices; ++i) {
    yaml += "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs-" +
            std::to_string(i) + ", namespace: bookinfo}\nspec: {hosts: [reviews]}\n---\n";
  }
  const auto findings = findings_of(yaml);
  std::size_t conflicts = 0, text = 0;
  for (const auto& finding : findings) {
    if (finding.code != "IST0109") continue;
    ++conflicts;
    text += finding.message.size();
    EXPECT_LT(finding.message.size(), 1000U) << finding.message.substr(0, 300);
  }
  EXPECT_EQ(conflicts, std::size_t{kServices});
  EXPECT_LT(text, std::size_t{kServices} * 1000U);
  const auto first = std::find_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.code == "IST0109"; });
  ASSERT_NE(first, findings.end());
  EXPECT_NE(first->message.find("bookinfo/vs-0,"), std::string::npos) << first->message;
  EXPECT_NE(first->message.find(" and 2990 more"), std::string::npos) << first->message;
}

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef VS
#undef VS_NAMED
#undef DR
#undef GW
#undef SE
