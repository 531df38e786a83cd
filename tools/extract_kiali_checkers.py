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
"""
import json
import os
import re
import sys

import yaml

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
    with open(os.path.join(upstream, "COMMIT")) as stream:
        commit = stream.read().strip()
    json.dump({"commit": commit, "cases": cases, "unconverted": unconverted}, sys.stdout,
              indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
