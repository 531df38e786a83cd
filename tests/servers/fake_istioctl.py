#!/usr/bin/env python3
"""A test istioctl for getmesh's upgrade tests: records its calls and acts on the test Kubernetes
API server (tests/servers/kube_api_server.py) the way the real istioctl would, in small.

Environment:
  FAKE_ISTIOCTL_VERSION  the Istio version this istioctl is
  FAKE_ISTIOCTL_LOG      `install` writes the IstioOperator it was given (-f, JSON) to
                         <log>.install.json
  KUBECONFIG, --kubeconfig/-c, --context   the cluster, chosen as the real istioctl chooses it
                         (the server, token and CA file of the context; FAKE_KUBE_TOKEN and
                         FAKE_KUBE_CA fill in what the kubeconfig leaves out)
  FAKE_KUBE_SERVER, FAKE_KUBE_TOKEN, FAKE_KUBE_CA   the test API server, when no kubeconfig exists
  FAKE_ISTIOCTL_HUB      image hub of the istiod it installs (default docker.io/istio)
  FAKE_PRECHECK_EXIT, FAKE_INSTALL_EXIT, FAKE_VERIFY_EXIT   exit codes of those commands
  FAKE_STUCK_ISTIOD=1    the istiod it installs never gets ready
  FAKE_KILL_PARENT_AFTER=<command>   after doing <command>, SIGKILL the parent (an interrupted run)
  FAKE_KILL_PARENT_ON=<command>   before doing <command>, SIGKILL the parent (a kill -9 of getmesh
                         while istioctl works; with FAKE_BLOCK_ON, istioctl then goes on waiting)
  FAKE_BLOCK_ON=<command>, FAKE_BLOCK_FILE=<path>   before doing <command>, wait for the file
  FAKE_ISTIOCTL_PIDS=<path>   each run appends "<pid> <command>" to the file

Commands: [x] precheck, install, verify-install, tag set, [x] uninstall. The wrapper script
(tests/support/upgrade_cluster.cpp) logs each call as "<version> <args>" to FAKE_ISTIOCTL_LOG,
answers --help and x --help, and runs this for the rest.
"""

import json
import os
import signal
import ssl
import sys
import time
import urllib.error
import urllib.request

import yaml

VERSION = os.environ.get("FAKE_ISTIOCTL_VERSION", "0.0.0")
# (server, token, CA file) of the cluster this run talks to; set by main().
TARGET = None


def kube_target(args):
    """The cluster client-go would choose: --kubeconfig, else the KUBECONFIG files (the first file
    that defines a name wins), and --context, else current-context."""
    explicit = flag(args, "--kubeconfig", "-c")
    paths = [explicit] if explicit else [p for p in os.environ.get("KUBECONFIG", "").split(":") if p]
    merged = {"clusters": {}, "users": {}, "contexts": {}}
    current = None
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path) as handle:
            document = yaml.safe_load(handle) or {}
        for kind in merged:
            for entry in document.get(kind) or []:
                merged[kind].setdefault(entry["name"], entry.get(kind[:-1]) or {})
        current = current or document.get("current-context")
    if not merged["contexts"]:
        return (os.environ["FAKE_KUBE_SERVER"], os.environ.get("FAKE_KUBE_TOKEN", ""),
                os.environ["FAKE_KUBE_CA"])
    name = flag(args, "--context") or current
    if name not in merged["contexts"]:
        print('Error: context "%s" does not exist' % name, file=sys.stderr)
        sys.exit(1)
    context = merged["contexts"][name]
    cluster = merged["clusters"][context["cluster"]]
    user = merged["users"].get(context.get("user"), {})
    return (cluster["server"], user.get("token", os.environ.get("FAKE_KUBE_TOKEN", "")),
            cluster.get("certificate-authority", os.environ.get("FAKE_KUBE_CA")))


def api(method, path, body=None):
    server, token, ca_file = TARGET
    context = ssl.create_default_context(cafile=ca_file)
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
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


def flag(args, *names, default=None):
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return default


def flags(args, *names):
    return [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in names]


def namespace_of(args):
    for value in flags(args, "--set"):
        if value.startswith("values.global.istioNamespace="):
            return value.split("=", 1)[1]
    return flag(args, "--istioNamespace", "-i", default="istio-system")


WEBHOOKS = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"


def injector_name(revision):
    return "istio-sidecar-injector" if revision == "default" else "istio-sidecar-injector-" + revision


def deployments(namespace):
    return "/apis/apps/v1/namespaces/%s/deployments" % namespace


def install(args):
    revision = flag(args, "--revision", "-r", default="default")
    namespace = namespace_of(args)
    files = flags(args, "-f", "--filename")
    log = os.environ.get("FAKE_ISTIOCTL_LOG")
    if files and log:
        with open(files[0]) as source, open(log + ".install.json", "w") as copy:
            copy.write(source.read())
    exit_code = int(os.environ.get("FAKE_INSTALL_EXIT", "0"))
    if exit_code:
        print("Error: failed to install the control plane", file=sys.stderr)
        return exit_code
    hub = os.environ.get("FAKE_ISTIOCTL_HUB", "docker.io/istio")
    for value in flags(args, "--set"):
        if value.startswith("hub="):
            hub = value[4:]
    labels = {"app": "istiod", "istio": "pilot", "istio.io/rev": revision}
    pod_labels = dict(labels, **{"sidecar.istio.io/inject": "false"})
    name = "istiod" if revision == "default" else "istiod-" + revision
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": name, "namespace": namespace, "labels": labels},
                  "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                           "template": {"metadata": {"labels": pod_labels},
                                        "spec": {"containers": [{"name": "discovery",
                                                                 "image": "%s/pilot:%s" % (hub, VERSION)}]}}}}
    if os.environ.get("FAKE_STUCK_ISTIOD") == "1":
        deployment["metadata"]["annotations"] = {"test.getmesh.io/stuck": "true"}
    status, answer = put_or_create(deployments(namespace), name, deployment)
    if status >= 300:
        print("Error: %s" % answer.get("message"), file=sys.stderr)
        return 1
    injector = {"apiVersion": "admissionregistration.k8s.io/v1",
                "kind": "MutatingWebhookConfiguration",
                "metadata": {"name": injector_name(revision),
                             "labels": {"istio.io/rev": revision}}}
    put_or_create(WEBHOOKS, injector["metadata"]["name"], injector)
    print("✔ Istio core installed\n✔ Istiod installed\n✔ Installation complete")
    return 0


def verify_install(args):
    exit_code = int(os.environ.get("FAKE_VERIFY_EXIT", "0"))
    if exit_code:
        print("Error: 1 Istio control planes are not ready", file=sys.stderr)
        return exit_code
    revision = flag(args, "--revision", "-r", default="default")
    name = "istiod" if revision == "default" else "istiod-" + revision
    status, deployment = api("GET", deployments(namespace_of(args)) + "/" + name)
    if status != 200 or deployment.get("status", {}).get("readyReplicas", 0) < 1:
        print("Error: istiod %s is not ready" % name, file=sys.stderr)
        return 1
    print("✔ Istio is installed and verified successfully")
    return 0


def tag_set(args):
    tag = args[2]
    revision = flag(args, "--revision", "-r")
    name = "istio-revision-tag-" + tag
    status, current = api("GET", WEBHOOKS + "/" + name)
    if status == 200 and current["metadata"].get("labels", {}).get("istio.io/rev") != revision \
            and "--overwrite" not in args:
        print("Error: revision tag %s already exists, and --overwrite is false" % tag,
              file=sys.stderr)
        return 1
    webhook = {"apiVersion": "admissionregistration.k8s.io/v1",
               "kind": "MutatingWebhookConfiguration",
               "metadata": {"name": name,
                            "labels": {"istio.io/tag": tag, "istio.io/rev": revision}}}
    status, answer = put_or_create(WEBHOOKS, name, webhook)
    return 0 if status < 300 else 1


def uninstall(args):
    if "-y" not in args and "--skip-confirmation" not in args:
        print("Error: refusing to uninstall without confirmation", file=sys.stderr)
        return 1
    revision = flag(args, "--revision", "-r", default="default")
    name = "istiod" if revision == "default" else "istiod-" + revision
    api("DELETE", deployments(namespace_of(args)) + "/" + name)
    api("DELETE", WEBHOOKS + "/" + injector_name(revision))
    print("✔ Uninstall complete")
    return 0


def command_of(args):
    words = [a for a in args[:2] if not a.startswith("-")]
    if words[:1] == ["x"]:
        words = words[1:]
    return words[0] if words else ""


def main():
    global TARGET
    args = sys.argv[1:]
    command = command_of(args)
    TARGET = kube_target(args)
    if os.environ.get("FAKE_ISTIOCTL_PIDS"):
        with open(os.environ["FAKE_ISTIOCTL_PIDS"], "a") as pids:
            pids.write("%d %s\n" % (os.getpid(), command))
    if os.environ.get("FAKE_KILL_PARENT_ON") == command:
        os.kill(os.getppid(), signal.SIGKILL)
    if os.environ.get("FAKE_BLOCK_ON") == command:
        while not os.path.exists(os.environ["FAKE_BLOCK_FILE"]):
            time.sleep(0.02)
    handlers = {"precheck": lambda a: int(os.environ.get("FAKE_PRECHECK_EXIT", "0")),
                "install": install, "verify-install": verify_install, "uninstall": uninstall,
                "tag": tag_set}
    if command not in handlers:
        print("Error: unknown command %r" % command, file=sys.stderr)
        return 64
    exit_code = handlers[command](args)
    if os.environ.get("FAKE_KILL_PARENT_AFTER") == command:
        os.kill(os.getppid(), signal.SIGKILL)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
