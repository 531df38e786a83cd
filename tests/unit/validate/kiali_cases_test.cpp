// Kiali's checks.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define OBJ(api, kind, name, ns, spec)                                             \
  "apiVersion: " api "\nkind: " kind "\nmetadata: {name: " name ", namespace: " ns \
  "}\nspec: " spec "\n"
#define VS(name, spec) OBJ("networking.istio.io/v1", "VirtualService", name, "bookinfo", spec)
#define DR(name, spec) OBJ("networking.istio.io/v1", "DestinationRule", name, "bookinfo", spec)
#define GW(name, spec) OBJ("networking.istio.io/v1", "Gateway", name, "bookinfo", spec)
#define SE(name, spec) OBJ("networking.istio.io/v1", "ServiceEntry", name, "bookinfo", spec)
#define SIDECAR(name, ns, spec) OBJ("networking.istio.io/v1", "Sidecar", name, ns, spec)
#define AP(name, spec) OBJ("security.istio.io/v1", "AuthorizationPolicy", name, "bookinfo", spec)
#define PA(name, ns, spec) OBJ("security.istio.io/v1", "PeerAuthentication", name, ns, spec)
#define RA(name, spec) OBJ("security.istio.io/v1", "RequestAuthentication", name, "bookinfo", spec)

// Objects of the cases below, named so that each case reads as one line.
#define WILDCARD_SUBSET_RULE                                       \
  OBJ("networking.istio.io/v1", "DestinationRule", "all", "other", \
      "{host: \"*.local\", subsets: [{name: v9}]}")
#define HALF_FQDN_SUBSET_RULE                                       \
  OBJ("networking.istio.io/v1", "DestinationRule", "half", "other", \
      "{host: reviews.bookinfo, subsets: [{name: v8}]}")
#define ROUTE_TO_SUBSET(host, subset) \
  VS("vs",                            \
     "{hosts: [reviews], http: [{route: [{destination: {host: " host ", subset: " subset "}}]}]}")
#define AUTO_MTLS_OFF                                                                   \
  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n" \
  "data: {mesh: 'enableAutoMtls: false'}\n"
#define MESH_MTLS_RULE                                                          \
  OBJ("networking.istio.io/v1", "DestinationRule", "mesh-mtls", "istio-system", \
      "{host: \"*.local\", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}")
#define NAMESPACE_MTLS_RULE \
  DR("ns-mtls",             \
     "{host: \"*.bookinfo.svc.cluster.local\", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}")
#define NAMESPACE_MTLS_STRICT PA("default", "bookinfo", "{mtls: {mode: STRICT}}")
#define WORKLOAD_MTLS_DISABLED \
  PA("reviews", "bookinfo", "{selector: {matchLabels: {app: reviews}}, mtls: {mode: DISABLE}}")
#define NAMESPACE_TLS_DISABLED \
  DR("no-mtls", "{host: \"*.bookinfo.svc.cluster.local\", trafficPolicy: {tls: {mode: DISABLE}}}")
#define POLICY_WITH(source) \
  AP("ap", "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: " source "}]}]}")

const std::array kKialiCases = {
    // VirtualServices.
    CodeCase{"route to unknown host", "KIA1101", true,
             VS("vs", "{hosts: [reviews], http: [{route: [{destination: {host: ratings}}]}]}")},
    CodeCase{"route to host in another known namespace", "KIA1101", false,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: "
                "istio-ingressgateway.istio-system}}]}]}")},
    CodeCase{"unknown gateway", "KIA1102", true,
             VS("vs",
                "{hosts: [a.example.com], gateways: [nope], http: [{route: [{destination: "
                "{host: reviews}}]}]}")},
    CodeCase{"legacy gateway name found", "KIA1102", false,
             VS("vs",
                "{hosts: [a.example.com], gateways: [gw.bookinfo], http: [{route: "
                "[{destination: {host: reviews}}]}]}")},
    CodeCase{"single destination weight 50", "KIA1104", true,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews}, weight: "
                "50}]}]}")},
    CodeCase{"single destination weight 100", "KIA1104", false,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews}, weight: "
                "100}]}]}")},
    CodeCase{"repeated subset", "KIA1105", true,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                "v1}, weight: 50}, "
                "{destination: {host: reviews, subset: v1}, weight: 50}]}]}")},
    CodeCase{"distinct destinations", "KIA1105", false,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                "v1}, weight: 50}, "
                "{destination: {host: reviews}, weight: 50}]}]}")},
    CodeCase{"same host without subset twice", "KIA1105", true,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews}, weight: 50}, "
                "{destination: {host: reviews.bookinfo.svc.cluster.local}, weight: 50}]}]}")},
    CodeCase{"same host on one of two gateways", "KIA1106", true,
             VS("a",
                "{hosts: [a.example.com], gateways: [gw, gw2], http: [{route: [{destination: "
                "{host: reviews}}]}]}") "---\n" VS("b",
                                                   "{hosts: [a.example.com], gateways: [gw], "
                                                   "http: [{route: [{destination: {host: "
                                                   "reviews}}]}]}")},
    CodeCase{"two VirtualServices for one host", "KIA1106", true,
             VS("a",
                "{hosts: [reviews], http: [{route: [{destination: {host: "
                "reviews}}]}]}") "---\n" VS("b",
                                            "{hosts: [reviews], http: [{route: [{destination: "
                                            "{host: reviews}}]}]}")},
    CodeCase{"same host on different gateways", "KIA1106", false,
             VS("a",
                "{hosts: [a.example.com], http: [{route: [{destination: {host: "
                "reviews}}]}]}") "---\n" VS("b",
                                            "{hosts: [a.example.com], gateways: [gw], "
                                            "http: [{route: [{destination: {host: "
                                            "reviews}}]}]}")},
    CodeCase{"unknown subset", "KIA1107", true,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                "v3}}]}]}")},
    CodeCase{"known subset", "KIA1107", false,
             VS("vs",
                "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: "
                "v1}}]}]}")},
    CodeCase{"subset of a mesh-wide wildcard DestinationRule", "KIA1107", false,
             WILDCARD_SUBSET_RULE "---\n" ROUTE_TO_SUBSET("reviews", "v9")},
    CodeCase{"subset of a rule naming the host name.namespace elsewhere", "KIA1107", false,
             HALF_FQDN_SUBSET_RULE
             "---\n" ROUTE_TO_SUBSET("reviews.bookinfo.svc.cluster.local", "v8")},
    CodeCase{"dotted gateway name", "KIA1108", true,
             VS("vs",
                "{hosts: [a.example.com], gateways: [gw.bookinfo], http: [{route: "
                "[{destination: {host: reviews}}]}]}")},
    CodeCase{"slashed gateway name", "KIA1108", false,
             VS("vs",
                "{hosts: [a.example.com], gateways: [bookinfo/gw], http: [{route: "
                "[{destination: {host: reviews}}]}]}")},
    // DestinationRules.
    CodeCase{"two rules for one host", "KIA0201", true,
             DR("again",
                "{host: reviews.bookinfo.svc.cluster.local, subsets: [{name: v1, labels: "
                "{version: v1}}]}")},
    CodeCase{
        "two rules for one wildcard host", "KIA0201", true,
        DR("wild-a", "{host: '*.example.com'}") "---\n" DR("wild-b", "{host: '*.example.com'}")},
    CodeCase{"two rules with disjoint subsets", "KIA0201", false,
             DR("again", "{host: reviews, subsets: [{name: v2, labels: {version: v1}}]}")},
    CodeCase{"rule host not in registry", "KIA0202", true, DR("ghost", "{host: ghost}")},
    CodeCase{"rule host is a workload app", "KIA0202", false,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: bookinfo, labels: "
             "{app: lonely}}\n"
             "spec: {containers: [{name: istio-proxy, image: p}]}\n---\n" DR("lonely",
                                                                             "{host: lonely}")},
    CodeCase{"subset labels match no workload", "KIA0203", true,
             DR("v2", "{host: reviews, subsets: [{name: v2, labels: {version: v2}}]}")},
    CodeCase{"subset labels match a workload", "KIA0203", false,
             DR("v1b", "{host: reviews, subsets: [{name: v1b, labels: {app: reviews}}]}")},
    CodeCase{"subset without labels", "KIA0209", true,
             DR("bare", "{host: reviews, subsets: [{name: all}]}")},
    CodeCase{"subset with labels", "KIA0209", false,
             DR("v1b", "{host: reviews, subsets: [{name: v1b, labels: {version: v1}}]}")},
    CodeCase{"rule without TLS under a mesh-wide mTLS rule", "KIA0204", true,
             MESH_MTLS_RULE "---\n" DR("lb",
                                       "{host: ratings, trafficPolicy: {loadBalancer: "
                                       "{simple: ROUND_ROBIN}}}")},
    CodeCase{"rule without TLS, mTLS enabled for another namespace", "KIA0204", false,
             OBJ("networking.istio.io/v1", "DestinationRule", "other-mtls", "other",
                 "{host: \"*.other.svc.cluster.local\", trafficPolicy: {tls: {mode: "
                 "ISTIO_MUTUAL}}}")},
    CodeCase{"mesh-wide mTLS rule, auto mTLS off, no mesh policy", "KIA0205", true,
             AUTO_MTLS_OFF "---\n" MESH_MTLS_RULE},
    CodeCase{"mesh-wide mTLS rule, auto mTLS off, PERMISSIVE mesh policy", "KIA0205", false,
             AUTO_MTLS_OFF "---\n" MESH_MTLS_RULE
                           "---\n" PA("default", "istio-system", "{mtls: {mode: PERMISSIVE}}")},
    CodeCase{"namespace-wide mTLS rule, auto mTLS off, no policy", "KIA0206", true,
             AUTO_MTLS_OFF "---\n" NAMESPACE_MTLS_RULE},
    CodeCase{"namespace-wide mTLS rule under auto mTLS", "KIA0206", false, NAMESPACE_MTLS_RULE},
    CodeCase{"namespace-wide DISABLE against STRICT namespace", "KIA0207", true,
             PA("default", "bookinfo", "{mtls: {mode: STRICT}}") "---\n" DR(
                 "ns",
                 "{host: \"*.bookinfo.svc.cluster.local\", trafficPolicy: {tls: {mode: "
                 "DISABLE}}}")},
    CodeCase{"namespace-wide DISABLE with PERMISSIVE namespace", "KIA0207", false,
             PA("default", "bookinfo", "{mtls: {mode: PERMISSIVE}}") "---\n" DR(
                 "ns",
                 "{host: \"*.bookinfo.svc.cluster.local\", trafficPolicy: {tls: {mode: "
                 "DISABLE}}}")},
    CodeCase{"mesh-wide DISABLE against STRICT mesh", "KIA0208", true,
             PA("default", "istio-system", "{mtls: {mode: STRICT}}") "---\n" OBJ(
                 "networking.istio.io/v1", "DestinationRule", "mesh", "istio-system",
                 "{host: \"*.local\", trafficPolicy: {tls: {mode: DISABLE}}}")},
    CodeCase{"mesh-wide DISABLE with PERMISSIVE mesh", "KIA0208", false,
             PA("default", "istio-system", "{mtls: {mode: PERMISSIVE}}") "---\n" OBJ(
                 "networking.istio.io/v1", "DestinationRule", "mesh", "istio-system",
                 "{host: \"*.local\", trafficPolicy: {tls: {mode: DISABLE}}}")},
    // PeerAuthentications and mTLS.
    CodeCase{"namespace DISABLE while mesh rule enables mTLS", "KIA0505", true,
             PA("default", "bookinfo", "{mtls: {mode: DISABLE}}") "---\n" OBJ(
                 "networking.istio.io/v1", "DestinationRule", "mesh", "istio-system",
                 "{host: \"*.local\", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}")},
    CodeCase{"namespace DISABLE with namespace rule disabling", "KIA0505", false,
             PA("default", "bookinfo", "{mtls: {mode: DISABLE}}") "---\n" OBJ(
                 "networking.istio.io/v1", "DestinationRule", "mesh", "istio-system",
                 "{host: \"*.local\", "
                 "trafficPolicy: {tls: {mode: "
                 "ISTIO_MUTUAL}}}") "---\n" DR("ns",
                                               "{hos"
                                               "t: "
                                               "\"*."
                                               "book"
                                               "info"
                                               ".svc"
                                               ".clu"
                                               "ster"
                                               ".loc"
                                               "al\""
                                               ", "
                                               "traf"
                                               "ficP"
                                               "olic"
                                               "y: "
                                               "{tls"
                                               ": "
                                               "{mod"
                                               "e: "
                                               "DISA"
                                               "BLE}"
                                               "}"
                                               "}")},
    CodeCase{"mesh DISABLE while mesh rule enables mTLS", "KIA0506", true,
             PA("default", "istio-system", "{mtls: {mode: DISABLE}}") "---\n" OBJ(
                 "networking.istio.io/v1", "DestinationRule", "mesh", "istio-system",
                 "{host: \"*.local\", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}")},
    CodeCase{"mesh DISABLE with mesh rule disabling", "KIA0506", false,
             PA("default", "istio-system", "{mtls: {mode: DISABLE}}") "---\n" OBJ(
                 "networking.istio.io/v1", "DestinationRule", "mesh", "istio-system",
                 "{host: \"*.local\", trafficPolicy: {tls: {mode: DISABLE}}}")},
    // Gateways.
    CodeCase{"overlapping gateway hosts", "KIA0301", true,
             GW("gw2",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: "
                "http, protocol: HTTP}, hosts: [a.example.com]}]}")},
    CodeCase{"gateway hosts on another port", "KIA0301", false,
             GW("gw2",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 8080, name: "
                "http, protocol: HTTP}, hosts: [a.example.com]}]}")},
    CodeCase{"gateway selector without workload", "KIA0302", true,
             GW("gw2",
                "{selector: {app: none}, servers: [{port: {number: 80, name: http, "
                "protocol: HTTP}, hosts: [a.example.org]}]}")},
    CodeCase{"gateway selector with workload", "KIA0302", false,
             GW("gw2",
                "{selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: "
                "http, protocol: HTTP}, hosts: [a.example.org]}]}")},
    // Selectors.
    CodeCase{"two selector-less peer authentications", "KIA0002", true,
             PA("a", "bookinfo", "{mtls: {mode: STRICT}}") "---\n" PA("b", "bookinfo",
                                                                      "{mtls: {mode: STRICT}}")},
    CodeCase{"selector-less peer authentications in two namespaces", "KIA0002", false,
             PA("a", "bookinfo", "{mtls: {mode: STRICT}}") "---\n" PA("b", "istio-system",
                                                                      "{mtls: {mode: STRICT}}")},
    CodeCase{
        "two peer authentications on one workload", "KIA0003", true,
        PA("a", "bookinfo",
           "{selector: {matchLabels: {app: reviews}}, mtls: {mode: STRICT}}") "---\n" PA("b",
                                                                                         "bookinfo",
                                                                                         "{selector"
                                                                                         ": "
                                                                                         "{matchLab"
                                                                                         "els: "
                                                                                         "{version:"
                                                                                         " v1}}, "
                                                                                         "mtls: "
                                                                                         "{mode: "
                                                                                         "STRICT}"
                                                                                         "}")},
    CodeCase{
        "two request authentications on one workload (Istio merges them)", "KIA0003", false,
        RA("a", "{selector: {matchLabels: {app: reviews}}, jwtRules: [{issuer: a}]}") "---\n" RA(
            "b", "{selector: {matchLabels: {version: v1}}, jwtRules: [{issuer: b}]}")},
    CodeCase{"one request authentication per workload", "KIA0003", false,
             RA("a", "{selector: {matchLabels: {app: reviews}}, jwtRules: [{issuer: a}]}")},
    CodeCase{"policy selector without workload", "KIA0004", true,
             PA("p", "bookinfo", "{selector: {matchLabels: {app: ghost}}, mtls: {mode: STRICT}}")},
    CodeCase{
        "policy selector with workload", "KIA0004", false,
        PA("p", "bookinfo", "{selector: {matchLabels: {app: reviews}}, mtls: {mode: STRICT}}")},
    CodeCase{"exportTo unknown namespace", "KIA0005", true,
             DR("x",
                "{host: reviews, exportTo: [ghost], subsets: [{name: v9, labels: {version: "
                "v1}}]}")},
    CodeCase{"exportTo known namespace", "KIA0005", false,
             DR("x",
                "{host: reviews, exportTo: [istio-system], subsets: [{name: v9, labels: "
                "{version: v1}}]}")},
    CodeCase{"sidecar egress host unknown", "KIA1004", true,
             SIDECAR("s", "bookinfo",
                     "{egress: [{hosts: [\"bookinfo/ghost.bookinfo.svc.cluster.local\"]}]}")},
    CodeCase{"sidecar egress host known", "KIA1004", false,
             SIDECAR("s", "bookinfo",
                     "{egress: [{hosts: [\"bookinfo/reviews.bookinfo.svc.cluster.local\"]}]}")},
    CodeCase{"root sidecar with selector", "KIA1006", true,
             SIDECAR("s", "istio-system",
                     "{workloadSelector: {labels: {istio: ingressgateway}}, egress: "
                     "[{hosts: [\"./*\"]}]}")},
    CodeCase{"root sidecar without selector", "KIA1006", false,
             SIDECAR("s", "istio-system", "{egress: [{hosts: [\"./*\"]}]}")},
    // Authorization policies.
    CodeCase{"source namespace unknown", "KIA0101", true,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: "
                "{namespaces: [ghost]}}]}]}")},
    CodeCase{"source namespace known", "KIA0101", false,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: "
                "{namespaces: [istio-system]}}]}]}")},
    CodeCase{"bad method", "KIA0102", true,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{to: [{operation: "
                "{methods: [FETCH]}}]}]}")},
    CodeCase{"method prefix", "KIA0102", false,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{to: [{operation: "
                "{methods: [\"GE*\", POST]}}]}]}")},
    CodeCase{"operation host unknown", "KIA0104", true,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{to: [{operation: "
                "{hosts: [ghost]}}]}]}")},
    CodeCase{"operation host is a service", "KIA0104", false,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{to: [{operation: "
                "{hosts: [reviews.bookinfo.svc.cluster.local]}}]}]}")},
    CodeCase{"principals with mTLS disabled", "KIA0105", true,
             PA("default", "bookinfo", "{mtls: {mode: DISABLE}}") "---\n" AP(
                 "ap",
                 "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: "
                 "{principals: [\"cluster.local/ns/x/sa/y\"]}}]}]}")},
    CodeCase{"principals with mTLS strict but the workload's disabled", "KIA0105", true,
             NAMESPACE_MTLS_STRICT "---\n" WORKLOAD_MTLS_DISABLED "---\n" POLICY_WITH(
                 "{principals: [\"cluster.local/ns/x/sa/y\"]}")},
    CodeCase{"namespaces with the namespace's mTLS disabled by a DestinationRule", "KIA0105", true,
             NAMESPACE_TLS_DISABLED "---\n" POLICY_WITH("{namespaces: [bookinfo]}")},
    CodeCase{"principals with mTLS strict", "KIA0105", false,
             PA("default", "bookinfo", "{mtls: {mode: STRICT}}") "---\n" AP(
                 "ap",
                 "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: "
                 "{principals: [\"cluster.local/ns/x/sa/y\"]}}]}]}")},
    // ServiceEntries.
    CodeCase{
        "workload entry address missing", "KIA1201", true,
        SE("se",
           "{hosts: [vm.example.com], location: MESH_INTERNAL, addresses: [10.0.0.1], "
           "ports: [{number: 80, name: http, protocol: HTTP}], "
           "workloadSelector: {labels: {app: vm}}}") "---\n" OBJ("networking.istio.io/v1",
                                                                 "WorkloadEntry", "vm", "bookinfo",
                                                                 "{address: 10.0.0.2, "
                                                                 "labels: {app: vm}}")},
    CodeCase{
        "workload entry address listed", "KIA1201", false,
        SE("se",
           "{hosts: [vm.example.com], location: MESH_INTERNAL, addresses: [10.0.0.2], "
           "ports: [{number: 80, name: http, protocol: HTTP}], "
           "workloadSelector: {labels: {app: vm}}}") "---\n" OBJ("networking.istio.io/v1",
                                                                 "WorkloadEntry", "vm", "bookinfo",
                                                                 "{address: 10.0.0.2, "
                                                                 "labels: {app: vm}}")},
    CodeCase{"duplicate host and port", "KIA1211", true,
             SE("a",
                "{hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], "
                "resolution: DNS}") "---\n" SE("b",
                                               "{hosts: [x.example.com], ports: [{number: 80, "
                                               "name: http, protocol: HTTP}], resolution: "
                                               "DNS}")},
    CodeCase{"same host other port", "KIA1211", false,
             SE("a",
                "{hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], "
                "resolution: DNS}") "---\n" SE("b",
                                               "{hosts: [x.example.com], ports: [{number: 81, "
                                               "name: http, protocol: HTTP}], resolution: "
                                               "DNS}")},
    CodeCase{"duplicate host and port, other protocol", "KIA1212", true,
             SE("a",
                "{hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], "
                "resolution: DNS}") "---\n" SE("b",
                                               "{hosts: [x.example.com], ports: [{number: 80, "
                                               "name: grpc, protocol: GRPC}], resolution: "
                                               "DNS}")},
    CodeCase{"other host, other protocol", "KIA1212", false,
             SE("a",
                "{hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], "
                "resolution: DNS}") "---\n" SE("b",
                                               "{hosts: [y.example.com], ports: [{number: 80, "
                                               "name: grpc, protocol: GRPC}], resolution: "
                                               "DNS}")},
};

}  // namespace

std::span<const CodeCase> kiali_cases() { return kKialiCases; }

TEST(ValidateKialiChecks, FireAndStayQuiet) { run_cases(kKialiCases); }

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef OBJ
#undef VS
#undef DR
#undef GW
#undef SE
#undef SIDECAR
#undef AP
#undef PA
#undef RA
