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


def plain(value):
    """A Go struct literal the test writes itself (`&api_networking_v1.Subset{Name: ...}`), as the
    object's YAML field names (Go's field names with a lower-case first letter)."""
    if isinstance(value, dict) and "struct" in value:
        return {key[0].lower() + key[1:]: plain(item) for key, item in value["fields"].items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def AddSubsetToDestinationRule(subset, rule):
    """Appends, as the Go helper does (Kiali's helpers nest these calls inside out)."""
    rule["spec"].setdefault("subsets", []).append(plain(subset))
    return rule


def CreateCustomLabelSubset(name, label_key, label_value):
    return {"name": name, "labels": {label_key: label_value}}


def CreateDestinationRuleWithLabel(namespace, name, host, label_key, label_value):
    return AddSubsetToDestinationRule(CreateCustomLabelSubset("v1", label_key, label_value),
                                      CreateEmptyDestinationRule(namespace, name, host))


def CreateNoSubsetLabelsDestinationRule(namespace, name, host):
    rule = CreateEmptyDestinationRule(namespace, name, host)
    AddSubsetToDestinationRule(CreateNoLabelsSubset("v2"), rule)
    return AddSubsetToDestinationRule(CreateNoLabelsSubset("v1"), rule)


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


def CreateVirtualService():
    service = CreateEmptyVirtualService("reviews", "test", ["reviews"])
    AddTcpRoutesToVirtualService(CreateTcpRoute("reviews", "v1", -1), service)
    return AddHttpRoutesToVirtualService(CreateHttpRouteDestination("reviews", "v1", -1), service)


def CreateVirtualServiceWithServiceEntryTarget():
    service = CreateEmptyVirtualService("my-wiki-rule", "wikipedia", ["wikipedia.org"])
    service["spec"]["http"] = [{"timeout": "5s",
                                "route": [{"destination": {"host": "wikipedia.org"}}]}]
    return service


# Workloads and Services (tests/data/workload_data.go, service_data.go). A Kiali workload is what
# runs pods; a Pod with the workload's labels stands for it.
def CreateWorkload(namespace, name, labels):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": dict(labels or {})}}


def CreateWorkloadsPerNamespace(namespaces, workloads):
    return {namespace: workloads for namespace in namespaces}


def CreateFakeServicesWithSelector(name, namespace):
    return [_object("v1", "Service", name, namespace, {"selector": {"app": name}})]


def CreateFakeMultiServices(hosts, namespace):
    """A selector-less Service per host, named by the host's first label."""
    return [_object("v1", "Service", host.split(".")[0], namespace, {}) for host in hosts]


# ServiceEntries (tests/data/service_entry_data.go)
def CreateExternalServiceEntry():
    return _object("networking.istio.io/v1", "ServiceEntry", "external-svc-wikipedia", "wikipedia",
                   {"hosts": ["wikipedia.org"], "exportTo": ["*"], "location": "MESH_EXTERNAL",
                    "ports": [{"number": 80, "name": "http-example", "protocol": "HTTP"}]})


def CreateEmptyMeshExternalServiceEntry(name, namespace, hosts):
    return _object("networking.istio.io/v1", "ServiceEntry", name, namespace,
                   {"hosts": list(hosts), "exportTo": ["*"], "location": "MESH_EXTERNAL",
                    "resolution": "DNS"})


def CreateEmptyMeshInternalServiceEntry(name, namespace, hosts):
    return _object("networking.istio.io/v1", "ServiceEntry", name, namespace,
                   {"hosts": list(hosts), "exportTo": ["*"], "location": "MESH_INTERNAL",
                    "resolution": "NONE"})


def AddEndpointToServiceEntry(address, label_key, label_value, entry):
    entry["spec"]["endpoints"] = [{"address": address, "labels": {label_key: label_value}}]
    return entry


def CreateEmptyServicePortDefinition(port, port_name, protocol_name):
    return {"number": port, "name": port_name, "protocol": protocol_name}


def AddPortDefinitionToServiceEntry(port, entry):
    entry["spec"].setdefault("ports", []).append(port)
    return entry


# Gateways (tests/data/gateway_data.go)
def CreateEmptyGateway(name, namespace, selector):
    return _object("networking.istio.io/v1", "Gateway", name, namespace,
                   {"selector": dict(selector or {})})


def CreateEmptyPortDefinition(port, port_name, protocol_name):
    return {"number": port, "name": port_name, "protocol": protocol_name}


def CreateServer(hosts, port, port_name, protocol_name):
    return {"hosts": list(hosts), "port": CreateEmptyPortDefinition(port, port_name, protocol_name)}


def AddServerToGateway(server, gateway):
    gateway["spec"].setdefault("servers", []).append(plain(server))
    return gateway


# Sidecars (tests/data/sidecar_data.go)
def CreateSidecar(name, namespace):
    return _object("networking.istio.io/v1", "Sidecar", name, namespace, {})


def AddSelectorToSidecar(selector, sidecar):
    sidecar["spec"]["workloadSelector"] = {"labels": dict(selector)}
    return sidecar


def AddHostsToSidecar(hosts, sidecar):
    sidecar["spec"]["egress"] = [{"hosts": list(hosts)}]
    return sidecar


# Gateway API objects (tests/data/k8sgateway_data.go)
GATEWAY_API = "gateway.networking.k8s.io/v1"


def CreateEmptyHTTPRoute(name, namespace, hosts):
    return _object(GATEWAY_API, "HTTPRoute", name, namespace, {"hostnames": list(hosts or [])})


def CreateEmptyGRPCRoute(name, namespace, hosts):
    return _object(GATEWAY_API, "GRPCRoute", name, namespace, {"hostnames": list(hosts or [])})


def _parent_ref(route, name, namespace, group, kind):
    route["spec"].setdefault("parentRefs", []).append(
        {"name": name, "namespace": namespace, "group": group, "kind": kind})
    return route


def AddGatewayParentRefToHTTPRoute(name, namespace, route):
    return _parent_ref(route, name, namespace, "gateway.networking.k8s.io", "Gateway")


AddGatewayParentRefToGRPCRoute = AddGatewayParentRefToHTTPRoute


def AddServiceParentRefToHTTPRoute(name, namespace, route):
    return _parent_ref(route, name, namespace, "core", "Service")


AddServiceParentRefToGRPCRoute = AddServiceParentRefToHTTPRoute


def CreateHTTPRoute(name, namespace, gateway, hosts):
    return AddGatewayParentRefToHTTPRoute(gateway, namespace,
                                          CreateEmptyHTTPRoute(name, namespace, hosts))


def CreateGRPCRoute(name, namespace, gateway, hosts):
    return AddGatewayParentRefToGRPCRoute(gateway, namespace,
                                          CreateEmptyGRPCRoute(name, namespace, hosts))


def AddBackendRefToHTTPRoute(name, namespace, route):
    """A rule of one Service backend; an empty namespace is left unset (the route's own)."""
    reference = {"kind": "Service", "name": name}
    if namespace:
        reference["namespace"] = namespace
    route["spec"].setdefault("rules", []).append({"backendRefs": [reference]})
    return route


AddBackendRefToGRPCRoute = AddBackendRefToHTTPRoute


def CreateEmptyK8sGateway(name, namespace):
    return _object(GATEWAY_API, "Gateway", name, namespace, {"gatewayClassName": "istio"})


def AddListenerToK8sGateway(listener, gateway):
    gateway["spec"].setdefault("listeners", []).append(listener)
    return gateway


def AddGwAddressToK8sGateway(address, gateway):
    gateway["spec"].setdefault("addresses", []).append(address)
    return gateway


def CreateListener(name, hostname, port, protocol):
    return {"name": name, "hostname": hostname, "port": port, "protocol": protocol}


def CreateSharedListener(name, hostname, port, protocol):
    listener = CreateListener(name, hostname, port, protocol)
    listener["allowedRoutes"] = {"namespaces": {
        "from": "Selector", "selector": {"matchLabels": {"shared-gateway-access": "true"}}}}
    return listener


def CreateSharedToAllListener(name, hostname, port, protocol):
    listener = CreateListener(name, hostname, port, protocol)
    listener["allowedRoutes"] = {"namespaces": {"from": "All"}}
    return listener


def CreateSharedListenerWithMatchExpressions(name, hostname, port, protocol, key, values):
    listener = CreateListener(name, hostname, port, protocol)
    listener["allowedRoutes"] = {"namespaces": {"from": "Selector", "selector": {
        "matchExpressions": [{"key": key, "operator": "In", "values": list(values)}]}}}
    return listener


def CreateGWAddress(address_type, value):
    """The type is a Go constant (k8s_networking_v1.IPAddressType) or a string."""
    if isinstance(address_type, dict):
        address_type = {"k8s_networking_v1.IPAddressType": "IPAddress",
                        "k8s_networking_v1.HostnameAddressType": "Hostname",
                        "k8s_networking_v1.NamedAddressType": "NamedAddress"}[
                            address_type["constant"]]
    return {"type": address_type, "value": value}


def UpdateConditionWithError(gateway):
    gateway.setdefault("status", {}).setdefault("conditions", []).append(
        {"type": "Ready", "status": "False", "reason": "", "message": "Fake msg"})
    return gateway


def CreateReferenceGrantByKind(name, namespace, from_namespace, kind):
    return _object("gateway.networking.k8s.io/v1beta1", "ReferenceGrant", name, namespace, {
        "from": [{"kind": kind, "group": "gateway.networking.k8s.io",
                  "namespace": from_namespace}],
        "to": [{"kind": "Service", "group": ""}]})


def CreateReferenceGrant(name, namespace, from_namespace):
    return CreateReferenceGrantByKind(name, namespace, from_namespace, "HTTPRoute")


def CreateSharedNamespace(name):
    return CreateNamespaceWithLabels(name, {"shared-gateway-access": "true"})


def CreateNamespaceWithLabels(name, labels):
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": dict(labels or {})}}


# policy and mTLS: AuthorizationPolicies (tests/data/authorization_policy_data.go) and
# WorkloadGroups (tests/data/workload_data.go)
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


def CreateWorkloadGroupWithSA(account):
    """ratings-vm of bookinfo, running as `account` (unset when empty)."""
    template = {"serviceAccount": account} if account else {}
    return _object("networking.istio.io/v1", "WorkloadGroup", "ratings-vm", "bookinfo",
                   {"metadata": {"labels": {"app": "ratings-vm"}}, "template": template})
