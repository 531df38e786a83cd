#include "cases.hpp"

#include <getmesh/validate/load.hpp>

#include <gtest/gtest.h>

namespace getmesh::validate::testing {

const std::string_view kWorld = R"(apiVersion: v1
kind: Namespace
metadata: {name: bookinfo, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: bookinfo}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: bookinfo}
spec:
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec: {containers: [{name: reviews, image: reviews:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2:1}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: bookinfo}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: bookinfo}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
)";

std::vector<Finding> findings_of(std::string_view yaml, const AnalyzeOptions& options) {
  Loaded loaded;
  load_text(yaml, "case.yaml", LoadOptions{}, loaded);
  for (const auto& problem : loaded.problems)
    ADD_FAILURE() << "input problem: " << problem.to_string();
  return analyze(loaded.resources, options);
}

void run_cases(std::span<const CodeCase> cases) {
  for (const auto& test : cases) {
    std::string yaml;
    if (!test.alone) yaml.append(kWorld).append("---\n");
    yaml.append(test.yaml);
    AnalyzeOptions options;
    options.alpha_annotations = true;  // so that IST0136 has cases; other codes ignore it
    options.files_only = test.files_only;
    const auto findings = findings_of(yaml, options);
    bool found = false;
    std::string seen;
    for (const auto& finding : findings) {
      found = found || finding.code == test.code;
      seen += "\n  " + finding.code + " " + finding.object.kind + " " + finding.object.namespace_ +
              "/" + finding.object.name + ": " + finding.message;
    }
    EXPECT_EQ(found, test.fires) << test.name << " (" << test.code
                                 << (test.fires ? " should fire" : " should not fire")
                                 << "); findings:" << seen;
  }
}

}  // namespace getmesh::validate::testing
