// Analyzers of cluster state (webhooks, istiod's ConfigMaps and Deployment, CRDs, status
// conditions, gateway credentials), fed from files as they would be from a cluster.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define OBJ(api, kind, name, ns, rest) \
  "apiVersion: " api "\nkind: " kind "\nmetadata: {name: " name ", namespace: " ns "}\n" rest "\n"
#define DOCS2(a, b) a "---\n" b
#define DOCS3(a, b, c) a "---\n" b "---\n" c
#define MWC(name, webhooks)                                                                     \
  "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: " \
  "{name: " name "}\nwebhooks: " webhooks "\n"
#define VWC(name, webhooks)                                                                       \
  "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: " \
  "{name: " name "}\nwebhooks: " webhooks "\n"
#define INJECTION_WEBHOOK(name, namespace_selector)                       \
  MWC(name, "[{name: " name                                               \
            ".sidecar-injector.istio.io, clientConfig: {service: {name: " \
            "istiod, namespace: istio-system}}, namespaceSelector: " namespace_selector "}]")
#define URL_INJECTION_WEBHOOK                                                 \
  MWC("a",                                                                    \
      "[{name: a.sidecar-injector.istio.io, clientConfig: {url: "             \
      "https://istiod.example.com/inject}, namespaceSelector: {matchLabels: " \
      "{istio-injection: enabled}}}]")
#define AUTO_IMAGE_DEPLOYMENT(ns)                                                                \
  OBJ("apps/v1", "Deployment", "d", ns,                                                          \
      "spec: {template: {metadata: {labels: {app: d}}, spec: {containers: [{name: istio-proxy, " \
      "image: auto}]}}}")
#define ISTIOD_SERVICE                           \
  OBJ("v1", "Service", "istiod", "istio-system", \
      "spec: {ports: [{name: https-webhook, port: 443}]}")
#define INJECTOR(name, values) \
  OBJ("v1", "ConfigMap", name, "istio-system", "data: {values: '" values "'}")
#define INJECTOR_BY_DEFAULT(flag)    \
  INJECTOR("istio-sidecar-injector", \
           "{\"sidecarInjectorWebhook\": {\"enableNamespacesByDefault\": " flag "}}")
#define INJECTOR_1_21(extra)                                       \
  INJECTOR("istio-sidecar-injector",                               \
           "{\"global\": {\"hub\": \"docker.io/istio\", \"tag\": " \
           "\"1.21.0\", " extra "\"proxy\": {\"image\": \"proxyv2\"}}}")
#define PLAIN_NAMESPACE "apiVersion: v1\nkind: Namespace\nmetadata: {name: plain}\n"
#define MESH_CONFIG(data) OBJ("v1", "ConfigMap", "istio", "istio-system", "data: " data)
#define GATEWAY_API_CRD(plural, kind, versions, annotations)                                      \
  "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: " plural \
  ".gateway.networking.k8s.io, annotations: {" annotations                                        \
  "}}\nspec: {group: "                                                                            \
  "gateway.networking.k8s.io, names: {kind: " kind "}, versions: " versions "}\n"
#define PROXY_POD(name, image)       \
  OBJ("v1", "Pod", name, "bookinfo", \
      "spec: {containers: [{name: app, image: a}, {name: istio-proxy, image: " image "}]}")
#define TLS_GATEWAY(credential)                                                             \
  OBJ("networking.istio.io/v1", "Gateway", "tls", "bookinfo",                               \
      "spec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 443, name: " \
      "https, protocol: HTTPS}, hosts: [\"*.example.com\"], tls: {mode: SIMPLE, "           \
      "credentialName: " credential "}}]")
#define TLS_SECRET(name, cert)              \
  OBJ("v1", "Secret", name, "istio-system", \
      "type: kubernetes.io/tls\ndata: {tls.crt: " cert ", tls.key: a2V5Cg==}")
#define ISTIOD(env)                                                                           \
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istiod, namespace: istio-system, " \
  "labels: {app: istiod}}\nspec:\n  template:\n    metadata: {labels: {app: istiod}}\n    "   \
  "spec: {containers: [{name: discovery, image: pilot:1, env: " env "}]}\n"
#define REQUEST_AUTHENTICATION                                            \
  OBJ("security.istio.io/v1", "RequestAuthentication", "jwt", "bookinfo", \
      "spec: {jwtRules: [{issuer: https://example.com}]}")
#define WAYPOINT_SERVICE(bound)                                                \
  OBJ("v1", "Service", "s", "bookinfo",                                        \
      "spec: {ports: [{name: http, port: 80}]}\nstatus: {conditions: [{type: " \
      "istio.io/WaypointBound, status: \"" bound "\", reason: NoWaypoint, message: m}]}")
#define ZONE_NODE \
  "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {topology.kubernetes.io/zone: z1}}\n"
#define ZONE_SUBSET(zone)                                               \
  OBJ("networking.istio.io/v1", "DestinationRule", "zones", "bookinfo", \
      "spec: {host: reviews, subsets: [{name: " zone                    \
      ", labels: {topology.kubernetes.io/zone: " zone "}}]}")

// A self-signed certificate valid until 2126, and one that expired in 2021 (base64 PEM).
#define VALID_CERT                                                                   \
  "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJpVENDQVMrZ0F3SUJBZ0lVUnFGSE03eThiek84" \
  "clJ4LzBtbWV1TWFmMXpJd0NnWUlLb1pJemowRUF3SXcKR1RFWE1CVUdBMVVFQXd3T1ozY3VaWGhoYlhC" \
  "c1pTNWpiMjB3SUJjTk1qWXhNVEk1TURneU56UTBXaGdQTWpFeQpOakV4TURVd09ESTNORFJhTUJreEZ6" \
  "QVZCZ05WQkFNTURtZDNMbVY0WVcxd2JHVXVZMjl0TUZrd0V3WUhLb1pJCnpqMENBUVlJS29aSXpqMERB" \
  "UWNEUWdBRW1ob3UzMlZzMHZMR0ZKOG05eVhRdTVMYkpmU29zY0tlTkdITWVrdWoKbEpHRUFYVkRoTHVO" \
  "LzU3YnRFUWl4S0VCU1gvNmZEUElJQWJPRENxa0hSaWluNk5UTUZFd0hRWURWUjBPQkJZRQpGSXBtcWRv" \
  "R2cxNktpU0xMd3Q2cHk4d3Q4TWJTTUI4R0ExVWRJd1FZTUJhQUZJcG1xZG9HZzE2S2lTTEx3dDZwCnk4" \
  "d3Q4TWJTTUE4R0ExVWRFd0VCL3dRRk1BTUJBZjh3Q2dZSUtvWkl6ajBFQXdJRFNBQXdSUUloQUxwblkr" \
  "TWYKcHBGZW03V2ZOeVN4TTY2dHBpZXBJbE40dVFVYUphbTFLYW5NQWlBZFJMWWRUUFVFSFppZ1dUWGtV" \
  "ck9MZTFWTQp3NzA3ZzNKR21rVWljQmx4OHc9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="
#define EXPIRED_CERT                                                                 \
  "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJHakNCd0FJQkFUQUtCZ2dxaGtqT1BRUURBakFa" \
  "TVJjd0ZRWURWUVFEREE1bmR5NWxlR0Z0Y0d4bExtTnYKYlRBZUZ3MHlNREF4TURFd01EQXdNREJhRncw" \
  "eU1UQXhNREV3TURBd01EQmFNQmt4RnpBVkJnTlZCQU1NRG1kMwpMbVY0WVcxd2JHVXVZMjl0TUZrd0V3" \
  "WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFbWhvdTMyVnMwdkxHCkZKOG05eVhRdTVMYkpmU29z" \
  "Y0tlTkdITWVrdWpsSkdFQVhWRGhMdU4vNTdidEVRaXhLRUJTWC82ZkRQSUlBYk8KRENxa0hSaWluekFL" \
  "QmdncWhrak9QUVFEQWdOSkFEQkdBaUVBOWdiSVlBQk5mbEdhUUxhcmc4SXJ1b2xiUVlpeQpyTXR0Rjdr" \
  "WXBTbWM0dGNDSVFEcHZLSXJBY0R3d1NWd2dkeDZXZDh2Y3JhbkQ2MUtVOGMxRDQyeWtERWtkdz09Ci0t" \
  "LS0tRU5EIENFUlRJRklDQVRFLS0tLS0K"

const std::array kClusterCases = {
    // IST0139: injection webhooks.
    CodeCase{
        "two injection webhooks select the same namespaces", "IST0139", true,
        DOCS3(ISTIOD_SERVICE, INJECTION_WEBHOOK("a", "{matchLabels: {istio-injection: enabled}}"),
              INJECTION_WEBHOOK("b", "{matchLabels: {istio-injection: enabled}}"))},
    CodeCase{"injection webhooks for different revisions", "IST0139", false,
             DOCS3(ISTIOD_SERVICE, INJECTION_WEBHOOK("a", "{matchLabels: {istio.io/rev: canary}}"),
                   INJECTION_WEBHOOK("b",
                                     "{matchExpressions: [{key: istio.io/rev, operator: "
                                     "DoesNotExist}, {key: istio-injection, operator: In, values: "
                                     "[enabled]}]}"))},
    CodeCase{"injection webhook naming a missing service", "IST0139", true,
             MWC("a",
                 "[{name: a.sidecar-injector.istio.io, clientConfig: {service: {name: gone, "
                 "namespace: istio-system}}}]")},
    // IST0146: Deployments relying on injection.
    CodeCase{"image auto where no webhook injects", "IST0146", true,
             DOCS2(URL_INJECTION_WEBHOOK, AUTO_IMAGE_DEPLOYMENT("plain"))},
    CodeCase{"image auto in an injected namespace", "IST0146", false,
             DOCS2(URL_INJECTION_WEBHOOK, AUTO_IMAGE_DEPLOYMENT("bookinfo"))},
    // IST0163 / IST0164: webhooks of an external control plane.
    CodeCase{"external control plane webhook without URL or service", "IST0163", true,
             MWC("istio-sidecar-injector-external-istiod",
                 "[{name: object.sidecar-injector.istio.io, clientConfig: {caBundle: eA==}}]")},
    CodeCase{"external control plane webhook with a host name", "IST0163", false,
             MWC("istio-sidecar-injector-external-istiod",
                 "[{name: object.sidecar-injector.istio.io, clientConfig: {url: "
                 "\"https://istiod.example.com:15017/inject\"}}]")},
    CodeCase{"external control plane webhook with an IP address", "IST0164", true,
             VWC("istio-validator-external-istiod",
                 "[{name: rev.validation.istio.io, clientConfig: {url: "
                 "\"https://10.0.0.1:15017/validate\"}}]")},
    CodeCase{"external control plane validator with a host name", "IST0164", false,
             VWC("istio-validator-external-istiod",
                 "[{name: rev.validation.istio.io, clientConfig: {url: "
                 "\"https://istiod.example.com:15017/validate\"}}]")},
    // IST0148 (and IST0102): injection of unlabelled namespaces.
    CodeCase{"unlabelled namespace injected by default", "IST0148", true,
             DOCS2(INJECTOR_BY_DEFAULT("true"), PLAIN_NAMESPACE)},
    CodeCase{"unlabelled namespace not injected by default", "IST0148", false,
             DOCS2(INJECTOR_BY_DEFAULT("false"), PLAIN_NAMESPACE)},
    CodeCase{"no IST0102 where namespaces are injected by default", "IST0102", false,
             DOCS2(INJECTOR_BY_DEFAULT("true"), PLAIN_NAMESPACE)},
    // IST0158: running proxies against the injector's image.
    CodeCase{"proxy older than the injector's", "IST0158", true,
             DOCS2(INJECTOR_1_21(""), PROXY_POD("p", "docker.io/istio/proxyv2:1.20.0"))},
    CodeCase{"distroless proxy of the injector's version", "IST0158", false,
             DOCS3(INJECTOR_1_21(""),
                   MESH_CONFIG("{mesh: '{defaultConfig: {image: {imageType: distroless}}}'}"),
                   PROXY_POD("p", "docker.io/istio/proxyv2:1.21.0-distroless"))},
    CodeCase{"distroless proxy chosen by the injector's variant", "IST0158", false,
             DOCS2(INJECTOR_1_21("\"variant\": \"distroless\", "),
                   PROXY_POD("p", "docker.io/istio/proxyv2:1.21.0-distroless"))},
    // IST0126: mesh networks.
    CodeCase{"mesh network from an unknown registry", "IST0126", true,
             MESH_CONFIG("{meshNetworks: '{networks: {n1: {endpoints: [{fromRegistry: "
                         "elsewhere}]}}}'}")},
    CodeCase{"mesh network from a remote cluster's secret", "IST0126", false,
             DOCS2(MESH_CONFIG("{meshNetworks: '{networks: {n1: {endpoints: [{fromRegistry: "
                               "remote}]}}}'}"),
                   "apiVersion: v1\nkind: Secret\nmetadata: {name: istio-remote-secret-remote, "
                   "namespace: istio-system, labels: {istio/multiCluster: \"true\"}}\n"
                   "data: {remote: e30K}\n")},
    // IST0175: istiod fetching JWKS from any address.
    CodeCase{"JWKS fetches unrestricted", "IST0175", true,
             DOCS2(REQUEST_AUTHENTICATION, ISTIOD("[{name: PILOT_TRACE_SAMPLING, value: \"1\"}]"))},
    CodeCase{"JWKS fetches restricted", "IST0175", false,
             DOCS2(REQUEST_AUTHENTICATION,
                   ISTIOD("[{name: BLOCKED_CIDRS_IN_JWKS_URIS, value: \"10.0.0.0/8\"}]"))},
    // IST0156 / IST0172 / IST0176: Gateway API CRDs.
    CodeCase{"Gateway CRD without v1beta1", "IST0156", true,
             GATEWAY_API_CRD("gateways", "Gateway", "[{name: v1alpha2, served: true}]", "")},
    CodeCase{"Gateway CRD with v1 and v1beta1", "IST0156", false,
             GATEWAY_API_CRD("gateways", "Gateway",
                             "[{name: v1, served: true}, {name: v1beta1, served: true}]", "")},
    CodeCase{"GRPCRoute CRD without v1", "IST0172", true,
             GATEWAY_API_CRD("grpcroutes", "GRPCRoute",
                             "[{name: v1alpha2, served: true}, {name: v1, served: false}]", "")},
    CodeCase{"GRPCRoute CRD serving v1", "IST0172", false,
             GATEWAY_API_CRD("grpcroutes", "GRPCRoute", "[{name: v1, served: true}]", "")},
    CodeCase{"TLSRoute CRD of an old bundle", "IST0176", true,
             GATEWAY_API_CRD("tlsroutes", "TLSRoute", "[{name: v1alpha2, served: true}]",
                             "gateway.networking.k8s.io/bundle-version: v1.4.1")},
    CodeCase{"TLSRoute CRD of a recent bundle", "IST0176", false,
             GATEWAY_API_CRD("tlsroutes", "TLSRoute", "[{name: v1, served: true}]",
                             "gateway.networking.k8s.io/bundle-version: v1.5.0-rc.1")},
    // IST0171: negative status conditions.
    CodeCase{"service not bound to its waypoint", "IST0171", true, WAYPOINT_SERVICE("False")},
    CodeCase{"service bound to its waypoint", "IST0171", false, WAYPOINT_SERVICE("True")},
    // IST0161: gateway credentials.
    CodeCase{"gateway credential expired", "IST0161", true,
             DOCS2(TLS_GATEWAY("expired"), TLS_SECRET("expired", EXPIRED_CERT))},
    CodeCase{"gateway credential valid", "IST0161", false,
             DOCS2(TLS_GATEWAY("valid"), TLS_SECRET("valid", VALID_CERT))},
    CodeCase{"gateway credential without tls.crt", "IST0161", true,
             DOCS2(TLS_GATEWAY("partial"), OBJ("v1", "Secret", "partial", "istio-system",
                                               "data: {tls.cert: eA==, tls.key: eA==}"))},
    // Upstream's membership rules for earlier codes.
    CodeCase{"Sidecar in an ambient namespace that injects sidecars", "IST0167", false,
             DOCS2("apiVersion: v1\nkind: Namespace\nmetadata: {name: mixed, labels: "
                   "{istio.io/dataplane-mode: ambient, istio-injection: enabled}}\n",
                   OBJ("networking.istio.io/v1", "Sidecar", "s", "mixed",
                       "spec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}"))},
    CodeCase{"Deployment out of the mesh shared by services", "IST0116", false,
             DOCS3(OBJ("apps/v1", "Deployment", "plain", "bookinfo",
                       "spec: {template: {metadata: {labels: {app: plain}, annotations: "
                       "{sidecar.istio.io/inject: \"false\"}}, spec: {containers: [{name: a, "
                       "image: a}]}}}"),
                   OBJ("v1", "Service", "p1", "bookinfo",
                       "spec: {selector: {app: plain}, ports: [{name: http, port: 80}]}"),
                   OBJ("v1", "Service", "p2", "bookinfo",
                       "spec: {selector: {app: plain}, ports: [{name: udp, port: 80, protocol: "
                       "UDP}]}"))},
    CodeCase{"subset selecting the zone of the pods' node", "IST0173", false,
             DOCS3(ZONE_NODE,
                   "apiVersion: v1\nkind: Pod\nmetadata: {name: r, namespace: bookinfo, labels: "
                   "{app: reviews}}\nspec: {nodeName: n1, containers: [{name: istio-proxy, "
                   "image: p}]}\n",
                   ZONE_SUBSET("z1"))},
    CodeCase{"subset selecting a zone without pods", "IST0173", true,
             DOCS2(ZONE_NODE, ZONE_SUBSET("z2"))},
};

}  // namespace

std::span<const CodeCase> cluster_cases() { return kClusterCases; }

TEST(ValidateClusterChecks, FireAndStayQuiet) { run_cases(cluster_cases()); }

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef OBJ
#undef DOCS2
#undef DOCS3
#undef MWC
#undef VWC
#undef INJECTION_WEBHOOK
#undef URL_INJECTION_WEBHOOK
#undef AUTO_IMAGE_DEPLOYMENT
#undef ISTIOD_SERVICE
#undef INJECTOR
#undef INJECTOR_BY_DEFAULT
#undef INJECTOR_1_21
#undef PLAIN_NAMESPACE
#undef MESH_CONFIG
#undef GATEWAY_API_CRD
#undef PROXY_POD
#undef TLS_GATEWAY
#undef TLS_SECRET
#undef ISTIOD
#undef REQUEST_AUTHENTICATION
#undef WAYPOINT_SERVICE
#undef ZONE_NODE
#undef ZONE_SUBSET
#undef VALID_CERT
#undef EXPIRED_CERT
