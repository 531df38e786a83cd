#!/usr/bin/env python3
"""Writes a generated mesh of about N objects as YAML files, one per namespace, for the
config-validate benchmark: per service a Service, two Deployments (v1, v2, with injection
annotations on their pod templates), a VirtualService splitting traffic between subsets, a
DestinationRule, an AuthorizationPolicy, a PeerAuthentication, a ServiceEntry and two Gateway API
HTTPRoutes (one through the namespace's Gateway API Gateway with a cross-namespace mirror, one
GAMMA route attached to the Service), so that a fifth of the objects are Gateway API routes; per
namespace a Namespace, an Istio Gateway with its ingress VirtualService, a Gateway API Gateway with
its certificate Secret and a ReferenceGrant for the neighbouring namespace's mirrors.

Usage: bench/gen_mesh.py <objects> <output-dir>
"""
import os
import sys

NAMESPACES = 20
PER_SERVICE = 10
PER_NAMESPACE = 6


def service_objects(ns, name, peer, peer_service):
    return f"""apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{app: {name}}}
  ports:
  - {{name: http, port: 9080}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}-v1, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: {name}, version: v1}}}}
  template:
    metadata:
      labels: {{app: {name}, version: v1}}
      annotations: {{sidecar.istio.io/proxyCPU: 100m, proxy.istio.io/config: "{{holdApplicationUntilProxyStarts: true}}"}}
    spec:
      containers:
      - {{name: app, image: "example/{name}:1", ports: [{{containerPort: 9080}}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}-v2, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: {name}, version: v2}}}}
  template:
    metadata: {{labels: {{app: {name}, version: v2}}}}
    spec:
      containers:
      - {{name: app, image: "example/{name}:2", ports: [{{containerPort: 9080}}]}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: {name}, namespace: {ns}}}
spec:
  hosts: [{name}]
  http:
  - match:
    - headers: {{end-user: {{exact: tester}}}}
    route:
    - destination: {{host: {name}, subset: v2}}
  - route:
    - destination: {{host: {name}, subset: v1}}
      weight: 90
    - destination: {{host: {name}, subset: v2}}
      weight: 10
    timeout: 2s
    retries: {{attempts: 3, perTryTimeout: 500ms}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: {name}, namespace: {ns}}}
spec:
  host: {name}
  trafficPolicy:
    connectionPool: {{tcp: {{maxConnections: 100}}}}
    outlierDetection: {{consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}}
  subsets:
  - {{name: v1, labels: {{version: v1}}}}
  - {{name: v2, labels: {{version: v2}}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  action: ALLOW
  rules:
  - from: [{{source: {{namespaces: [{peer}]}}}}]
    to: [{{operation: {{methods: [GET, POST], paths: ["/api/*"]}}}}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  mtls: {{mode: STRICT}}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {{name: {name}-ext, namespace: {ns}}}
spec:
  hosts: [{name}.external.example.com]
  location: MESH_EXTERNAL
  ports: [{{number: 443, name: https, protocol: HTTPS}}]
  resolution: DNS
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}-ingress, namespace: {ns}}}
spec:
  parentRefs: [{{name: web, sectionName: https}}]
  hostnames: ["{name}.{ns}.example.com"]
  rules:
  - matches: [{{path: {{type: PathPrefix, value: /api}}, headers: [{{name: x-canary, value: "true"}}]}}]
    filters:
    - type: RequestMirror
      requestMirror: {{backendRef: {{name: {peer_service}, namespace: {peer}, port: 9080}}}}
    backendRefs: [{{name: {name}, port: 9080}}]
  - backendRefs: [{{name: {name}, port: 9080, weight: 90}}, {{name: {name}, port: 9080, weight: 10}}]
    timeouts: {{request: 5s}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}-mesh, namespace: {ns}}}
spec:
  parentRefs: [{{group: "", kind: Service, name: {name}, port: 9080}}]
  rules:
  - matches: [{{headers: [{{name: end-user, value: tester}}]}}]
    backendRefs: [{{name: {name}, port: 9080}}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: {{set: [{{name: x-route, value: mesh}}]}}
  - backendRefs: [{{name: {name}, port: 9080}}]
"""


def namespace_objects(ns, first_service, mirrored_from):
    return f"""apiVersion: v1
kind: Namespace
metadata: {{name: {ns}, labels: {{istio-injection: enabled}}}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: ingress, namespace: {ns}}}
spec:
  selector: {{app: {first_service}}}
  servers:
  - port: {{number: 9080, name: http, protocol: HTTP}}
    hosts: ["{ns}.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: ingress, namespace: {ns}}}
spec:
  hosts: ["{ns}.example.com"]
  gateways: [ingress]
  http:
  - route:
    - destination: {{host: {first_service}, port: {{number: 9080}}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: web, namespace: {ns}}}
spec:
  gatewayClassName: istio
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "*.{ns}.example.com"
    tls: {{certificateRefs: [{{name: {ns}-cert}}]}}
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.{ns}.example.com"
---
apiVersion: v1
kind: Secret
metadata: {{name: {ns}-cert, namespace: {ns}}}
type: kubernetes.io/tls
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {{name: mirrors, namespace: {ns}}}
spec:
  from: [{{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: {mirrored_from}}}]
  to: [{{group: "", kind: Service}}]
"""


def main():
    total, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    services = max(1, (total - PER_NAMESPACE * NAMESPACES) // PER_SERVICE)
    per_namespace = {}
    for i in range(services):
        per_namespace.setdefault(f"ns-{i % NAMESPACES}", []).append(f"svc-{i}")
    namespaces = sorted(per_namespace.items())
    for index, (ns, names) in enumerate(namespaces):
        peer, peer_names = namespaces[(index + 1) % len(namespaces)]
        previous = namespaces[index - 1][0]
        documents = [namespace_objects(ns, names[0], previous)] + [
            service_objects(ns, name, peer, peer_names[0]) for name in names]
        with open(os.path.join(out, f"{ns}.yaml"), "w", encoding="utf-8") as file:
            file.write("---\n".join(documents))


if __name__ == "__main__":
    main()
