// Istio analyzers on Kubernetes objects, Sidecars, Telemetry, EnvoyFilters and security policies.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define OBJ(api, kind, name, ns, rest) \
  "apiVersion: " api "\nkind: " kind "\nmetadata: {name: " name ", namespace: " ns "}\n" rest "\n"
#define POD(name, spec) OBJ("v1", "Pod", name, "bookinfo", "spec: " spec)
#define SIDECAR(name, spec) \
  OBJ("networking.istio.io/v1", "Sidecar", name, "bookinfo", "spec: " spec)
#define TELEMETRY(name, spec) \
  OBJ("telemetry.istio.io/v1", "Telemetry", name, "bookinfo", "spec: " spec)
#define EF(spec) OBJ("networking.istio.io/v1alpha3", "EnvoyFilter", "ef", "bookinfo", "spec: " spec)
#define AP(name, spec) \
  OBJ("security.istio.io/v1", "AuthorizationPolicy", name, "bookinfo", "spec: " spec)
#define PA(name, ns, spec) \
  OBJ("security.istio.io/v1", "PeerAuthentication", name, ns, "spec: " spec)
#define DR(name, spec) \
  OBJ("networking.istio.io/v1", "DestinationRule", name, "bookinfo", "spec: " spec)

const std::array kWorkloadCases = {
    // IST0102 / IST0123: namespaces.
    CodeCase{"namespace without injection label", "IST0102", true,
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: plain}\n"},
    CodeCase{"namespace with injection disabled", "IST0102", false,
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: plain, labels: "
             "{istio-injection: disabled}}\n"},
    CodeCase{"namespace with two injection labels", "IST0123", true,
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: both, labels: "
             "{istio-injection: enabled, istio.io/rev: canary}}\n"},
    CodeCase{"namespace with a revision label only", "IST0123", false,
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: rev, labels: {istio.io/rev: "
             "canary}}\n"},
    // IST0103 / IST0144 / IST0147: pods.
    CodeCase{"pod without proxy in injected namespace", "IST0103", true,
             POD("p", "{containers: [{name: app, image: a}]}")},
    CodeCase{"pod opted out of injection", "IST0103", false,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: bookinfo, labels: "
             "{sidecar.istio.io/inject: \"false\"}}\n"
             "spec: {containers: [{name: app, image: a}]}\n"},
    CodeCase{"application runs as 1337", "IST0144", true,
             POD("p",
                 "{containers: [{name: app, image: a, securityContext: {runAsUser: 1337}}, "
                 "{name: istio-proxy, image: p}]}")},
    CodeCase{"proxy runs as 1337", "IST0144", false,
             POD("p",
                 "{containers: [{name: app, image: a}, {name: istio-proxy, image: p, "
                 "securityContext: {runAsUser: 1337}}]}")},
    CodeCase{"proxy image auto", "IST0147", true,
             POD("p", "{containers: [{name: app, image: a}, {name: istio-proxy, image: auto}]}")},
    CodeCase{
        "proxy image set", "IST0147", false,
        POD("p", "{containers: [{name: app, image: a}, {name: istio-proxy, image: proxyv2:1}]}")},
    // IST0118 / IST0150: service ports.
    CodeCase{"port name without protocol", "IST0118", true,
             OBJ("v1", "Service", "s", "bookinfo", "spec: {ports: [{name: web, port: 8080}]}")},
    CodeCase{
        "port named after its protocol", "IST0118", false,
        OBJ("v1", "Service", "s", "bookinfo", "spec: {ports: [{name: http-web, port: 8080}]}")},
    CodeCase{"ExternalName port named tcp", "IST0150", true,
             OBJ("v1", "Service", "s", "bookinfo",
                 "spec: {type: ExternalName, externalName: a.example.com, ports: [{name: tcp, "
                 "port: 80}]}")},
    CodeCase{"ExternalName port named http", "IST0150", false,
             OBJ("v1", "Service", "s", "bookinfo",
                 "spec: {type: ExternalName, externalName: a.example.com, ports: [{name: http, "
                 "port: 80}]}")},
    // IST0116 / IST0137: deployments shared by services.
    CodeCase{"same port different protocols", "IST0116", true,
             OBJ("v1", "Service", "s2", "bookinfo",
                 "spec: {selector: {app: reviews}, ports: [{name: http, port: 9080, protocol: "
                 "UDP}]}")},
    CodeCase{"same port same protocol", "IST0116", false,
             OBJ("v1", "Service", "s2", "bookinfo",
                 "spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}")},
    CodeCase{"same target port from different ports", "IST0137", true,
             OBJ("v1", "Service", "s2", "bookinfo",
                 "spec: {selector: {app: reviews}, ports: [{name: http, port: 80, targetPort: "
                 "9080}]}")},
    CodeCase{"different target ports", "IST0137", false,
             OBJ("v1", "Service", "s2", "bookinfo",
                 "spec: {selector: {app: reviews}, ports: [{name: http, port: 80, targetPort: "
                 "9090}]}")},
    // IST0110 / IST0111: sidecars.
    CodeCase{"two sidecars select one workload", "IST0110", true,
             SIDECAR("a",
                     "{workloadSelector: {labels: {app: reviews}}, egress: [{hosts: "
                     "[\"./*\"]}]}") "---\n" SIDECAR("b",
                                                     "{workloadSelector: {labels: {version: "
                                                     "v1}}, egress: [{hosts: [\"./*\"]}]}")},
    CodeCase{"sidecars select different workloads", "IST0110", false,
             SIDECAR("a",
                     "{workloadSelector: {labels: {app: reviews}}, egress: [{hosts: "
                     "[\"./*\"]}]}") "---\n" SIDECAR("b",
                                                     "{workloadSelector: {labels: {version: "
                                                     "v9}}, egress: [{hosts: [\"./*\"]}]}")},
    CodeCase{"two selector-less sidecars", "IST0111", true,
             SIDECAR("a", "{egress: [{hosts: [\"./*\"]}]}") "---\n" SIDECAR(
                 "b", "{egress: [{hosts: [\"./*\"]}]}")},
    CodeCase{"one selector-less sidecar", "IST0111", false,
             SIDECAR("a", "{egress: [{hosts: [\"./*\"]}]}")},
    // IST0157 / IST0159 / IST0160: telemetry.
    CodeCase{"access logging without provider", "IST0157", true,
             TELEMETRY("t", "{accessLogging: [{}]}")},
    CodeCase{"access logging disabled", "IST0157", false,
             TELEMETRY("t", "{accessLogging: [{disabled: true}]}")},
    CodeCase{
        "two telemetries select one workload", "IST0159", true,
        TELEMETRY("a",
                  "{selector: {matchLabels: {app: reviews}}, tracing: [{randomSamplingPercentage: "
                  "1}]}") "---\n" TELEMETRY("b",
                                            "{selector: {matchLabels: {version: v1}}, tracing: "
                                            "[{randomSamplingPercentage: 1}]}")},
    CodeCase{"one telemetry per workload", "IST0159", false,
             TELEMETRY("a",
                       "{selector: {matchLabels: {app: reviews}}, tracing: "
                       "[{randomSamplingPercentage: 1}]}")},
    CodeCase{"two selector-less telemetries", "IST0160", true,
             TELEMETRY("a", "{tracing: [{randomSamplingPercentage: 1}]}") "---\n" TELEMETRY(
                 "b", "{tracing: [{randomSamplingPercentage: 2}]}")},
    CodeCase{"one selector-less telemetry", "IST0160", false,
             TELEMETRY("a", "{tracing: [{randomSamplingPercentage: 1}]}")},
    // IST0151..IST0155: envoy filters.
    CodeCase{"relative operation without priority", "IST0151", true,
             EF("{configPatches: [{applyTo: HTTP_FILTER, patch: {operation: INSERT_BEFORE, "
                "value: {name: f}}}]}")},
    CodeCase{"relative operation with priority", "IST0151", false,
             EF("{priority: 10, configPatches: [{applyTo: HTTP_FILTER, patch: {operation: "
                "INSERT_BEFORE, value: {name: f}}}]}")},
    CodeCase{"REPLACE on a cluster", "IST0152", true,
             EF("{priority: 1, configPatches: [{applyTo: CLUSTER, patch: {operation: REPLACE, "
                "value: {}}}]}")},
    CodeCase{"REPLACE on an HTTP filter", "IST0152", false,
             EF("{priority: 1, configPatches: [{applyTo: HTTP_FILTER, patch: {operation: "
                "REPLACE, value: {}}}]}")},
    CodeCase{"ADD on a route", "IST0153", true,
             EF("{configPatches: [{applyTo: HTTP_ROUTE, patch: {operation: ADD, value: {}}}]}")},
    CodeCase{"MERGE on a route", "IST0153", false,
             EF("{configPatches: [{applyTo: HTTP_ROUTE, patch: {operation: MERGE, value: {}}}]}")},
    CodeCase{"REMOVE on a route configuration", "IST0154", true,
             EF("{configPatches: [{applyTo: ROUTE_CONFIGURATION, patch: {operation: REMOVE}}]}")},
    CodeCase{"REMOVE on a listener", "IST0154", false,
             EF("{priority: 1, configPatches: [{applyTo: LISTENER, patch: {operation: REMOVE}}]}")},
    CodeCase{"relative operation after a versioned patch", "IST0155", true,
             EF("{configPatches: [{applyTo: HTTP_FILTER, match: {proxy: {proxyVersion: "
                "'^1\\.2.*'}, listener: {filterChain: {filter: {name: hcm}}}}, "
                "patch: {operation: MERGE, value: {}}}, {applyTo: HTTP_FILTER, match: "
                "{listener: {filterChain: {filter: {name: hcm}}}}, "
                "patch: {operation: INSERT_AFTER, value: {}}}]}")},
    CodeCase{"relative operation on another filter", "IST0155", false,
             EF("{configPatches: [{applyTo: HTTP_FILTER, match: {proxy: {proxyVersion: "
                "'^1\\.2.*'}, listener: {filterChain: {filter: {name: hcm}}}}, "
                "patch: {operation: MERGE, value: {}}}, {applyTo: HTTP_FILTER, match: "
                "{listener: {filterChain: {filter: {name: other}}}}, "
                "patch: {operation: INSERT_AFTER, value: {}}}]}")},
    // IST0101 (namespaces) / IST0127 / IST0113: security.
    CodeCase{"authorization from a missing namespace", "IST0101", true,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: "
                "{namespaces: [ghost]}}]}]}")},
    CodeCase{"authorization from a namespace pattern", "IST0101", false,
             AP("ap",
                "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: "
                "{namespaces: [\"book*\"]}}]}]}")},
    CodeCase{"authorization selects no workload", "IST0127", true,
             AP("ap", "{selector: {matchLabels: {app: ghost}}, rules: [{}]}")},
    CodeCase{"authorization selects a workload", "IST0127", false,
             AP("ap", "{selector: {matchLabels: {app: reviews}}, rules: [{}]}")},
    CodeCase{"DISABLE rule against STRICT policy", "IST0113", true,
             PA("default", "bookinfo", "{mtls: {mode: STRICT}}") "---\n" DR(
                 "plain", "{host: reviews, trafficPolicy: {tls: {mode: DISABLE}}}")},
    CodeCase{"ISTIO_MUTUAL rule with STRICT policy", "IST0113", false,
             PA("default", "bookinfo", "{mtls: {mode: STRICT}}") "---\n" DR(
                 "plain", "{host: reviews, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}")},
    // IST0149 / IST0166 / IST0167: gateways, Gateway API and ambient.
    CodeCase{"JWT claim routing without RequestAuthentication", "IST0149", true,
             OBJ("networking.istio.io/v1", "VirtualService", "vs", "bookinfo",
                 "spec: {hosts: [a.example.com], gateways: [gw], http: [{match: [{headers: "
                 "{\"@request.auth.claims.group\": "
                 "{exact: admin}}}], route: [{destination: {host: reviews}}]}]}")},
    CodeCase{"JWT claim routing with RequestAuthentication", "IST0149", false,
             OBJ("security.istio.io/v1", "RequestAuthentication", "jwt", "istio-system",
                 "spec: {selector: {matchLabels: {istio: ingressgateway}}, jwtRules: [{issuer: "
                 "a}]}") "---\n" OBJ("networking.istio.io/v1", "VirtualService", "vs", "bookinfo",
                                     "spec: {hosts: [a.example.com], gateways: [gw], http: "
                                     "[{match: [{headers: {\"@request.auth.claims.group\": "
                                     "{exact: admin}}}], route: [{destination: {host: "
                                     "reviews}}]}]}")},
    CodeCase{
        "selector on a Gateway API gateway's pods", "IST0166", true,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: edge, namespace: bookinfo, labels: {app: "
        "edge, "
        "gateway.networking.k8s.io/gateway-name: edge}}\nspec: {containers: [{name: istio-proxy, "
        "image: p}]}\n---\n" AP("ap", "{selector: {matchLabels: {app: edge}}, rules: [{}]}")},
    CodeCase{"selector on ordinary pods", "IST0166", false,
             AP("ap", "{selector: {matchLabels: {app: reviews}}, rules: [{}]}")},
    CodeCase{
        "sidecar in an ambient namespace", "IST0167", true,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: amb, labels: {istio.io/dataplane-mode: "
        "ambient}}\n---\n" OBJ("networking.istio.io/v1", "Sidecar", "s", "amb",
                               "spec: {egress: [{hosts: [\"./*\"]}]}")},
    CodeCase{"sidecar in a sidecar namespace", "IST0167", false,
             OBJ("networking.istio.io/v1", "Sidecar", "s", "bookinfo",
                 "spec: {egress: [{hosts: [\"./*\"]}]}")},
    // IST0002: deprecations.
    CodeCase{"fault delay percent", "IST0002", true,
             OBJ("networking.istio.io/v1", "VirtualService", "vs", "bookinfo",
                 "spec: {hosts: [reviews], http: [{fault: {delay: {percent: 10, fixedDelay: "
                 "1s}}, route: [{destination: {host: reviews}}]}]}")},
    CodeCase{"fault delay percentage", "IST0002", false,
             OBJ("networking.istio.io/v1", "VirtualService", "vs", "bookinfo",
                 "spec: {hosts: [reviews], http: [{fault: {delay: {percentage: {value: 10}, "
                 "fixedDelay: 1s}}, route: [{destination: {host: reviews}}]}]}")},
};

}  // namespace

std::span<const CodeCase> workload_cases() { return kWorkloadCases; }

TEST(ValidateWorkloadChecks, FireAndStayQuiet) { run_cases(kWorkloadCases); }

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef OBJ
#undef POD
#undef SIDECAR
#undef TELEMETRY
#undef EF
#undef AP
#undef PA
#undef DR
