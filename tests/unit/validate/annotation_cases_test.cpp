// Istio annotations on Namespaces, Services, Pods and Deployments, against Istio's registry.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define POD(annotations, extra)                                                \
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: bookinfo\n  " \
  "annotations: " annotations "\n" extra "spec: {containers: [{name: app, image: app:1}]}\n"
#define SERVICE(annotations)                                                       \
  "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: bookinfo\n  " \
  "annotations: " annotations "\nspec: {ports: [{name: http, port: 80}]}\n"
#define NAMESPACE(annotations)                                                             \
  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: {istio-injection: " \
  "enabled}\n  annotations: " annotations "\n"
#define DEPLOYMENT(annotations, template_annotations)                                      \
  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: bookinfo\n  " \
  "annotations: " annotations                                                              \
  "\nspec:\n  template:\n    metadata:\n      labels: {app: d}\n"                          \
  "      annotations: " template_annotations                                               \
  "\n    spec: {containers: [{name: app, image: "                                          \
  "app:1}]}\n"

const std::array kAnnotationCases = {
    // IST0108: keys in Istio's namespace that the registry does not know.
    CodeCase{"misspelt Istio annotation", "IST0108", true,
             SERVICE("{networking.istio.io/exportToo: '*'}")},
    CodeCase{"known Istio annotation", "IST0108", false,
             SERVICE("{networking.istio.io/exportTo: '*'}")},
    CodeCase{"label written as an annotation", "IST0108", true,
             NAMESPACE("{istio.io/dataplane-mode: ambient}")},
    CodeCase{"other tools' annotations", "IST0108", false,
             SERVICE("{kubernetes.io/psp: x, example.com/istio.io: y}")},
    CodeCase{"annotations Istio sets itself", "IST0108", false,
             POD("{sidecar.istio.io/status: '{}', istio.io/rev: canary}", "")},
    // IST0107: known annotations on kinds they do not apply to.
    CodeCase{"pod annotation on a Service", "IST0107", true,
             SERVICE("{sidecar.istio.io/proxyCPU: 100m}")},
    CodeCase{"pod annotation on a Deployment", "IST0107", true,
             DEPLOYMENT("{sidecar.istio.io/proxyCPU: 100m}", "{}")},
    CodeCase{"pod annotation on a pod template", "IST0107", false,
             DEPLOYMENT("{}", "{sidecar.istio.io/proxyCPU: 100m}")},
    CodeCase{"ingress class on a Namespace", "IST0107", true,
             NAMESPACE("{kubernetes.io/ingress.class: istio}")},
    CodeCase{"annotation for any kind", "IST0107", false,
             NAMESPACE("{galley.istio.io/analyze-suppress: IST0102}")},
    // IST0125: value rules.
    CodeCase{"unknown interception mode", "IST0125", true,
             POD("{sidecar.istio.io/interceptionMode: TUNNEL}", "")},
    CodeCase{"TPROXY interception", "IST0125", false,
             POD("{sidecar.istio.io/interceptionMode: TPROXY}", "")},
    CodeCase{"readiness delay not a number", "IST0125", true,
             POD("{readiness.status.sidecar.istio.io/initialDelaySeconds: soon}", "")},
    CodeCase{"readiness period a number", "IST0125", false,
             POD("{readiness.status.sidecar.istio.io/periodSeconds: '10'}", "")},
    CodeCase{"address without prefix length", "IST0125", true,
             POD("{traffic.sidecar.istio.io/excludeOutboundIPRanges: '10.0.0.1'}", "")},
    CodeCase{"CIDR list and wildcard", "IST0125", false,
             POD("{traffic.sidecar.istio.io/excludeOutboundIPRanges: '10.0.0.0/8,fd00::/8', "
                 "traffic.sidecar.istio.io/includeOutboundIPRanges: '*'}",
                 "")},
    CodeCase{"port out of range", "IST0125", true,
             POD("{traffic.sidecar.istio.io/excludeInboundPorts: '15020,70000'}", "")},
    CodeCase{"port list with spaces", "IST0125", false,
             POD("{traffic.sidecar.istio.io/excludeOutboundPorts: '3306, 5432', "
                 "traffic.sidecar.istio.io/includeInboundPorts: '*'}",
                 "")},
    CodeCase{"merge-metrics not a boolean", "IST0125", true,
             POD("{prometheus.istio.io/merge-metrics: maybe}", "")},
    CodeCase{"CPU request not a quantity", "IST0125", true,
             DEPLOYMENT("{}", "{sidecar.istio.io/proxyCPU: 100mc}")},
    CodeCase{"memory limit a quantity", "IST0125", false,
             DEPLOYMENT("{}",
                        "{sidecar.istio.io/proxyMemoryLimit: 1Gi, sidecar.istio.io/proxyCPU: "
                        "'0.5'}")},
    CodeCase{"proxy config with a bad type", "IST0125", true,
             POD("{proxy.istio.io/config: 'concurrency: two'}", "")},
    CodeCase{"proxy config with a minute duration", "IST0125", true,
             POD("{proxy.istio.io/config: '{terminationDrainDuration: 1m}'}", "")},
    CodeCase{"proxy config laid over the defaults", "IST0125", false,
             POD("{proxy.istio.io/config: '{concurrency: 2, holdApplicationUntilProxyStarts: "
                 "true, terminationDrainDuration: 30s, someFutureField: x}'}",
                 "")},
    CodeCase{"excluded interface with a space", "IST0125", true,
             POD("{traffic.sidecar.istio.io/excludeInterfaces: 'eth0,net 1'}", "")},
    // IST0135: deprecated annotations.
    CodeCase{"deprecated inject annotation", "IST0135", true,
             POD("{sidecar.istio.io/inject: 'false'}", "")},
    CodeCase{"inject annotation beside the inject label", "IST0135", false,
             POD("{sidecar.istio.io/inject: 'false'}",
                 "  labels: {sidecar.istio.io/inject: 'false'}\n")},
    CodeCase{"deprecated stats annotation in a pod template", "IST0135", true,
             DEPLOYMENT("{}", "{sidecar.istio.io/statsInclusionPrefixes: cluster.outbound}")},
    // IST0136: alpha-phase annotations (reported only when asked).
    CodeCase{"alpha annotation", "IST0136", true, SERVICE("{networking.istio.io/exportTo: '*'}")},
    CodeCase{"beta annotation", "IST0136", false, POD("{proxy.istio.io/config: '{}'}", "")},
    CodeCase{"injector defaults on a pod with istio-init", "IST0136", true,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: bookinfo, annotations: "
             "{sidecar.istio.io/interceptionMode: REDIRECT}}\nspec: {containers: [{name: app, "
             "image: app:1}], initContainers: [{name: istio-init, image: proxyv2:1}]}\n"},
    CodeCase{"injector defaults on a pod without istio-init (CNI)", "IST0136", false,
             POD("{sidecar.istio.io/interceptionMode: REDIRECT}", "")},
};

}  // namespace

std::span<const CodeCase> annotation_cases() { return kAnnotationCases; }

TEST(ValidateAnnotationChecks, FireAndStayQuiet) { run_cases(kAnnotationCases); }

TEST(ValidateAnnotationChecks, AlphaAnnotationsOnlyWhenAsked) {
  const std::string yaml =
      std::string(kWorld) + "---\n" SERVICE("{networking.istio.io/exportTo: '*'}");
  for (const auto& finding : findings_of(yaml)) EXPECT_NE(finding.code, "IST0136");
}

TEST(ValidateAnnotationChecks, FindingsPointAtTheAnnotation) {
  const auto findings = findings_of(
      std::string(kWorld) + "---\n" +
      DEPLOYMENT("{sidecar.istio.io/proxyCPU: 100m}", "{sidecar.istio.io/proxyCPU: x}"));
  std::vector<std::string> seen;
  for (const auto& finding : findings)
    seen.push_back(finding.code + " " + std::to_string(finding.origin.line) + " " +
                   finding.message);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "IST0107 54 Misplaced annotation: sidecar.istio.io/proxyCPU can only be "
                      "applied to Pod (put it on the pod template)",
                      "IST0125 59 Invalid annotation sidecar.istio.io/proxyCPU: \"x\" is not a "
                      "resource quantity (e.g. 100m, 0.5, 128Mi, 1Gi)"}));
}

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef POD
#undef SERVICE
#undef NAMESPACE
#undef DEPLOYMENT
