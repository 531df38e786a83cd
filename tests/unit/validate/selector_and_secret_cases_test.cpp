// Sidecar and Telemetry selectors that match no workload, and Gateway credentials the files do not
// hold (IST0101).
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define SIDECAR(selector)                                                              \
  "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s, namespace: " \
  "bookinfo}\nspec: {workloadSelector: {labels: " selector                             \
  "}, outboundTrafficPolicy: {mode: "                                                  \
  "REGISTRY_ONLY}}\n"
#define TELEMETRY(selector)                                                             \
  "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: t, namespace: " \
  "bookinfo}\nspec: {selector: {matchLabels: " selector                                 \
  "}, tracing: [{randomSamplingPercentage: "                                            \
  "10}]}\n"
#define TLS_GATEWAY(selector, credential)                                                     \
  "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: tls, namespace: "      \
  "bookinfo}\nspec:\n  selector: " selector                                                   \
  "\n  servers: [{port: {number: 443, name: https, "                                          \
  "protocol: HTTPS}, hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: " credential \
  "}}]\n"
#define SECRET(name, ns) \
  "apiVersion: v1\nkind: Secret\nmetadata: {name: " name ", namespace: " ns "}\n"

const std::array kSelectorAndSecretCases = {
    CodeCase{"Sidecar selecting no workload", "IST0101", true, SIDECAR("{app: ratings}")},
    CodeCase{"Sidecar selecting a workload", "IST0101", false, SIDECAR("{app: reviews}")},
    CodeCase{"Sidecar selecting a workload of another namespace", "IST0101", true,
             SIDECAR("{istio: ingressgateway}")},
    CodeCase{"Telemetry selecting no workload", "IST0101", true, TELEMETRY("{app: ratings}")},
    CodeCase{"Telemetry selecting a workload", "IST0101", false, TELEMETRY("{version: v1}")},
    // Offline the files are the whole world: a credential they do not hold does not exist.
    CodeCase{"credential missing from the files", "IST0101", true,
             TLS_GATEWAY("{istio: ingressgateway}", "shop-cert"), true, true},
    CodeCase{"credential in the root namespace", "IST0101", false,
             TLS_GATEWAY("{istio: ingressgateway}", "shop-cert") "---\n" SECRET("shop-cert",
                                                                                "istio-system"),
             true, true},
    CodeCase{
        "credential in another namespace than the gateway pods'", "IST0101", true,
        TLS_GATEWAY("{istio: ingressgateway}", "shop-cert") "---\n" SECRET("shop-cert", "payments"),
        true, true},
    CodeCase{"credential of a custom gateway whose pods are unknown", "IST0101", false,
             TLS_GATEWAY("{app: shop-gateway}", "shop-cert") "---\n" SECRET("shop-cert", "shop"),
             true, true},
    CodeCase{"credential of a cluster gateway (Secrets unknown)", "IST0101", false,
             TLS_GATEWAY("{istio: ingressgateway}", "shop-cert"), true, false},
};

}  // namespace

std::span<const CodeCase> selector_and_secret_cases() { return kSelectorAndSecretCases; }

TEST(ValidateSelectorAndSecretChecks, FireAndStayQuiet) { run_cases(kSelectorAndSecretCases); }

TEST(ValidateSelectorAndSecretChecks, OfflineAssumesIstiosDefaultIngressGateway) {
  // Workloads are known (a Deployment) but none is labelled istio=ingressgateway: offline, istioctl
  // assumes Istio's default ingress gateway, so the selector is not reported.
  const std::string yaml =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: shop}\nspec: "
      "{template: {metadata: {labels: {app: shop}}, spec: {containers: [{name: app}]}}}\n---\n" +
      std::string(TLS_GATEWAY("{istio: ingressgateway}", "shop-cert")) + "---\n" +
      SECRET("shop-cert", "istio-system");
  AnalyzeOptions offline;
  offline.files_only = true;
  for (const auto& finding : findings_of(yaml, offline)) {
    EXPECT_NE(finding.code, "IST0101") << finding.message;
    EXPECT_NE(finding.code, "KIA0302") << finding.message;
  }
  AnalyzeOptions cluster;
  cluster.complete_kinds.set();
  const auto findings = findings_of(yaml, cluster);
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const Finding& finding) {
    return finding.message == "Referenced selector not found: \"istio=ingressgateway\"";
  }));
}

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef SIDECAR
#undef TELEMETRY
#undef TLS_GATEWAY
#undef SECRET
