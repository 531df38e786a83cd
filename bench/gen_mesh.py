#!/usr/bin/env python3
"""Writes a generated mesh of about N objects as YAML files, one per namespace, for the
config-validate benchmark: per service a Service, two Deployments (v1, v2), a VirtualService
splitting traffic between subsets, a DestinationRule, an AuthorizationPolicy, a PeerAuthentication
and a ServiceEntry; per namespace a Namespace, a Gateway and an ingress VirtualService.

Usage: bench/gen_mesh.py <objects> <output-dir>
"""
import os
import sys

NAMESPACES = 20
PER_SERVICE = 8


def service_objects(ns, name, peer):
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
    metadata: {{labels: {{app: {name}, version: v1}}}}
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
"""


def namespace_objects(ns, first_service):
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
"""


def main():
    total, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    services = max(1, (total - 3 * NAMESPACES) // PER_SERVICE)
    per_namespace = {}
    for i in range(services):
        per_namespace.setdefault(f"ns-{i % NAMESPACES}", []).append(f"svc-{i}")
    for index, (ns, names) in enumerate(sorted(per_namespace.items())):
        peer = f"ns-{(index + 1) % NAMESPACES}"
        documents = [namespace_objects(ns, names[0])] + [service_objects(ns, name, peer) for name in names]
        with open(os.path.join(out, f"{ns}.yaml"), "w", encoding="utf-8") as file:
            file.write("---\n".join(documents))


if __name__ == "__main__":
    main()
