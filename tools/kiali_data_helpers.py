"""What Kiali's test data helpers (kiali/kiali `tests/data`, Go) produce, as Kubernetes objects.

Each function here has the name and the arguments of the Go helper it stands for and returns the
object that helper builds, as a dict ready to be written as YAML (or, for helpers that build a
part of an object, that part). Helpers that change an object (`Add...To...`) change the dict they
are given and return it, as the Go helpers change and return their pointer. Written from reading
the helpers; no Go code is copied.
"""


def _object(api_version, kind, name, namespace, spec):
    return {"apiVersion": api_version, "kind": kind,
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


# DestinationRules (tests/data/destination_rules_data.go)
def CreateEmptyDestinationRule(namespace, name, host):
    return _object("networking.istio.io/v1", "DestinationRule", name, namespace, {"host": host})


def CreateSubset(name, version_label):
    return {"name": name, "labels": {"version": version_label}}


def CreateNoLabelsSubset(name):
    return {"name": name}


def AddSubsetToDestinationRule(subset, rule):
    rule["spec"].setdefault("subsets", []).append(subset)
    return rule


def CreateTestDestinationRule(namespace, name, host):
    rule = CreateEmptyDestinationRule(namespace, name, host)
    AddSubsetToDestinationRule(CreateSubset("v2", "v2"), rule)
    return AddSubsetToDestinationRule(CreateSubset("v1", "v1"), rule)


def CreateNoLabelsDestinationRule(namespace, name, host):
    rule = CreateEmptyDestinationRule(namespace, name, host)
    AddSubsetToDestinationRule(CreateNoLabelsSubset("v2"), rule)
    return AddSubsetToDestinationRule(CreateSubset("v1", "v1"), rule)


def AddTrafficPolicyToDestinationRule(policy, rule):
    rule["spec"]["trafficPolicy"] = policy
    return rule


def CreateTrafficPolicyForDestinationRules(mode):
    return {"tls": {"mode": mode}}


def CreateMTLSTrafficPolicyForDestinationRules():
    return CreateTrafficPolicyForDestinationRules("ISTIO_MUTUAL")


def CreateDisabledMTLSTrafficPolicyForDestinationRules():
    return CreateTrafficPolicyForDestinationRules("DISABLE")


def CreateSimpleTLSTrafficPolicyForDestinationRules():
    return CreateTrafficPolicyForDestinationRules("SIMPLE")


def CreateLoadBalancerTrafficPolicyForDestinationRules():
    return {"loadBalancer": {"simple": "ROUND_ROBIN"}}


def CreatePortLevelTrafficPolicyForDestinationRules():
    return {"portLevelSettings": [{"port": {"number": 9080},
                                   "loadBalancer": {"simple": "ROUND_ROBIN"}}]}


def CreateTLSPortLevelTrafficPolicyForDestinationRules():
    return {"portLevelSettings": [{"port": {"number": 9080}, "tls": {"mode": "SIMPLE"}}]}


# VirtualServices (tests/data/virtual_service_data.go)
def CreateEmptyVirtualService(name, namespace, hosts):
    return _object("networking.istio.io/v1", "VirtualService", name, namespace,
                   {"hosts": list(hosts)})


def AddGatewaysToVirtualService(gateways, service):
    service["spec"]["gateways"] = list(gateways)
    return service


def _destination(host, subset, weight):
    """A route destination; Go's zero values (empty subset, weight 0) are fields left unset."""
    destination = {"destination": {"host": host}}
    if subset:
        destination["destination"]["subset"] = subset
    if weight:
        destination["weight"] = weight
    return destination


def CreateHttpRouteDestination(host, subset, weight):
    return _destination(host, subset, weight)


def CreateTcpRoute(host, subset, weight):
    return {"route": [_destination(host, subset, weight)]}


def CreateTlsRoute(host, subset, weight):
    return {"route": [_destination(host, subset, weight)]}


def AddHttpRoutesToVirtualService(route, service):
    """The destination is added to the first HTTP route, made if there is none."""
    http = service["spec"].setdefault("http", [])
    if not http:
        http.append({"route": []})
    http[0]["route"].append(route)
    return service


def AddTcpRoutesToVirtualService(route, service):
    service["spec"].setdefault("tcp", []).append(route)
    return service


def AddTlsRoutesToVirtualService(route, service):
    service["spec"].setdefault("tls", []).append(route)
    return service


# PeerAuthentications (tests/data/peer_authentication_data.go)
def CreateMTLS(mode):
    return {"mode": mode}


def CreateEmptyPeerAuthentication(name, namespace, mtls):
    return _object("security.istio.io/v1", "PeerAuthentication", name, namespace, {"mtls": mtls})


def CreateEmptyMeshPeerAuthentication(name, mtls):
    """A PeerAuthentication of the root namespace (istio-system): mesh-wide."""
    return CreateEmptyPeerAuthentication(name, "istio-system", mtls)


# policy and mTLS: Services (tests/data/service_data.go), ServiceEntries
# (tests/data/service_entry_data.go), AuthorizationPolicies
# (tests/data/authorization_policy_data.go)
def CreateFakeMultiServices(hosts, namespace):
    """A Service named after each host's first label, without ports or selector."""
    return [{"apiVersion": "v1", "kind": "Service",
             "metadata": {"name": host.split(".")[0], "namespace": namespace}, "spec": {}}
            for host in hosts]


def _service_entry(name, namespace, hosts, location, resolution):
    return _object("networking.istio.io/v1", "ServiceEntry", name, namespace,
                   {"hosts": list(hosts), "exportTo": ["*"], "location": location,
                    "resolution": resolution})


def CreateExternalServiceEntry():
    entry = _service_entry("external-svc-wikipedia", "wikipedia", ["wikipedia.org"],
                           "MESH_EXTERNAL", "NONE")
    del entry["spec"]["resolution"]  # the helper leaves it unset
    entry["spec"]["ports"] = [{"number": 80, "name": "http-example", "protocol": "HTTP"}]
    return entry


def CreateEmptyMeshExternalServiceEntry(name, namespace, hosts):
    return _service_entry(name, namespace, hosts, "MESH_EXTERNAL", "DNS")


def CreateEmptyMeshInternalServiceEntry(name, namespace, hosts):
    return _service_entry(name, namespace, hosts, "MESH_INTERNAL", "NONE")


def CreateAuthorizationPolicy(source_namespaces, methods, hosts, selector):
    """auth-policy of bookinfo: one rule from the source namespaces to the methods and hosts,
    when request.headers is HTTP."""
    source = {"namespaces": list(source_namespaces)} if source_namespaces else {}
    operation = {}
    if methods:
        operation["methods"] = list(methods)
    if hosts:
        operation["hosts"] = list(hosts)
    spec = {"selector": {"matchLabels": dict(selector)},
            "rules": [{"from": [{"source": source}], "to": [{"operation": operation}],
                       "when": [{"key": "request.headers", "values": ["HTTP"]}]}]}
    return _object("security.istio.io/v1", "AuthorizationPolicy", "auth-policy", "bookinfo", spec)


def CreateAuthorizationPolicyWithPrincipals(name, namespace, principals):
    source = {"principals": list(principals)} if principals else {}
    return _object("security.istio.io/v1", "AuthorizationPolicy", name, namespace,
                   {"rules": [{"from": [{"source": source}]}]})


# Sidecars (tests/data/sidecar_data.go)
def CreateSidecar(name, namespace):
    return _object("networking.istio.io/v1", "Sidecar", name, namespace, {})


# WorkloadGroups (tests/data/workload_data.go)
def CreateWorkloadGroupWithLabels(namespace, name, labels):
    return _object("networking.istio.io/v1", "WorkloadGroup", name, namespace,
                   {"metadata": {"labels": dict(labels)}, "template": {"serviceAccount": "sa"}})


def CreateWorkloadGroups(conf):
    """Four WorkloadGroups of namespace `Namespace`, each with its own `app` label but the last,
    which has no metadata."""
    groups = [CreateWorkloadGroupWithLabels("Namespace", name, {"app": name})
              for name in ("ratings-vm", "ratings-vm2", "ratings-vm-no-entry")]
    for group in groups:
        group["spec"]["template"]["serviceAccount"] = "bookinfo-ratings"
    groups.append(_object("networking.istio.io/v1", "WorkloadGroup", "ratings-vm-no-labels",
                          "Namespace", {"template": {"serviceAccount": "bookinfo-ratings"}}))
    return groups


# What functions of Kiali's packages (and of Kubernetes') the tests call make of their
# arguments: indexes of objects are the objects, which the case gives as they are; a port given
# as a number or a name is that number or name; a checker's constructor is the checker with its
# fields.
GO_FUNCTIONS = {
    "kubernetes.KubeServiceFQDNs": lambda services, identity_domain: services,
    "kubernetes.ServiceEntryHostnames": lambda entries: entries,
    "config.NewConfig": lambda: {"constant": "config.NewConfig()"},
    "api_networking_v1.OutboundTrafficPolicy_Mode": lambda number: ["REGISTRY_ONLY",
                                                                    "ALLOW_ANY"][number],
    "intstr.FromInt": lambda number: number,
    "intstr.FromString": lambda name: name,
    "NewPortMappingChecker": lambda deployments, discovery, pods, service: {
        "struct": "PortMappingChecker",
        "fields": {"Deployments": deployments, "MeshDiscovery": discovery, "Pods": pods,
                   "Service": service}},
}

# The values of the package constants the tests use (kiali/kiali config/config.go).
GO_CONSTANTS = {
    "config.IstioSidecarAnnotation": "sidecar.istio.io/status",
    "config.AmbientAnnotation": "ambient.istio.io/redirection",
    "config.AmbientAnnotationEnabled": "enabled",
    "config.WaypointLabel": "gateway.istio.io/managed",
    "config.WaypointLabelValue": "istio.io-mesh-controller",
}

# Kubernetes API types the tests write as Go values: their kind and apiVersion.
GO_KINDS = {"Service": "v1", "Pod": "v1", "Deployment": "apps/v1"}


def kubernetes_object(value, kind=None, namespace=None, name=None):
    """A Kubernetes object the test writes as a Go struct value (`v1.Service{ObjectMeta: ...,
    Spec: ...}`; `kind` for an element of a list, whose type is elided), as a dict: fields in
    lower camel case, `ObjectMeta` as `metadata`, unset (nil) fields left out. An object the
    test gives no name or namespace gets `name` and `namespace`."""
    kind = kind or value["struct"].split(".")[-1]
    item = {"apiVersion": GO_KINDS[kind], "kind": kind}
    item.update(_go_value(value))
    metadata = item.setdefault("metadata", {})
    if namespace is not None:
        metadata.setdefault("namespace", namespace)
    if name is not None:
        metadata.setdefault("name", name)
    return item


def go_value(value):
    """A Go value read by the parser as it is written in YAML (see kubernetes_object)."""
    return _go_value(value)


def _go_value(value):
    if isinstance(value, list):
        return [_go_value(v) for v in value]
    if isinstance(value, dict) and "fields" in value:
        converted = {}
        for field, field_value in value["fields"].items():
            if field_value is None:
                continue
            key = "metadata" if field == "ObjectMeta" else field[0].lower() + field[1:]
            converted[key] = _go_value(field_value)
        return converted
    return value
