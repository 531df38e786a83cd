#!/usr/bin/env python3
"""Extracts the cases of Kiali's checker tests as data.

Usage: tools/extract_kiali_checkers.py UPSTREAM_DIR > tests/data/kiali-checkers/expectations.json

UPSTREAM_DIR is a copy of kiali/kiali holding `business/checkers/**` (the checkers' Go tests),
`tests/data/validations/**` (their YAML fixtures) and `models/istio_validation.go` (message keys,
KIA codes and severities), e.g. ../shared/reference/kiali-checkers. The Go files are read as
text, never vendored: this tool keeps the facts of each case (its test, the fixture it loads,
what the test's harness adds to it, the codes of the checker under test and the findings
expected per object) and writes them as JSON.

A case is one call of a test helper that loads a fixture and asserts on the result. What each
helper means is written down below (HARNESSES), from reading the helper in the Go test: which
checker it runs, on which objects, with which settings (auto mTLS, known namespaces, services),
and which findings it asserts. Tests that build their objects in Go code or assert inline are
listed as not converted. tests/unit/validate/kiali_conformance_test.cpp reads the result.

Tests that build their objects in Go code with Kiali's data helpers are read by
kiali_go_cases.py, for the test files named in GO_BUILT: each run of the checker becomes a case
whose input is the objects the helpers build (kiali_data_helpers.py), written as YAML. Every test
of business/checkers/** that becomes no case is listed under `unconverted`.
"""
import json
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiali_data_helpers  # noqa: E402
import kiali_go_cases  # noqa: E402

SEVERITIES = {"ErrorSeverity": "Error", "WarningSeverity": "Warning", "Unknown": "Info"}


def check_descriptors(models_go):
    """Message key → {code, severity} from `var checkDescriptors = map[string]IstioCheck{...}`."""
    table = {}
    pattern = re.compile(
        r'"([\w.]+)":\s*\{\s*Code:\s*"(KIA\d+)",\s*Message:\s*"(?:[^"\\]|\\.)*",\s*'
        r"Severity:\s*(\w+),")
    for key, code, severity in pattern.findall(models_go):
        table[key] = {"code": code, "severity": SEVERITIES[severity]}
    return table


def mesh_config_map(auto_mtls, allow_any=False):
    """The mesh config a case's harness implies, as the ConfigMap a cluster holds it in: auto
    mTLS on or off (None: not set), and the outbound traffic policy ALLOW_ANY when `allow_any`."""
    mesh = ""
    if auto_mtls is not None:
        mesh += "    enableAutoMtls: %s\n" % ("true" if auto_mtls else "false")
    if allow_any:
        mesh += "    outboundTrafficPolicy: {mode: ALLOW_ANY}\n"
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
            "data:\n  mesh: |\n" + mesh)


# The Service every Kubernetes cluster has. Kiali's harness states the cluster's Services in full
# (none, in some tests); getmesh judges hosts against Services only when the input holds some, so
# the cases of checkers that look hosts up in the registry hold this one, as a cluster would.
KUBERNETES_SERVICE = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\n"
                      "spec:\n  ports: [{name: https, port: 443}]\n")


# A pod every Kubernetes cluster runs, for the same reason: the workloads the harness gives are all
# there are (none, in some tests), which getmesh takes as known only when the input holds pods.
CLUSTER_DNS_POD = ("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: coredns\n"
                   "  namespace: kube-system\n  labels: {k8s-app: kube-dns}\n")


def objects_within(value):
    """The Kubernetes objects in a value the Go reader built (an object, lists and maps of them,
    the arguments of an opaque call such as kubernetes.KubeServiceFQDNs(services, ...))."""
    if isinstance(value, dict):
        if "kind" in value and "metadata" in value:
            return [value]
        return [o for item in value.values() for o in objects_within(item)]
    if isinstance(value, list):
        return [o for item in value for o in objects_within(item)]
    return []


def context_objects(fields, names, given):
    """The objects of the checker's `names` fields that are not among `given` (the judged ones),
    each once; workloads of one name (Kiali's tests give several pods the same name) are told
    apart by a suffix, as a cluster would name their pods."""
    seen = {kiali_go_cases.object_id(o) for o in given}
    found = []
    for name in names:
        for item in objects_within(fields.get(name)):
            key = kiali_go_cases.object_id(item)
            if key in seen and item["kind"] == "Pod":
                item = dict(item, metadata=dict(item["metadata"]))
                number = 2
                while "%s-%d" % (key, number) in seen:
                    number += 1
                item["metadata"]["name"] += "-%d" % number
                key = kiali_go_cases.object_id(item)
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def namespaces(names):
    """Namespace objects of the names given (a test's `[]string` or `models.Namespaces` of
    `{Name: ...}`); Namespace objects the data helpers build are input of their own."""
    names = [name if isinstance(name, str) else name["fields"]["Name"] for name in names
             if isinstance(name, str) or (isinstance(name, dict) and "struct" in name)]
    return "".join("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n" % name
                   for name in names)


def service(name, ns):
    """data.CreateFakeServicesWithSelector(name, ns): a Service selecting app=<name>."""
    return ("---\napiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\n"
            "spec:\n  selector: {app: %s}\n  ports: [{name: http, port: 9080}]\n" % (name, ns, name))


def objects_of(path, kind):
    """"Kind ns/name" of the fixture's objects of `kind`, in file order."""
    with open(path) as stream:
        return ["%s %s/%s" % (doc["kind"], doc["metadata"].get("namespace", "default"),
                              doc["metadata"]["name"])
                for doc in yaml.safe_load_all(stream) if doc and doc.get("kind") == kind]


# Per test file: the fixture folder and, per helper, a function of (fixture path, call arguments)
# returning the case's extra input, the message keys of the checker under test, the objects judged
# (None: every object) and the expected findings as (message key, object).
def mtls_enabled(present):
    def case(path, args):
        policy = "AuthorizationPolicy bookinfo/policy"
        return {
            "extra_yaml": mesh_config_map("true" in args[1:]) + service("ratings", "bookinfo"),
            "keys": ["authorizationpolicy.mtls.needstobeenabled"],
            "objects": None,
            "expected": [("authorizationpolicy.mtls.needstobeenabled", policy)] if present else [],
        }
    return case


def first_object(kind, key, present):
    """A checker run on the fixture's first object of `kind`; `key` on it when `present`."""
    def case(path, args):
        judged = objects_of(path, kind)[0]
        return {
            "extra_yaml": "",
            "keys": [key],
            "objects": [judged],
            "expected": [(key, judged)] if present else [],
        }
    return case


def export_to(present):
    """ExportToNamespaceChecker on the first object of the kind named, namespaces known."""
    def case(path, args):
        judged = objects_of(path, args[1])[0]
        key = "generic.exportto.namespacenotfound"
        return {
            "extra_yaml": namespaces(["bookinfo", "bookinfo2", "default"]),
            "keys": [key],
            "objects": [judged],
            "expected": [(key, judged)] if present else [],
        }
    return case


HARNESSES = {
    "authorization/mtls_enabled_checker_test.go": {
        "fixtures": "authorization",
        "helpers": {
            "testNoMtlsChecker": mtls_enabled(False),
            "testMtlsCheckerPresent": mtls_enabled(True),
        },
        "preps": {"mtlsCheckerTestPrep": mtls_enabled},
    },
    # assertIstioObjectInvalidNamespace loads dr_exportto_invalid.yaml whatever it is given (a
    # slip in the Go helper); the case here loads the fixture the test names, which is what the
    # test means and fails the same way.
    "common/export_to_namespace_checker_test.go": {
        "fixtures": "exportto",
        "helpers": {
            "assertIstioObjectValid": export_to(False),
            "assertIstioObjectInvalidNamespace": export_to(True),
        },
    },
    "destinationrules/disabled_meshwide_mtls_checker_test.go": {
        "fixtures": "destinationrules",
        "helpers": {
            "testNoDestRuleDisabledValidations": first_object(
                "DestinationRule", "destinationrules.mtls.meshpolicymtlsenabled", False),
            "testWithDestRuleDisabledValidations": first_object(
                "DestinationRule", "destinationrules.mtls.meshpolicymtlsenabled", True),
        },
    },
    "peerauthentications/disabled_meshwide_checker_test.go": {
        "fixtures": "peerauthentications",
        "helpers": {
            "testNoDisabledMeshValidations": first_object(
                "PeerAuthentication", "peerauthentications.mtls.disablemeshdestinationrulemissing",
                False),
            "testWithDisabledMeshValidations": first_object(
                "PeerAuthentication", "peerauthentications.mtls.disablemeshdestinationrulemissing",
                True),
        },
    },
    "peerauthentications/disabled_namespacewide_checker_test.go": {
        "fixtures": "peerauthentications",
        "helpers": {
            "testNoDisabledNsValidations": first_object(
                "PeerAuthentication", "peerauthentications.mtls.disabledestinationrulemissing",
                False),
            "testWithDisabledNsValidations": first_object(
                "PeerAuthentication", "peerauthentications.mtls.disabledestinationrulemissing",
                True),
        },
    },
    "virtualservices/subset_presence_checker_test.go": {
        "fixtures": "virtualservices",
        "helpers": {
            "testNoSubsetPresenceValidationsFound": first_object(
                "VirtualService", "virtualservices.subsetpresent.subsetnotfound", False),
            "testSubsetPresenceValidationsFound": first_object(
                "VirtualService", "virtualservices.subsetpresent.subsetnotfound", True),
        },
        "preps": {
            "subsetPresenceCheckerPrep": lambda present: first_object(
                "VirtualService", "virtualservices.subsetpresent.subsetnotfound", present),
        },
    },
}


# Per test file whose cases build their objects in Go code: the checker struct the test runs,
# the fields of it that hold the objects judged, the message key of the check, the kind of the
# objects the test looks up in the result.
# policy and mTLS: what the tests of single-object checkers give besides the object judged.
def principals_harness(fields):
    """PrincipalsChecker: the accounts of the cluster judged (`Cluster`; other clusters' accounts
    are not given: config-validate reads one cluster) as ServiceAccounts, and its known trust
    domains as the mesh's trust domain and aliases (none given: Istio's default). The test
    states the cluster's accounts in full, none included: the account every cluster has
    (`default` of namespace `default`) says so, as a cluster's list would."""
    cluster = fields.get("Cluster", "")
    cluster = cluster["constant"] if isinstance(cluster, dict) else cluster
    accounts = (fields.get("ServiceAccounts") or {}).get(cluster) or []
    domains = fields.get("KnownTrustDomains") or []
    extra = ""
    if domains:
        extra += ("---\napiVersion: v1\nkind: ConfigMap\n"
                  "metadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n"
                  "    trustDomain: %s\n    trustDomainAliases: [%s]\n"
                  % (domains[0], ", ".join(domains[1:])))
    if any(other != cluster for other in fields.get("ServiceAccounts") or {}):
        # the mesh spans other clusters: istiod holds a remote Secret for each
        extra += "".join(
            "---\napiVersion: v1\nkind: Secret\nmetadata: {name: istio-remote-secret-%s, "
            "namespace: istio-system, labels: {istio/multiCluster: \"true\"}}\n"
            "stringData: {%s: kubeconfig}\n" % (other, other)
            for other in fields["ServiceAccounts"] if other != cluster)
    seen = set()
    for principal in ["cluster.local/ns/default/sa/default"] + list(accounts):
        match = re.match(r"^[^/]+/ns/([^/]+)/sa/([^/]+)$", principal)
        if match and match.groups() not in seen:
            seen.add(match.groups())
            extra += ("---\napiVersion: v1\nkind: ServiceAccount\n"
                      "metadata: {name: %s, namespace: %s}\n" % (match.group(2), match.group(1)))
    return extra


def without_unset(value):
    """A value the Go reader built without its nil fields (Go leaves them out of the YAML)."""
    if isinstance(value, dict):
        return {key: without_unset(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_unset(item) for item in value]
    return value


def workload_group_accounts_harness(fields):
    """ServiceAccountsChecker: the accounts of the cluster as ServiceAccounts, and its identity
    domain (`svc.<trust domain>`) as the mesh's trust domain."""
    domain = fields.get("IdentityDomain") or "svc.cluster.local"
    domain = domain[len("svc."):] if domain.startswith("svc.") else domain
    return principals_harness(dict(fields, KnownTrustDomains=[domain]))


def port_mapping_objects(fields):
    """PortMappingChecker: the tests write the Deployments and Pods as Go values of elided type,
    without name or namespace (the checker is handed those of the Service's namespace): they
    become objects of the Service's namespace with a name of their own."""
    service = without_unset(fields["Service"])
    namespace = service["metadata"]["namespace"]
    prepared = dict(fields, Service=service)
    for field, kind in (("Deployments", "Deployment"), ("Pods", "Pod")):
        prepared[field] = []
        for index, value in enumerate(fields.get(field) or [], 1):
            value = without_unset(kiali_data_helpers.plain(value))
            value["metadata"] = value.pop("objectMeta", {})
            item = dict(value, apiVersion="apps/v1" if kind == "Deployment" else "v1", kind=kind)
            item["metadata"] = dict(value.get("metadata") or {}, namespace=namespace,
                                    name="%s-%d" % (kind.lower(), index))
            prepared[field].append(item)
    return prepared


def port_mapping_harness(fields):
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=False)
                   for o in fields["Deployments"] + fields["Pods"])


GO_BUILT = {
    "destinationrules/multi_match_checker_test.go": {
        "checker": "MultiMatchChecker", "fields": ["DestinationRules"],
        "key": "destinationrules.multimatch", "kind": "DestinationRule",
    },
    "destinationrules/multi_match_exported_checker_test.go": {
        "checker": "MultiMatchChecker", "fields": ["DestinationRules"],
        "key": "destinationrules.multimatch", "kind": "DestinationRule",
    },
    "virtualservices/single_exported_host_checker_test.go": {
        "checker": "SingleHostChecker", "fields": ["VirtualServices"],
        "key": "virtualservices.singlehost", "kind": "VirtualService",
    },
    "virtualservices/single_host_checker_test.go": {
        "checker": "SingleHostChecker", "fields": ["VirtualServices"],
        "key": "virtualservices.singlehost", "kind": "VirtualService",
    },
    "destinationrules/traffic_policy_checker_test.go": {
        "checker": "TrafficPolicyChecker", "fields": ["DestinationRules"],
        "key": "destinationrules.trafficpolicy.notlssettings", "kind": "DestinationRule",
    },
    "destinationrules/traffic_policy_exported_checker_test.go": {
        "checker": "TrafficPolicyChecker", "fields": ["DestinationRules"],
        "key": "destinationrules.trafficpolicy.notlssettings", "kind": "DestinationRule",
    },
    # checkers of one object: their result is the list of that object's checks
    "destinationrules/meshwide_mtls_checker_test.go": {
        "checker": "MeshWideMTLSChecker", "fields": ["DestinationRule"],
        "keys": ["destinationrules.mtls.meshpolicymissing"],
    },
    "destinationrules/disabled_namespacewide_mtls_checker_test.go": {
        "checker": "DisabledNamespaceWideMTLSChecker", "fields": ["DestinationRule"],
        "keys": ["destinationrules.mtls.policymtlsenabled",
                 "destinationrules.mtls.meshpolicymtlsenabled"],
    },
    "destinationrules/namespacewide_mtls_checker_test.go": {
        "checker": "NamespaceWideMTLSChecker", "fields": ["DestinationRule"],
        "keys": ["destinationrules.mtls.nspolicymissing"],
    },
    "virtualservices/route_checker_test.go": {
        "checker": "RouteChecker", "fields": ["VirtualService"],
        "keys": ["virtualservices.route.singleweight", "virtualservices.route.repeatedsubset"],
    },
    # "context": fields whose objects are input beside the judged ones (not judged themselves)
    "destinationrules/no_dest_checker_test.go": {
        "cluster_services": True,
        "checker": "NoDestinationChecker", "fields": ["DestinationRule"],
        "context": ["WorkloadsPerNamespace", "Services", "KubeServiceHosts", "ServiceEntries",
                    "VirtualServices"],
        "keys": ["destinationrules.nodest.matchingregistry", "destinationrules.nodest.subsetlabels",
                 "destinationrules.nodest.subsetnolabels"],
        # Error or Info (a subset a route uses or not), Warning or Info, Error or Warning
        # (ALLOW_ANY)
        "severity_varies": ["destinationrules.nodest.matchingregistry",
                            "destinationrules.nodest.subsetlabels",
                            "destinationrules.nodest.subsetnolabels"],
    },
    "virtualservices/no_gateway_checker_test.go": {
        "checker": "NoGatewayChecker", "fields": ["VirtualService"], "context": ["GatewayNames"],
        "keys": ["virtualservices.nogateway", "virtualservices.gateway.oldnomenclature"],
    },
    "virtualservices/no_host_checker_test.go": {
        "cluster_services": True,
        "checker": "NoHostChecker", "fields": ["VirtualService"],
        "context": ["KubeServiceHosts", "ServiceEntryHosts"],
        "keys": ["virtualservices.nohost.hostnotfound"],
        "severity_varies": ["virtualservices.nohost.hostnotfound"],  # Error, or Warning (ALLOW_ANY)
    },
    "gateways/multi_match_checker_test.go": {
        "checker": "MultiMatchChecker", "fields": ["Gateways"],
        "key": "gateways.multimatch", "kind": "Gateway",
    },
    "gateways/selector_checker_test.go": {
        "checker": "SelectorChecker", "fields": ["Gateway"], "context": ["WorkloadsPerNamespace"],
        "cluster_workloads": True,
        "keys": ["gateways.selector"],
    },
    "k8shttproutes/no_host_checker_test.go": {
        "checker": "NoHostChecker", "fields": ["K8sHTTPRoute"], "cluster_services": True,
        "context": ["Services", "K8sReferenceGrants", "Namespaces"],
        "keys": ["k8sroutes.nohost.namenotfound"],
    },
    "k8sgrpcroutes/no_host_checker_test.go": {
        "checker": "NoHostChecker", "fields": ["K8sGRPCRoute"], "cluster_services": True,
        "context": ["Services", "K8sReferenceGrants", "Namespaces"],
        "keys": ["k8sroutes.nohost.namenotfound"],
    },
    "k8shttproutes/no_k8sgateway_checker_test.go": {
        "checker": "NoK8sGatewayChecker", "fields": ["K8sHTTPRoute"],
        "context": ["GatewayNames", "Namespaces"], "keys": ["k8sroutes.nok8sgateway"],
    },
    "k8sgrpcroutes/no_k8sgateway_checker_test.go": {
        "checker": "NoK8sGatewayChecker", "fields": ["K8sGRPCRoute"],
        "context": ["GatewayNames", "Namespaces"], "keys": ["k8sroutes.nok8sgateway"],
    },
    # checkers of all objects of some kinds whose tests assert codes per object
    # (`hasCheckCode(vals[key], "KIA0201")`)
    "sidecar_import_conflict_test.go": {
        "checker": ["DestinationRulesChecker", "VirtualServiceChecker", "ServiceEntryChecker"],
        "fields": ["DestinationRules", "VirtualServices", "ServiceEntries"],
        "context": ["ImportScope"], "check_codes": True,
    },
    "sidecars/global_checker_test.go": {
        "checker": "GlobalChecker", "constructor": {"NewGlobalChecker": ["RootNamespace", "Sidecar"]},
        "fields": ["Sidecar"], "keys": ["sidecar.global.selector"],
    },
    "k8sgateways/multi_match_checker_test.go": {
        "checker": "MultiMatchChecker", "fields": ["K8sGateways"], "kind": "Gateway",
        "keys_by_name": [("Address", "k8sgateways.multimatch.ip"),
                         ("Unique", "k8sgateways.unique.listener"),
                         ("", "k8sgateways.multimatch.listener")],
    },
    "k8sreferencegrants/namespace_checker_test.go": {
        "checker": "NamespaceChecker", "fields": ["ReferenceGrant"],
        "keys": ["k8sreferencegrants.from.namespacenotfound"],
    },
    "serviceentries/multi_match_checker_test.go": {
        "checker": "MultiMatchChecker", "fields": ["ServiceEntries"], "kind": "ServiceEntry",
        "keys": ["serviceentries.multimatch", "serviceentries.port.protocol.conflict"],
    },
    "common/multi_match_selector_checker_test.go": {
        "checker": "GenericMultiMatchChecker", "kind": "Sidecar",
        "constructor": {
            "SidecarSelectorMultiMatchChecker": ["Cluster", "Kind", "Sidecars", "Workloads"],
            "PeerAuthenticationMultiMatchChecker": ["Cluster", "Kind", "PeerAuthentications",
                                                    "Workloads"],
        },
        "fields": ["Sidecars", "PeerAuthentications"], "context": ["Workloads"],
        "keys": ["generic.multimatch.selectorless", "generic.multimatch.selector"],
    },
    "k8shttproute_checker_test.go": {
        "checker": "K8sHTTPRouteChecker", "fields": ["K8sHTTPRoutes"], "kind": "HTTPRoute",
        "context": ["K8sGateways", "Services", "K8sReferenceGrants", "Namespaces"],
        "cluster_services": True,
        "keys": ["k8sroutes.nok8sgateway", "k8sroutes.nohost.namenotfound"],
    },
    "k8sgrpcroute_checker_test.go": {
        "checker": "K8sGRPCRouteChecker", "fields": ["K8sGRPCRoutes"], "kind": "GRPCRoute",
        "context": ["K8sGateways", "Services", "K8sReferenceGrants", "Namespaces"],
        "cluster_services": True,
        "keys": ["k8sroutes.nok8sgateway", "k8sroutes.nohost.namenotfound"],
    },
    "k8sreferencegrants_checker_test.go": {
        "checker": "K8sReferenceGrantChecker", "fields": ["K8sReferenceGrants"],
        "kind": "ReferenceGrant", "keys": ["k8sreferencegrants.from.namespacenotfound"],
    },
    # its fixture-based tests are HARNESSES'; a test building its objects as struct literals
    "virtualservices/subset_presence_checker_test.go": {
        "checker": "SubsetPresenceChecker", "fields": ["VirtualService"], "context": ["DRSubsets"],
        "keys": ["virtualservices.subsetpresent.subsetnotfound"],
    },
    "sidecars/egress_listener_checker_test.go": {
        "cluster_services": True,
        "checker": "EgressHostChecker", "fields": ["Sidecar"],
        "context": ["KubeServiceHosts", "ServiceEntries"],
        "keys": ["sidecar.egress.servicenotfound"],
    },
    # policy and mTLS
    "authorization/no_host_checker_test.go": {
        "checker": "NoHostChecker", "fields": ["AuthorizationPolicy"],
        "keys": ["authorizationpolicy.nodest.matchingregistry"], "table": True,
        "context": ["KubeServiceHosts", "ServiceEntries", "VirtualServices"],
    },
    "authorization/namespace_method_checker_test.go": {
        "checker": "NamespaceMethodChecker", "fields": ["AuthorizationPolicy"],
        "keys": ["authorizationpolicy.source.namespacenotfound",
                 "authorizationpolicy.to.wrongmethod"],
    },
    "authorization/principals_checker_test.go": {
        "checker": "PrincipalsChecker", "fields": ["AuthorizationPolicy"],
        "keys": ["authorizationpolicy.source.principalnotfound",
                 "authorizationpolicy.source.principalremote",
                 "authorizationpolicy.source.principalforeign"],
        "harness": principals_harness,
    },
    "peerauthentications/mesh_mtls_checker_test.go": {
        "checker": "MeshMtlsChecker", "fields": ["MeshPolicy"],
        "keys": ["peerauthentication.mtls.destinationrulemissing"],
    },
    "peerauthentications/namespace_mtls_checker_test.go": {
        "checker": ["NamespaceMtlsChecker", "MeshMtlsChecker"],
        "fields": ["PeerAuthn", "MeshPolicy"],
        "keys": ["peerauthentications.mtls.destinationrulemissing",
                 "peerauthentication.mtls.destinationrulemissing"],
    },
    "gateways/port_checker_test.go": {
        "checker": "PortChecker", "fields": ["Gateway"], "keys": ["port.name.mismatch"],
    },
    "serviceentries/port_checker_test.go": {
        "checker": "PortChecker", "fields": ["ServiceEntry"], "keys": ["port.name.mismatch"],
    },
    "workloadgroups/duplicate_labels_checker_test.go": {
        "checker": "DuplicateLabelsChecker", "fields": ["WorkloadGroups"],
        "key": "workloadgroup.labels.duplicate", "kind": "WorkloadGroup",
    },
    "workloadgroups/service_accounts_checker_test.go": {
        "checker": "ServiceAccountsChecker", "fields": ["WorkloadGroup"],
        "keys": ["workloadgroup.template.serviceaccount.notfound"], "table": True,
        "harness": workload_group_accounts_harness,
    },
    "sidecars/outbound_traffic_policy_mode_test.go": {
        "checker": "OutboundTrafficPolicyModeChecker", "fields": ["Sidecar"],
        "keys": ["sidecar.outboundtrafficpolicy.mode.ambiguous"],
    },
    "services/port_mapping_checker_test.go": {
        "checker": "PortMappingChecker", "fields": ["Service"],
        "keys": ["port.name.mismatch", "port.appprotocol.mismatch",
                 "service.deployment.port.mismatch"],
        "constructor": {"NewPortMappingChecker": ["Deployments", "MeshDiscovery", "Pods",
                                                  "Service"]},
        "prepare": port_mapping_objects, "harness": port_mapping_harness,
    },
}


# KIA code → a message key of it (tests that assert codes, not messages)
KEY_OF_CODE = {}


def go_built_cases(test_file, source, package_source, family, descriptors, cases, unconverted):
    """The cases of a test file whose tests build their objects with Kiali's data helpers."""
    converted = {case["id"].split("#")[0] for case in cases}
    tests = []
    for name, body in test_bodies(source):
        table = kiali_go_cases.table_bodies(body) if family.get("table") else []
        # a table-driven test: each entry of its table is a case of its own
        tests += [("%s#%s" % (name, entry), text) for entry, text in table] or [(name, body)]
    for name, body in tests:
        test_id = "%s:%s" % (test_file, name)
        if test_id in converted:
            continue  # a fixture-based test its harness converted
        checkers = family["checker"] if isinstance(family["checker"], list) else [family["checker"]]
        found = [run for checker in checkers
                 for run in kiali_go_cases.runs(body, source, package_source, checker,
                                                family.get("constructor"))]
        if not found:
            unconverted.append(test_id)
            continue
        for number, (fields, assertions) in enumerate(found, 1):
            case_id = test_id + ("#%d" % number if len(found) > 1 else "")
            if "prepare" in family:
                fields = family["prepare"](fields)  # objects the test leaves unnamed
            objects = [fields[field] for field in family["fields"] if field in fields]
            objects = [o for value in objects for o in (value if isinstance(value, list) else [value])]
            keys = family.get("keys") or [family.get("key")]
            if "keys_by_name" in family:
                # tests that assert findings without naming the check: the test's name does
                keys = [key for _, key in family["keys_by_name"]]
                family = dict(family, key=next(key for word, key in family["keys_by_name"]
                                               if word in name))
            if family.get("check_codes"):
                decided = kiali_go_cases.check_code_expectations(assertions)
                if decided:
                    keys = sorted({KEY_OF_CODE[code] for _, code, _ in decided[1]})
                    decided = (decided[0], [(KEY_OF_CODE[code], judged, None)
                                            for judged, code, present in decided[1] if present])
            elif "kind" in family and "keys" in family:
                decided = kiali_go_cases.keyed_object_expectations(objects, assertions,
                                                                   family["kind"], keys)
            elif "key" in family:
                decided = kiali_go_cases.expectations(objects, assertions, family["kind"],
                                                      family["key"])
            elif len(objects) == 1:
                decided = kiali_go_cases.single_object_expectations(objects[0], assertions, keys)
            else:
                decided = None
            if not objects or decided is None:
                unconverted.append(case_id)
                continue
            judged, expected = decided
            extra = namespaces(fields.get("Namespaces") or [])
            objects += context_objects(fields, family.get("context", []), objects)
            if family.get("cluster_services"):
                extra += KUBERNETES_SERVICE
            if family.get("cluster_workloads"):
                extra += CLUSTER_DNS_POD
            details = fields.get("MTLSDetails")
            if fields.get("PolicyAllowAny") is True:
                extra += "---\n" + mesh_config_map(None, allow_any=True)
            if details:
                # the mTLS state the test gives: PeerAuthentications, and auto mTLS (off unless set)
                extra += "---\n" + mesh_config_map(details["fields"].get("EnabledAutoMtls", False))
                # and the mesh's DestinationRules; one the test also gives as an object under
                # test is that object (a cluster holds one object per name)
                given = {kiali_go_cases.object_id(o) for o in objects}
                for field in ("MeshPeerAuthentications", "PeerAuthentications", "DestinationRules"):
                    objects += [o for o in details["fields"].get(field) or []
                                if kiali_go_cases.object_id(o) not in given]
            if "harness" in family:
                extra += family["harness"](fields)  # accounts, trust domains, workloads
            extra += "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects)
            case = {
                "id": case_id,
                "files": [],
                "extra_yaml": extra,
                "codes": sorted({descriptors[key]["code"] for key in keys}),
                "objects": judged,
                "expected": [expected_finding(descriptors, *finding,
                                              varies=family.get("severity_varies", ()))
                             for finding in expected],
            }
            scope = fields.get("ImportScope")
            if isinstance(scope, dict) and scope.get("call") == "common.NewImportScope":
                # Kiali validated the view of one namespace (the scope's): `config-validate -n`
                case["namespace"] = scope["arguments"][0]
            if re.search(r"Validations\.SkipWildcardGatewayHosts\s*=\s*true", body):
                # Kiali's feature flag: `config-validate --skip-wildcard-gateway-hosts`
                case["skip_wildcard_gateway_hosts"] = True
            cases.append(case)


def expected_finding(descriptors, key, judged, severity=None, varies=()):
    """A finding of message `key` on `judged`, of the severity the test asserts. When it asserts
    none: the catalogue's, or any (null) for the keys whose severity the checker changes
    (`varies`)."""
    finding = dict(object=judged, **descriptors[key])
    if severity:
        finding["severity"] = severity
    elif key in varies:
        finding["severity"] = None
    return finding


def test_bodies(source):
    """(name, body) of each `func TestX(t *testing.T)` in a Go test file."""
    pattern = re.compile(r"^func (Test\w+)\(t \*testing\.T\) \{\n(.*?)^\}\n", re.M | re.S)
    return pattern.findall(source)


def calls(body, harness):
    """(case function, [arguments]) of each call of a helper in a test body, in order.

    A helper asserts by itself; a prep function (`preps`) only runs the checker, and the test
    then asserts inline: findings are expected when it asserts some are present."""
    helpers, preps = harness["helpers"], harness.get("preps", {})
    names = "|".join(map(re.escape, list(helpers) + list(preps)))
    for match in re.finditer(r"\b(%s)\(([^()]*)\)" % names, body):
        arguments = [arg.strip().strip('"') for arg in match.group(2).split(",")]
        if match.group(1) in helpers:
            yield helpers[match.group(1)], arguments
        else:
            present = "AssertValidationsPresent(" in body[match.end():]
            yield preps[match.group(1)](present), arguments


def main(upstream):
    checkers = os.path.join(upstream, "business/checkers")
    kiali_go_cases.UPSTREAM = upstream
    with open(os.path.join(upstream, "models/istio_validation.go")) as stream:
        descriptors = check_descriptors(stream.read())
    for key, descriptor in sorted(descriptors.items(), reverse=True):
        KEY_OF_CODE[descriptor["code"]] = key
    cases, unconverted = [], []
    for test_file, harness in HARNESSES.items():
        with open(os.path.join(checkers, test_file)) as stream:
            source = stream.read()
        for name, body in test_bodies(source):
            found = list(calls(body, harness))
            if not found:
                unconverted.append("%s:%s" % (test_file, name))
                continue
            for number, (case_facts, args) in enumerate(found, 1):
                fixture = "%s/%s" % (harness["fixtures"], args[0])
                facts = case_facts(
                    os.path.join(upstream, "tests/data/validations", fixture), args)
                case_id = "%s:%s" % (test_file, name)
                if len(found) > 1:
                    case_id += "#%d" % number
                cases.append({
                    "id": case_id,
                    "files": [fixture],
                    "extra_yaml": facts["extra_yaml"],
                    "codes": sorted({descriptors[key]["code"] for key in facts["keys"]}),
                    "objects": facts["objects"],
                    "expected": [dict(object=obj, **descriptors[key])
                                 for key, obj in facts["expected"]],
                })
    for test_file, family in GO_BUILT.items():
        with open(os.path.join(checkers, test_file)) as stream:
            source = stream.read()
        folder = os.path.dirname(os.path.join(checkers, test_file))
        package_source = ""
        for name in sorted(os.listdir(folder)):
            if name.endswith("_test.go"):
                with open(os.path.join(folder, name)) as stream:
                    package_source += stream.read()
        go_built_cases(test_file, source, package_source, family, descriptors, cases, unconverted)
    for folder, _, names in sorted(os.walk(checkers)):
        for file_name in sorted(names):
            test_file = os.path.relpath(os.path.join(folder, file_name), checkers)
            if not file_name.endswith("_test.go") or test_file in HARNESSES or test_file in GO_BUILT:
                continue
            with open(os.path.join(folder, file_name)) as stream:
                unconverted += ["%s:%s" % (test_file, name) for name, _ in test_bodies(stream.read())]
    # a test of a file both read (HARNESSES and GO_BUILT) that one of them converted
    tests = {case["id"].split("#")[0] for case in cases}
    unconverted = [test for test in unconverted if "#" in test or test not in tests]
    with open(os.path.join(upstream, "COMMIT")) as stream:
        commit = stream.read().strip()
    json.dump({"commit": commit, "cases": cases, "unconverted": unconverted}, sys.stdout,
              indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
