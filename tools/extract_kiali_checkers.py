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


def mesh_config_map(auto_mtls):
    """The mesh config a case's harness implies, as the ConfigMap a cluster holds it in."""
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
            "data:\n  mesh: |\n    enableAutoMtls: %s\n" % ("true" if auto_mtls else "false"))


def namespaces(names):
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


# policy and mTLS: what the tests of single-object checkers give besides the object judged.
def mesh_settings(lines):
    """The `istio` ConfigMap holding a mesh config of the given lines."""
    return ("---\napiVersion: v1\nkind: ConfigMap\n"
            "metadata: {name: istio, namespace: istio-system}\n"
            "data:\n  mesh: |\n" + "".join("    %s\n" % line for line in lines))


def listed(value):
    """A field holding objects: a list of them, or nothing (nil, an empty map)."""
    return value if isinstance(value, list) else []


def registry_harness(fields):
    """NoHostChecker: the Services, ServiceEntries and VirtualServices it looks hosts up in, and
    the outbound traffic policy its PolicyAllowAny stands for."""
    mode = "ALLOW_ANY" if fields.get("PolicyAllowAny") else "REGISTRY_ONLY"
    objects = (listed(fields.get("KubeServiceHosts")) + listed(fields.get("ServiceEntries"))
               + listed(fields.get("VirtualServices")))
    return mesh_settings(["outboundTrafficPolicy: {mode: %s}" % mode]) + "".join(
        "---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects)


def allow_any_severity(fields, key):
    return "Warning" if fields.get("PolicyAllowAny") else None


def principals_harness(fields):
    """PrincipalsChecker: the accounts of the cluster judged (`Cluster`; other clusters' accounts
    are not given: config-validate reads one cluster) as ServiceAccounts, and its known trust
    domains as the mesh's trust domain and aliases (none given: Istio's default)."""
    cluster = fields.get("Cluster", "")
    cluster = cluster["constant"] if isinstance(cluster, dict) else cluster
    accounts = (fields.get("ServiceAccounts") or {}).get(cluster) or []
    domains = fields.get("KnownTrustDomains") or []
    extra = ""
    if domains:
        extra += mesh_settings(["trustDomain: %s" % domains[0],
                                "trustDomainAliases: [%s]" % ", ".join(domains[1:])])
    seen = set()
    for principal in accounts:
        match = re.match(r"^[^/]+/ns/([^/]+)/sa/([^/]+)$", principal)
        if match and match.groups() not in seen:
            seen.add(match.groups())
            extra += ("---\napiVersion: v1\nkind: ServiceAccount\n"
                      "metadata: {name: %s, namespace: %s}\n" % (match.group(2), match.group(1)))
    return extra


def port_mapping_objects(fields):
    """PortMappingChecker: its Service, Deployments and Pods as objects. The tests give the
    Deployments and Pods without name or namespace (the checker is handed those of the
    Service's namespace): they get the Service's namespace and a name of their own."""
    service = kiali_data_helpers.kubernetes_object(fields["Service"])
    namespace = service["metadata"]["namespace"]
    prepared = dict(fields, Service=service)
    for field, kind in (("Deployments", "Deployment"), ("Pods", "Pod")):
        prepared[field] = [kiali_data_helpers.kubernetes_object(value, kind, namespace,
                                                                 "%s-%d" % (kind.lower(), index))
                           for index, value in enumerate(fields.get(field) or [], 1)]
    return prepared


def port_mapping_harness(fields):
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=False)
                   for o in fields["Deployments"] + fields["Pods"])


# Per test file whose cases build their objects in Go code: the checker struct the test runs,
# the fields of it that hold the objects judged, the message key of the check, the kind of the
# objects the test looks up in the result.
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
    # policy and mTLS
    "authorization/no_host_checker_test.go": {
        "checker": "NoHostChecker", "fields": ["AuthorizationPolicy"],
        "keys": ["authorizationpolicy.nodest.matchingregistry"],
        "harness": registry_harness, "severity": allow_any_severity,
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
        "checker": "NamespaceMtlsChecker", "fields": ["PeerAuthn"],
        "keys": ["peerauthentications.mtls.destinationrulemissing"],
    },
    "workloadgroups/duplicate_labels_checker_test.go": {
        "checker": "DuplicateLabelsChecker", "fields": ["WorkloadGroups"],
        "key": "workloadgroup.labels.duplicate", "kind": "WorkloadGroup",
    },
    "sidecars/outbound_traffic_policy_mode_test.go": {
        "checker": "OutboundTrafficPolicyModeChecker", "fields": ["Sidecar"],
        "keys": ["sidecar.outboundtrafficpolicy.mode.ambiguous"],
    },
    "services/port_mapping_checker_test.go": {
        "checker": "PortMappingChecker", "fields": ["Service"],
        "keys": ["port.name.mismatch", "port.appprotocol.mismatch",
                 "service.deployment.port.mismatch"],
        "prepare": port_mapping_objects, "harness": port_mapping_harness,
    },
    "virtualservices/route_checker_test.go": {
        "checker": "RouteChecker", "fields": ["VirtualService"],
        "keys": ["virtualservices.route.singleweight", "virtualservices.route.repeatedsubset"],
    },
}


def go_built_cases(test_file, source, package_source, family, descriptors, cases, unconverted):
    """The cases of a test file whose tests build their objects with Kiali's data helpers."""
    for name, body in test_bodies(source):
        test_id = "%s:%s" % (test_file, name)
        found = kiali_go_cases.runs(body, source, package_source, family["checker"])
        if not found:
            unconverted.append(test_id)
            continue
        for number, (fields, assertions) in enumerate(found, 1):
            case_id = test_id + ("#%d" % number if len(found) > 1 else "")
            if "prepare" in family:
                fields = family["prepare"](fields)  # Go values as Kubernetes objects
            objects = [fields[field] for field in family["fields"] if field in fields]
            objects = [o for value in objects for o in (value if isinstance(value, list) else [value])]
            keys = family.get("keys") or [family["key"]]
            if "key" in family:
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
            details = fields.get("MTLSDetails")
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
                # what else the test gives the checker (Services, accounts, mesh settings)
                extra += family["harness"](fields)
            extra += "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects)
            severity = family.get("severity", lambda fields, key: None)
            cases.append({
                "id": case_id,
                "files": [],
                "extra_yaml": extra,
                "codes": sorted({descriptors[key]["code"] for key in keys}),
                "objects": judged,
                "expected": [dict(descriptors[key], object=obj,
                                  severity=severity(fields, key) or descriptors[key]["severity"])
                             for key, obj in expected],
            })


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
    with open(os.path.join(upstream, "models/istio_validation.go")) as stream:
        descriptors = check_descriptors(stream.read())
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
    with open(os.path.join(upstream, "COMMIT")) as stream:
        commit = stream.read().strip()
    json.dump({"commit": commit, "cases": cases, "unconverted": unconverted}, sys.stdout,
              indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
