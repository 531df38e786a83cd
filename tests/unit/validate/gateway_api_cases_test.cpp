// Gateway API kinds: schema rules, Istio's reference and condition checks, Kiali's checks.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define GAPI(kind, name, ns, spec)                                                   \
  "apiVersion: gateway.networking.k8s.io/v1\nkind: " kind "\nmetadata: {name: " name \
  ", namespace: " ns "}\nspec: " spec "\n---\n"
#define ROUTE(name, spec) GAPI("HTTPRoute", name, "bookinfo", spec)
#define K8S_GW(name, spec) GAPI("Gateway", name, "bookinfo", spec)
#define SECRET(name, ns) \
  "apiVersion: v1\nkind: Secret\nmetadata: {name: " name ", namespace: " ns "}\n---\n"
#define GRANT(ns, spec)                                                                    \
  "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: " \
  "grant, namespace: " ns "}\nspec: " spec "\n---\n"
#define VS(name, spec)                                                               \
  "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " name \
  ", namespace: bookinfo}\nspec: " spec "\n---\n"

// A Gateway API Gateway bookinfo/web (HTTP on *.example.com, HTTPS on reviews.example.com with
// certificate bookinfo/cert) and a route to reviews through it: clean by itself.
#define WEB_GATEWAY                                                                         \
  SECRET("cert", "bookinfo")                                                                \
  K8S_GW("web",                                                                             \
         "{gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP, "    \
         "hostname: '*.example.com'}, {name: https, port: 443, protocol: HTTPS, hostname: " \
         "reviews.example.com, tls: {certificateRefs: [{name: cert}]}}]}")
#define ROUTE_TO(parent, backend)                                 \
  ROUTE("reviews", "{parentRefs: [" parent                        \
                   "], hostnames: [reviews.example.com], rules: " \
                   "[{backendRefs: [" backend "]}]}")
#define GOOD_ROUTE ROUTE_TO("{name: web}", "{name: reviews, port: 9080}")
// A waypoint as `istioctl waypoint generate` writes it; `labels` adds to its metadata.
#define WAYPOINT(name, ns, labels)                                                  \
  "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: " name \
  ", namespace: " ns labels                                                         \
  "}\nspec: {gatewayClassName: istio-waypoint, listeners: [{name: "                 \
  "mesh, port: 15008, protocol: HBONE}]}\n---\n"
#define SERVICE_USING(labels)                                                                     \
  "apiVersion: v1\nkind: Service\nmetadata: {name: ratings, namespace: bookinfo, labels: " labels \
  "}\nspec: {selector: {app: ratings}, ports: [{name: http, port: 9080}]}\n---\n"

const std::array kGatewayApiCases = {
    CodeCase{"clean Gateway API mesh", "IST0101", false, WEB_GATEWAY GOOD_ROUTE},
    CodeCase{"clean Gateway API mesh (conditions)", "IST0171", false, WEB_GATEWAY GOOD_ROUTE},
    // Schema: the CRDs' field table and CEL rules.
    CodeCase{"listener names repeated", "IST0106", true,
             K8S_GW("gw",
                    "{gatewayClassName: istio, listeners: [{name: a, port: 80, protocol: "
                    "HTTP, hostname: a.example.com}, {name: a, port: 80, protocol: HTTP, "
                    "hostname: b.example.com}]}")},
    CodeCase{"listener names distinct", "IST0106", false,
             K8S_GW("gw",
                    "{gatewayClassName: istio, listeners: [{name: a, port: 80, protocol: "
                    "HTTP, hostname: a.example.com}, {name: b, port: 80, protocol: HTTP, "
                    "hostname: b.example.com}]}")},
    CodeCase{"listener port out of range", "IST0106", true,
             K8S_GW("gw",
                    "{gatewayClassName: istio, listeners: [{name: a, port: 0, protocol: "
                    "HTTP}]}")},
    CodeCase{"Service backendRef without port", "IST0106", true,
             WEB_GATEWAY ROUTE_TO("{name: web}", "{name: reviews}")},
    CodeCase{
        "uppercase hostname", "IST0106", true,
        WEB_GATEWAY ROUTE("r", "{parentRefs: [{name: web}], hostnames: [Reviews.example.com]}")},
    CodeCase{"missing required listener protocol", "IST0106", true,
             K8S_GW("gw", "{gatewayClassName: istio, listeners: [{name: a, port: 80}]}")},
    CodeCase{"misspelt route field", "IST0133", true,
             WEB_GATEWAY ROUTE("r", "{parentRefs: [{name: web}], hostname: [a.example.com]}")},
    // IST0101: references to objects that do not exist.
    CodeCase{"parent Gateway missing", "IST0101", true,
             WEB_GATEWAY ROUTE_TO("{name: nope}", "{name: reviews, port: 9080}")},
    CodeCase{"parent listener missing", "IST0101", true,
             WEB_GATEWAY ROUTE_TO("{name: web, sectionName: grpc}", "{name: reviews, port: 9080}")},
    CodeCase{
        "parent listener found", "IST0101", false,
        WEB_GATEWAY ROUTE_TO("{name: web, sectionName: https}", "{name: reviews, port: 9080}")},
    CodeCase{"backend Service missing", "IST0101", true,
             WEB_GATEWAY ROUTE_TO("{name: web}", "{name: ratings, port: 9080}")},
    CodeCase{"backend Service port missing", "IST0101", true,
             WEB_GATEWAY ROUTE_TO("{name: web}", "{name: reviews, port: 80}")},
    CodeCase{"mirror backend missing", "IST0101", true,
             WEB_GATEWAY ROUTE("r",
                               "{parentRefs: [{name: web}], hostnames: [reviews.example.com], "
                               "rules: [{filters: [{type: RequestMirror, requestMirror: "
                               "{backendRef: {name: shadow, port: 80}}}], backendRefs: "
                               "[{name: reviews, port: 9080}]}]}")},
    CodeCase{"GatewayClass missing", "IST0101", true,
             K8S_GW("gw",
                    "{gatewayClassName: nginx, listeners: [{name: a, port: 80, "
                    "protocol: HTTP}]}")},
    CodeCase{"GatewayClass defined", "IST0101", false,
             "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: "
             "nginx}\nspec: {controllerName: example.com/nginx}\n---\n" K8S_GW(
                 "gw",
                 "{gatewayClassName: nginx, listeners: [{name: a, port: 80, protocol: "
                 "HTTP}]}")},
    CodeCase{"certificate Secret missing", "IST0101", true,
             SECRET("other", "bookinfo")
                 K8S_GW("gw",
                        "{gatewayClassName: istio, listeners: [{name: a, port: 443, protocol: "
                        "HTTPS, tls: {certificateRefs: [{name: cert}]}}]}")},
    CodeCase{"ListenerSet parent missing", "IST0101", true,
             GAPI("ListenerSet", "extra", "bookinfo",
                  "{parentRef: {name: nope}, listeners: [{name: a, port: 8080, protocol: HTTP}]}")},
    CodeCase{"BackendTLSPolicy target missing", "IST0101", true,
             GAPI("BackendTLSPolicy", "tls", "bookinfo",
                  "{targetRefs: [{group: '', kind: Service, name: ratings}], validation: "
                  "{hostname: ratings.example.com, wellKnownCACertificates: System}}")},
    CodeCase{"BackendTLSPolicy target found", "IST0101", false,
             GAPI("BackendTLSPolicy", "tls", "bookinfo",
                  "{targetRefs: [{group: '', kind: Service, name: reviews}], validation: "
                  "{hostname: reviews.example.com, wellKnownCACertificates: System}}")},
    CodeCase{"VirtualService bound to a Gateway API Gateway", "IST0101", false,
             WEB_GATEWAY VS("vs",
                            "{hosts: [reviews.example.com], gateways: [web], http: "
                            "[{route: [{destination: {host: reviews}}]}]}")},
    // IST0132 through a Gateway API Gateway's listener hostnames.
    CodeCase{"VirtualService host served by no listener", "IST0132", true,
             WEB_GATEWAY VS("vs",
                            "{hosts: [reviews.example.org], gateways: [web], http: "
                            "[{route: [{destination: {host: reviews}}]}]}")},
    CodeCase{"VirtualService host served by a listener", "IST0132", false,
             WEB_GATEWAY VS("vs",
                            "{hosts: [a.example.com], gateways: [web], http: "
                            "[{route: [{destination: {host: reviews}}]}]}")},
    // IST0171: the negative conditions Istio would report.
    CodeCase{"backend in another namespace without ReferenceGrant", "IST0171", true,
             WEB_GATEWAY ROUTE_TO(
                 "{name: web}", "{name: istio-ingressgateway, namespace: istio-system, port: 80}")},
    CodeCase{"backend in another namespace with ReferenceGrant", "IST0171", false,
             WEB_GATEWAY ROUTE_TO("{name: web}",
                                  "{name: istio-ingressgateway, namespace: istio-system, port: 80}")
                 GRANT("istio-system",
                       "{from: [{group: gateway.networking.k8s.io, kind: "
                       "HTTPRoute, namespace: bookinfo}], to: [{group: '', "
                       "kind: Service}]}")},
    CodeCase{"ReferenceGrant for another kind", "IST0171", true,
             WEB_GATEWAY ROUTE_TO("{name: web}",
                                  "{name: istio-ingressgateway, namespace: istio-system, port: 80}")
                 GRANT("istio-system",
                       "{from: [{group: gateway.networking.k8s.io, kind: "
                       "GRPCRoute, namespace: bookinfo}], to: [{group: '', "
                       "kind: Service}]}")},
    CodeCase{"route from a namespace the listeners do not admit", "IST0171", true,
             WEB_GATEWAY GAPI("HTTPRoute", "r", "istio-system",
                              "{parentRefs: [{name: web, namespace: bookinfo}], rules: "
                              "[{backendRefs: [{name: istio-ingressgateway, port: 80}]}]}")},
    CodeCase{"route from a namespace all listeners admit", "IST0171", false,
             K8S_GW("shared",
                    "{gatewayClassName: istio, listeners: [{name: http, port: 80, "
                    "protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]}")
                 GAPI("HTTPRoute", "r", "istio-system",
                      "{parentRefs: [{name: shared, namespace: bookinfo}], rules: "
                      "[{backendRefs: [{name: istio-ingressgateway, port: 80}]}]}")},
    CodeCase{"route hostname no listener serves", "IST0171", true,
             WEB_GATEWAY ROUTE("r",
                               "{parentRefs: [{name: web, sectionName: https}], hostnames: "
                               "[ratings.example.com], rules: [{backendRefs: [{name: "
                               "reviews, port: 9080}]}]}")},
    CodeCase{"TCPRoute on an HTTP listener", "IST0171", true,
             WEB_GATEWAY GAPI("TCPRoute", "t", "bookinfo",
                              "{parentRefs: [{name: web, sectionName: http}], rules: "
                              "[{backendRefs: [{name: reviews, port: 9080}]}]}")},
    CodeCase{"HTTP and TCP listeners on one port", "IST0171", true,
             K8S_GW("gw",
                    "{gatewayClassName: istio, listeners: [{name: a, port: 80, protocol: "
                    "HTTP}, {name: b, port: 80, protocol: TCP}]}")},
    CodeCase{"HTTPS and TLS listeners on one port", "IST0171", false,
             SECRET("cert", "bookinfo")
                 K8S_GW("gw",
                        "{gatewayClassName: istio, listeners: [{name: a, port: 443, protocol: "
                        "HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: cert}]}}, "
                        "{name: b, port: 443, protocol: TLS, hostname: b.example.com, tls: {mode: "
                        "Passthrough}}]}")},
    CodeCase{"ListenerSet repeating a Gateway's hostname", "IST0171", true,
             K8S_GW("gw",
                    "{gatewayClassName: istio, allowedListeners: {namespaces: {from: "
                    "Same}}, listeners: [{name: a, port: 80, protocol: HTTP, hostname: "
                    "a.example.com}]}") GAPI("ListenerSet", "extra", "bookinfo",
                                             "{parentRef: {name: gw}, listeners: [{name: "
                                             "b, port: 80, protocol: HTTP, hostname: "
                                             "a.example.com}]}")},
    CodeCase{"ListenerSet the Gateway does not admit", "IST0171", true,
             K8S_GW("gw",
                    "{gatewayClassName: istio, listeners: [{name: a, port: 80, protocol: "
                    "HTTP}]}") GAPI("ListenerSet", "extra", "bookinfo",
                                    "{parentRef: {name: gw}, listeners: [{name: b, port: "
                                    "8080, protocol: HTTP}]}")},
    CodeCase{"ListenerSet the Gateway admits", "IST0171", false,
             K8S_GW("gw",
                    "{gatewayClassName: istio, allowedListeners: {namespaces: {from: "
                    "Same}}, listeners: [{name: a, port: 80, protocol: HTTP}]}")
                 GAPI("ListenerSet", "extra", "bookinfo",
                      "{parentRef: {name: gw}, listeners: [{name: b, port: 8080, protocol: "
                      "HTTP}]}")},
    // Waypoints: istio.io/use-waypoint must name a Gateway of a waypoint class.
    CodeCase{"Service using a missing waypoint", "IST0101", true,
             SERVICE_USING("{istio.io/use-waypoint: waypoint}")},
    CodeCase{"Service using a waypoint", "IST0101", false,
             WAYPOINT("waypoint", "bookinfo", "")
                 SERVICE_USING("{istio.io/use-waypoint: waypoint}")},
    CodeCase{"Namespace using a waypoint of another namespace", "IST0101", false,
             WAYPOINT("shared", "istio-system",
                      "") "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: "
                          "{istio.io/dataplane-mode: ambient, istio.io/use-waypoint: shared, "
                          "istio.io/use-waypoint-namespace: istio-system}}\n---\n"},
    CodeCase{"pod template using a Gateway that is no waypoint", "IST0101", true,
             WEB_GATEWAY
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: bookinfo}\n"
             "spec: {template: {metadata: {labels: {app: d, istio.io/use-waypoint: web}}, spec: "
             "{containers: [{name: app}]}}}\n---\n"},
    CodeCase{"Service opting out of waypoints", "IST0101", false,
             SERVICE_USING("{istio.io/use-waypoint: none}")},
    CodeCase{"Service using a waypoint for workloads only", "IST0171", true,
             WAYPOINT("waypoint", "bookinfo", ", labels: {istio.io/waypoint-for: workload}")
                 SERVICE_USING("{istio.io/use-waypoint: waypoint}")},
    CodeCase{"Service using a waypoint for all traffic", "IST0171", false,
             WAYPOINT("waypoint", "bookinfo", ", labels: {istio.io/waypoint-for: all}")
                 SERVICE_USING("{istio.io/use-waypoint: waypoint}")},
    // Kiali.
    CodeCase{"route to a missing Gateway", "KIA1401", true,
             WEB_GATEWAY ROUTE_TO("{name: nope}", "{name: reviews, port: 9080}")},
    CodeCase{"route to a Gateway of its namespace", "KIA1401", false, WEB_GATEWAY GOOD_ROUTE},
    CodeCase{"route to a Gateway that does not share its listeners", "KIA1401", true,
             WEB_GATEWAY GAPI("HTTPRoute", "r", "istio-system",
                              "{parentRefs: [{name: web, namespace: bookinfo}], rules: "
                              "[{backendRefs: [{name: istio-ingressgateway, port: 80}]}]}")},
    CodeCase{"route backend Service missing", "KIA1402", true,
             WEB_GATEWAY ROUTE_TO("{name: web}", "{name: ratings, port: 9080}")},
    CodeCase{"route backend Service found", "KIA1402", false, WEB_GATEWAY GOOD_ROUTE},
    CodeCase{"two Gateways with the same listener", "KIA1501", true,
             K8S_GW("a",
                    "{gatewayClassName: istio, listeners: [{name: h, port: 80, protocol: "
                    "HTTP, hostname: a.example.com}]}")
                 K8S_GW("b",
                        "{gatewayClassName: istio, listeners: [{name: h, port: 80, "
                        "protocol: HTTP, hostname: a.example.com}]}")},
    CodeCase{"two Gateways with different hostnames", "KIA1501", false,
             K8S_GW("a",
                    "{gatewayClassName: istio, listeners: [{name: h, port: 80, protocol: "
                    "HTTP, hostname: a.example.com}]}")
                 K8S_GW("b",
                        "{gatewayClassName: istio, listeners: [{name: h, port: 80, "
                        "protocol: HTTP, hostname: b.example.com}]}")},
    CodeCase{"two Gateways with the same address", "KIA1502", true,
             K8S_GW("a",
                    "{gatewayClassName: istio, addresses: [{value: 10.0.0.1}], listeners: "
                    "[{name: h, port: 80, protocol: HTTP}]}")
                 K8S_GW("b",
                        "{gatewayClassName: istio, addresses: [{value: 10.0.0.1}], "
                        "listeners: [{name: h, port: 81, protocol: HTTP}]}")},
    CodeCase{"two Gateways with different addresses", "KIA1502", false,
             K8S_GW("a",
                    "{gatewayClassName: istio, addresses: [{value: 10.0.0.1}], listeners: "
                    "[{name: h, port: 80, protocol: HTTP}]}")
                 K8S_GW("b",
                        "{gatewayClassName: istio, addresses: [{value: 10.0.0.2}], "
                        "listeners: [{name: h, port: 81, protocol: HTTP}]}")},
    CodeCase{"one Gateway repeating a listener", "KIA1503", true,
             K8S_GW("a",
                    "{gatewayClassName: istio, listeners: [{name: h, port: 80, protocol: "
                    "HTTP, hostname: a.example.com}, {name: i, port: 80, protocol: HTTP, "
                    "hostname: a.example.com}]}")},
    CodeCase{"one Gateway with distinct listeners", "KIA1503", false, WEB_GATEWAY},
    CodeCase{"Gateway of a class Istio does not serve", "KIA1504", true,
             "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: "
             "nginx}\nspec: {controllerName: example.com/nginx}\n---\n" K8S_GW(
                 "gw",
                 "{gatewayClassName: nginx, listeners: [{name: a, port: 80, protocol: "
                 "HTTP}]}")},
    CodeCase{"Gateway of Istio's class", "KIA1504", false, WEB_GATEWAY},
    CodeCase{"ReferenceGrant from a missing namespace", "KIA1601", true,
             GRANT("bookinfo",
                   "{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, "
                   "namespace: ghost}], to: [{group: '', kind: Service}]}")},
    CodeCase{"ReferenceGrant from an existing namespace", "KIA1601", false,
             GRANT("bookinfo",
                   "{from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, "
                   "namespace: istio-system}], to: [{group: '', kind: Service}]}")},
};

}  // namespace

std::span<const CodeCase> gateway_api_cases() { return kGatewayApiCases; }

TEST(ValidateGatewayApiChecks, FireAndStayQuiet) { run_cases(kGatewayApiCases); }

TEST(ValidateGatewayApiChecks, CleanMeshHasNoFindings) {
  const auto findings = findings_of(std::string(kWorld) + "---\n" + WEB_GATEWAY GOOD_ROUTE);
  for (const auto& finding : findings)
    ADD_FAILURE() << finding.code << " " << finding.object.kind << " " << finding.object.name
                  << ": " << finding.message;
}

TEST(ValidateGatewayApiChecks, FindingsNameTheKindAndTheLineOfTheReference) {
  const auto findings =
      findings_of(std::string(kWorld) + "---\n" +
                  WEB_GATEWAY ROUTE_TO("{name: web}", "{name: ratings, port: 9080}"));
  const auto found = std::find_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.code == "IST0101"; });
  ASSERT_NE(found, findings.end());
  EXPECT_EQ(found->object.kind, "HTTPRoute");
  EXPECT_EQ(found->message, "Referenced backend service not found: \"bookinfo/ratings\"");
  EXPECT_EQ(found->origin.line, 61);  // the route's spec: world (47), ---, Secret (4), Gateway (5)
}

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef GAPI
#undef ROUTE
#undef K8S_GW
#undef SECRET
#undef GRANT
#undef VS
#undef WEB_GATEWAY
#undef ROUTE_TO
#undef GOOD_ROUTE
#undef WAYPOINT
#undef SERVICE_USING
