#!/usr/bin/env python3
"""A test helm for getmesh's Helm upgrade tests: records its command lines and does to the test
Kubernetes API server (tests/servers/kube_api_server.py) what Istio's charts would render, in
small. Releases are kept as Helm 3 keeps them: Secrets sh.helm.release.v1.<name>.v<N> of type
helm.sh/release.v1, labelled owner=helm, name, status, version, whose `release` is the base64 of
the gzipped release JSON (name, namespace, version, info.status, chart.metadata, config).

Charts are the .tgz archives given on the command line; their Chart.yaml names the chart and its
version. What each chart renders:
  base     the default validating webhook istiod-default-validator (istio.io/rev = the
           defaultRevision value, else "default"; its service istiod or istiod-<defaultRevision>),
           as Istio's base chart renders it (the CRDs it also renders are not modelled)
  istiod   Deployment istiod[-<revision>] (app=istiod, istio.io/rev) with the image
           <global.hub>/pilot:<global.tag or chart version>, and the injector webhook
           istio-sidecar-injector[-<revision>]; `-s templates/revision-tags-mwc.yaml` (1.26 and
           later; templates/revision-tags.yaml before) renders the istio-revision-tag-<tag>
           webhooks of revisionTags={…} pointing at `revision`
  gateway  Deployment <name or release> whose pods carry istio.io/rev=<revision> when set
  cni      DaemonSet istio-cni-node (k8s-app=istio-cni-node) with <hub>/install-cni:<tag>
  ztunnel  DaemonSet <resourceName or ztunnel> (app=ztunnel) with <hub>/ztunnel:<tag>, the
           istio.io/rev annotation of `revision` on it and its pods, and the updateStrategy of the
           values over the chart's (RollingUpdate, maxSurge 1, maxUnavailable 0)
Every object carries Helm's meta.helm.sh/release-name and release-namespace annotations. A --set
value of null removes the key, as Helm does.

Environment:
  FAKE_HELM_LOG            each call is appended as "helm <args>"
  FAKE_HELM_VERSION        what `helm version` says (default v3.15.4)
  FAKE_HELM_FAIL_ON        "<command> <release>" (e.g. "upgrade istiod-1-31-4") exits 1 first
  FAKE_HELM_REJECT_VALUE   a top-level value the charts' schema refuses (template and upgrade fail)
  FAKE_KILL_PARENT_AFTER   "<command> <release>": after doing it, SIGKILL the parent
  FAKE_KUBE_SERVER, FAKE_KUBE_TOKEN, FAKE_KUBE_CA   how to reach the test API server
"""

import base64
import gzip
import io
import json
import os
import signal
import ssl
import sys
import tarfile
import urllib.error
import urllib.request

WEBHOOKS = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"
VALIDATING = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"


def api(method, path, body=None):
    context = ssl.create_default_context(cafile=os.environ["FAKE_KUBE_CA"])
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(os.environ["FAKE_KUBE_SERVER"] + path, data=data,
                                     method=method)
    request.add_header("Authorization", "Bearer " + os.environ.get("FAKE_KUBE_TOKEN", ""))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def put_or_create(collection, name, body):
    status, current = api("GET", collection + "/" + name)
    if status == 200:
        body["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        return api("PUT", collection + "/" + name, body)
    return api("POST", collection, body)


def fail(message):
    print("Error: " + message, file=sys.stderr)
    return 1


class Args:
    """helm's flags wherever they stand; the rest are positional words."""

    def __init__(self, argv):
        self.words, self.values, self.sets, self.flags = [], {}, [], set()
        takes = {"-n", "--namespace", "-f", "--values", "--set", "-o", "--output", "-s",
                 "--show-only", "--kubeconfig", "--kube-context", "--template", "--version"}
        i = 0
        while i < len(argv):
            arg = argv[i]
            if arg in takes and i + 1 < len(argv):
                if arg == "--set":
                    self.sets.append(argv[i + 1])
                else:
                    self.values.setdefault(arg, []).append(argv[i + 1])
                i += 2
                continue
            if arg.startswith("-"):
                self.flags.add(arg)
            else:
                self.words.append(arg)
            i += 1

    def get(self, *names, default=None):
        for name in names:
            if name in self.values:
                return self.values[name][-1]
        return default

    def namespace(self):
        return self.get("-n", "--namespace", default="default")


def set_value(values, path, value):
    keys = path.split(".")
    for key in keys[:-1]:
        values = values.setdefault(key, {})
    if value == "null":
        value = None
    elif value.startswith("{") and value.endswith("}"):
        value = [v for v in value[1:-1].split(",") if v]
    keys_last = keys[-1]
    values[keys_last] = value


def values_of(args):
    values = {}
    for path in args.values.get("-f", []) + args.values.get("--values", []):
        with open(path) as source:
            values.update(json.load(source))
    for assignment in args.sets:
        path, value = assignment.split("=", 1)
        set_value(values, path, value)
    return values


def chart_of(path):
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            if member.name.endswith("/Chart.yaml"):
                text = archive.extractfile(member).read().decode()
                fields = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
                return fields["name"].strip(), fields["version"].strip()
    raise SystemExit(fail("%s is no chart archive (no Chart.yaml)" % path))


# --- releases as Helm stores them ------------------------------------------------------------

def secrets_path(namespace=None):
    return ("/api/v1/namespaces/%s/secrets" % namespace) if namespace else "/api/v1/secrets"


def decode(secret):
    inner = base64.b64decode(secret["data"]["release"])
    return json.loads(gzip.decompress(base64.b64decode(inner)))


def releases(namespace=None):
    status, listed = api("GET", secrets_path(namespace) + "?labelSelector=owner%3Dhelm")
    found = {}
    for secret in listed.get("items", []):
        release = decode(secret)
        key = (release["namespace"], release["name"])
        if key not in found or found[key]["version"] < release["version"]:
            found[key] = release
    return found


def latest(namespace, name):
    return releases(namespace).get((namespace, name))


def store_release(release):
    name = "sh.helm.release.v1.%s.v%d" % (release["name"], release["version"])
    packed = base64.b64encode(gzip.compress(json.dumps(release).encode())).decode()
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
              "metadata": {"name": name, "namespace": release["namespace"],
                           "labels": {"owner": "helm", "name": release["name"],
                                      "status": release["info"]["status"],
                                      "version": str(release["version"])}},
              "data": {"release": base64.b64encode(packed.encode()).decode()}}
    put_or_create(secrets_path(release["namespace"]), name, secret)


def supersede(release):
    release["info"]["status"] = "superseded"
    store_release(release)


# --- what the charts render ------------------------------------------------------------------

def render(chart, version, release, namespace, values):
    objects = []
    annotations = {"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": namespace}
    if chart == "base":
        default = values.get("defaultRevision") or "default"
        service = "istiod" if default == "default" else "istiod-" + default
        objects.append({"apiVersion": "admissionregistration.k8s.io/v1",
                        "kind": "ValidatingWebhookConfiguration",
                        "metadata": {"name": "istiod-default-validator",
                                     "labels": {"istio.io/rev": default},
                                     "annotations": annotations},
                        "webhooks": [{"name": "validation.istio.io",
                                      "clientConfig": {"service": {
                                          "name": service, "namespace": namespace,
                                          "path": "/validate"}},
                                      "sideEffects": "None",
                                      "admissionReviewVersions": ["v1"]}]})
    if chart == "istiod":
        revision = values.get("revision") or "default"
        labels = {"app": "istiod", "istio": "pilot", "istio.io/rev": revision,
                  "helm.sh/chart": "istiod-" + version, "app.kubernetes.io/managed-by": "Helm"}
        selector = {"app": "istiod", "istio.io/rev": revision}
        pod_labels = dict(selector, **{"sidecar.istio.io/inject": "false"})
        hub = values.get("global", {}).get("hub", "docker.io/istio")
        tag = values.get("global", {}).get("tag", version)
        name = "istiod" if revision == "default" else "istiod-" + revision
        objects.append({"apiVersion": "apps/v1", "kind": "Deployment",
                        "metadata": {"name": name, "namespace": namespace, "labels": labels,
                                     "annotations": annotations},
                        "spec": {"replicas": 1, "selector": {"matchLabels": selector},
                                 "template": {"metadata": {"labels": pod_labels},
                                              "spec": {"containers": [{
                                                  "name": "discovery",
                                                  "image": "%s/pilot:%s" % (hub, tag)}]}}}})
        injector = "istio-sidecar-injector" + ("" if revision == "default" else "-" + revision)
        objects.append({"apiVersion": "admissionregistration.k8s.io/v1",
                        "kind": "MutatingWebhookConfiguration",
                        "metadata": {"name": injector, "labels": {"istio.io/rev": revision},
                                     "annotations": annotations}})
    elif chart in ("cni", "ztunnel"):
        hub = values.get("hub") or "docker.io/istio"
        tag = values.get("tag") or version
        revision = values.get("revision") or ""
        if chart == "cni":
            name, selector, image = "istio-cni-node", {"k8s-app": "istio-cni-node"}, "install-cni"
        else:
            name, selector, image = values.get("resourceName") or "ztunnel", {"app": "ztunnel"}, "ztunnel"
        strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
        for key, value in (values.get("updateStrategy") or {}).items():
            if value is None:
                strategy.pop(key, None)
            else:
                strategy[key] = value
        pod_annotations = {"sidecar.istio.io/inject": "false"}
        set_annotations = dict(annotations)
        if chart == "ztunnel" and revision:
            pod_annotations["istio.io/rev"] = revision
            set_annotations["istio.io/rev"] = revision
        objects.append({"apiVersion": "apps/v1", "kind": "DaemonSet",
                        "metadata": {"name": name, "namespace": namespace,
                                     "annotations": set_annotations},
                        "spec": {"updateStrategy": strategy, "selector": {"matchLabels": selector},
                                 "template": {"metadata": {"labels": dict(selector, **{
                                     "sidecar.istio.io/inject": "false"}),
                                     "annotations": pod_annotations},
                                     "spec": {"containers": [{
                                         "name": "istio-proxy" if chart == "ztunnel" else "install-cni",
                                         "image": "%s/%s:%s" % (hub, image, tag)}]}}}})
    elif chart == "gateway":
        name = values.get("name") or release
        selector = {"app": name, "istio": name.replace("istio-", "")}
        pod_labels = dict(selector, **{"sidecar.istio.io/inject": "true",
                                      "helm.sh/chart": "gateway-" + version})
        if values.get("revision"):
            pod_labels["istio.io/rev"] = values["revision"]
        objects.append({"apiVersion": "apps/v1", "kind": "Deployment",
                        "metadata": {"name": name, "namespace": namespace,
                                     "annotations": annotations},
                        "spec": {"replicas": 1, "selector": {"matchLabels": selector},
                                 "template": {"metadata": {"labels": pod_labels,
                                                           "annotations": {
                                                               "inject.istio.io/templates":
                                                                   "gateway"}},
                                              "spec": {"containers": []}}}})
    return objects


def collection_of(obj, namespace):
    if obj["kind"] == "Deployment":
        return "/apis/apps/v1/namespaces/%s/deployments" % namespace
    if obj["kind"] == "DaemonSet":
        return "/apis/apps/v1/namespaces/%s/daemonsets" % namespace
    if obj["kind"] == "ValidatingWebhookConfiguration":
        return VALIDATING
    return WEBHOOKS


def apply_objects(objects, namespace):
    for obj in objects:
        status, answer = put_or_create(collection_of(obj, namespace), obj["metadata"]["name"], obj)
        if status >= 300:
            raise SystemExit(fail(answer.get("message", "apply failed")))


def delete_objects(objects, namespace):
    for obj in objects:
        api("DELETE", collection_of(obj, namespace) + "/" + obj["metadata"]["name"])


def check_values(values):
    rejected = os.environ.get("FAKE_HELM_REJECT_VALUE")
    if rejected and rejected in values:
        raise SystemExit(fail("values don't meet the specifications of the schema(s) in the "
                              "following chart(s):\nistiod:\n- (root): Additional property %s is "
                              "not allowed" % rejected))


# --- commands --------------------------------------------------------------------------------

def version(args):
    print(os.environ.get("FAKE_HELM_VERSION", "v3.15.4"), end="")
    return 0


def list_releases(args):
    namespace = None if "--all-namespaces" in args.flags or "-A" in args.flags else args.namespace()
    rows = [{"name": r["name"], "namespace": r["namespace"], "revision": str(r["version"]),
             "updated": "2026-11-01 00:00:00 +0000 UTC", "status": r["info"]["status"],
             "chart": r["chart"]["metadata"]["name"] + "-" + r["chart"]["metadata"]["version"],
             "app_version": r["chart"]["metadata"]["version"]}
            for r in releases(namespace).values() if r["info"]["status"] == "deployed"]
    print(json.dumps(sorted(rows, key=lambda row: (row["namespace"], row["name"]))))
    return 0


def get_values(args):
    release = latest(args.namespace(), args.words[2])
    if not release:
        return fail("release: not found")
    print(json.dumps(release["config"] or None))
    return 0


def upgrade(args):
    name, chart_path = args.words[1], args.words[2]
    namespace = args.namespace()
    chart, chart_version = chart_of(chart_path)
    values = values_of(args)
    check_values(values)
    previous = latest(namespace, name)
    if previous is None and "--install" not in args.flags and "install" != args.words[0]:
        return fail('UPGRADE FAILED: "%s" has no deployed releases' % name)
    objects = render(chart, chart_version, name, namespace, values)
    apply_objects(objects, namespace)
    if previous:
        supersede(previous)
    store_release({"name": name, "namespace": namespace,
                   "version": previous["version"] + 1 if previous else 1,
                   "info": {"status": "deployed"},
                   "chart": {"metadata": {"name": chart, "version": chart_version,
                                          "appVersion": chart_version}},
                   "config": values, "objects": objects})
    print("Release \"%s\" has been upgraded. Happy Helming!" % name)
    return 0


def template(args):
    name, chart_path = args.words[1], args.words[2]
    chart, chart_version = chart_of(chart_path)
    values = values_of(args)
    check_values(values)
    shown = args.get("-s", "--show-only")
    if shown:
        split = tuple(int(p) for p in chart_version.split(".")[:2]) >= (1, 26)
        known = "templates/revision-tags-mwc.yaml" if split else "templates/revision-tags.yaml"
        if chart != "istiod" or shown != known:
            return fail("could not find template %s in chart" % shown)
        for tag in values.get("revisionTags", []):
            print("---\n# Source: istiod/%s\napiVersion: admissionregistration.k8s.io/v1\n"
                  "kind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-revision-tag-%s\n"
                  "  labels:\n    istio.io/tag: \"%s\"\n    istio.io/rev: \"%s\"\n"
                  "    app: sidecar-injector\nwebhooks:\n- name: rev.namespace.sidecar-injector.istio.io\n"
                  "  timeoutSeconds: 10\n  sideEffects: None\n"
                  % (shown, tag, tag, values.get("revision", "default")))
        return 0
    for obj in render(chart, chart_version, name, args.namespace(), values):
        print("---\n" + json.dumps(obj))
    return 0


def uninstall(args):
    name, namespace = args.words[1], args.namespace()
    release = latest(namespace, name)
    if not release:
        return fail("uninstall: Release not loaded: %s: release: not found" % name)
    delete_objects(release.get("objects", []), namespace)
    status, listed = api("GET", secrets_path(namespace) + "?labelSelector=owner%3Dhelm,name%3D" + name)
    for secret in listed.get("items", []):
        api("DELETE", secrets_path(namespace) + "/" + secret["metadata"]["name"])
    print("release \"%s\" uninstalled" % name)
    return 0


def rollback(args):
    name, revision, namespace = args.words[1], int(args.words[2]), args.namespace()
    current = latest(namespace, name)
    status, target = api("GET", secrets_path(namespace) + "/sh.helm.release.v1.%s.v%d" % (name, revision))
    if not current or status != 200:
        return fail("release: not found")
    old = decode(target)
    apply_objects(old.get("objects", []), namespace)
    supersede(current)
    old.update({"version": current["version"] + 1, "info": {"status": "deployed"}})
    store_release(old)
    print("Rollback was a success! Happy Helming!")
    return 0


def main():
    argv = sys.argv[1:]
    log = os.environ.get("FAKE_HELM_LOG")
    if log:
        with open(log, "a") as out:
            out.write("helm " + " ".join(argv) + "\n")
    args = Args(argv)
    command = " ".join(args.words[:2]) if args.words[:1] == ["get"] else (args.words or [""])[0]
    subject = args.words[2] if command == "get values" else (args.words[1] if len(args.words) > 1 else "")
    if os.environ.get("FAKE_HELM_FAIL_ON") == command + " " + subject:
        return fail("%s %s failed (FAKE_HELM_FAIL_ON)" % (command, subject))
    handlers = {"version": version, "list": list_releases, "get values": get_values,
                "upgrade": upgrade, "install": upgrade, "template": template,
                "uninstall": uninstall, "rollback": rollback}
    if command not in handlers:
        return fail("unknown command %r" % command)
    exit_code = handlers[command](args)
    if os.environ.get("FAKE_KILL_PARENT_AFTER") == command + " " + subject:
        os.kill(os.getppid(), signal.SIGKILL)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
