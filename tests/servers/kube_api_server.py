#!/usr/bin/env python3
"""A small Kubernetes API server for getmesh's tests.

HTTPS on 127.0.0.1 with the certificates given in --certs (ca.crt, server.crt, server.key). Clients
authenticate with a client certificate signed by the CA, a bearer token (--token) or basic auth
(--basic user:password); /version and discovery are open like on a real cluster.

Serves discovery (/api, /api/v1, /apis, /apis/G/V), /version, and get/list/create/replace/delete of
any resource in the --state file (a JSON list of objects with apiVersion, kind and metadata), with
label and field selectors and limit/continue pagination. CustomResourceDefinitions in the state
serve their kinds even without objects; lists asked for as=PartialObjectMetadataList (Accept) hold
only the items' metadata.

PATCH takes JSON merge patches (application/merge-patch+json) and strategic merge patches
(application/strategic-merge-patch+json: maps merge, containers and the like merge by name, other lists
are replaced; custom resources refuse them with 415 like a real API server). A metadata.resourceVersion in
a PUT or PATCH body is a precondition: a stale one is answered 409 Conflict.

--controller runs a small workload controller (see WorkloadController): a Deployment whose pod template
changes gets its pods replaced, and new pods get the sidecar of their namespace's current injection;
a DaemonSet keeps one pod on each Node with the status fields kubectl rollout status reads.

POST pods/<name>/eviction (policy/v1 Eviction) evicts a pod as the Eviction API does: refused with 429
while a PodDisruptionBudget with maxUnavailable 0 selects it, else the pod is deleted (and, with
--controller, its Deployment gets a new pod on a schedulable node). DaemonSets get
metadata.generation 1 when created, and one more at every change of their spec; their template
generation (apps/v1 keeps it in the annotation deprecated.daemonset.template.generation, which
clients cannot change) starts at 1 and counts only the changes of spec.template, as Kubernetes'
DaemonSet strategy does.

An object annotated test.getmesh.io/deny-writes=<webhook> is one a validating admission webhook of that
name guards: PUT and PATCH of it are denied as the API server reports such a denial (400, 'admission
webhook "<webhook>" denied the request: ...'), for tests of writes that fail half-way.

Fault modes: --fault unauthorized (401 everywhere), --forbid RESOURCE (403 on that resource, with
--forbid-message TEXT as the Status message when given), --delay-ms N (answer after N ms),
--fault hang (accept connections and never answer), --fault repeat-continue (every list page is
the first one and names the same continue token), --fault endless-continue (every list page is the
first one and names a new continue token), --fault bloated-continue (every list page holds `limit`
pods of 64 KiB each and names a new continue token: memory, not pages, runs out first).
--listen-count N serves the same state on N ports. --redirect PATH=URL answers PATH with a 302
to URL (for clients' redirect rules). The ports are written as JSON to --ready-file
once the server accepts connections. --log FILE appends one JSON line per request.

Like every real cluster it has a kube-system namespace, whose UID (what tools identify a cluster
by) is --cluster-uid, else one chosen at start and kept for the server's life; a kube-system
namespace in the state keeps its own UID.
"""

import argparse
import base64
import copy
import hashlib
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

bloated_lock = threading.Lock()
bloated_items = {}  # rendered pods of bloated-continue pages, by count

# (group, version, plural) -> (kind, namespaced)
SHORT_NAMES = {"pods": ["po"], "namespaces": ["ns"], "configmaps": ["cm"], "services": ["svc"],
               "serviceaccounts": ["sa"], "nodes": ["no"], "deployments": ["deploy"],
               "daemonsets": ["ds"], "replicasets": ["rs"], "statefulsets": ["sts"],
               "customresourcedefinitions": ["crd", "crds"]}

BUILTIN = {
    ("", "v1", "pods"): ("Pod", True),
    ("", "v1", "namespaces"): ("Namespace", False),
    ("", "v1", "secrets"): ("Secret", True),
    ("", "v1", "configmaps"): ("ConfigMap", True),
    ("", "v1", "services"): ("Service", True),
    ("", "v1", "serviceaccounts"): ("ServiceAccount", True),
    ("", "v1", "nodes"): ("Node", False),
    ("apps", "v1", "deployments"): ("Deployment", True),
    ("apps", "v1", "daemonsets"): ("DaemonSet", True),
    ("apps", "v1", "replicasets"): ("ReplicaSet", True),
    ("apps", "v1", "statefulsets"): ("StatefulSet", True),
    ("policy", "v1", "poddisruptionbudgets"): ("PodDisruptionBudget", True),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions"): ("CustomResourceDefinition", False),
    ("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations"):
        ("MutatingWebhookConfiguration", False),
    ("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"):
        ("ValidatingWebhookConfiguration", False),
}


def plural_of(kind):
    lower = kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    return lower + "s"


def split_api_version(api_version):
    if "/" in api_version:
        group, version = api_version.split("/", 1)
        return group, version
    return "", api_version


class Store:
    def __init__(self, objects):
        self.lock = threading.Lock()
        self.resources = dict(BUILTIN)
        self.objects = {}  # (group, version, plural) -> {(namespace, name): object}
        self.revision = 1000
        self.evicted = []  # pods evicted since the controller last looked: (namespace, labels)
        for obj in objects:
            if obj["kind"] == "CustomResourceDefinition":
                self._register_crd(obj)
            group, version = split_api_version(obj["apiVersion"])
            plural = obj.get("_resource") or plural_of(obj["kind"])
            obj.pop("_resource", None)
            key = (group, version, plural)
            if key not in self.resources:
                self.resources[key] = (obj["kind"], "namespace" in obj["metadata"])
            self._stamp(obj)
            self.objects.setdefault(key, {})[(obj["metadata"].get("namespace", ""),
                                              obj["metadata"]["name"])] = obj

    def _register_crd(self, crd):
        """A CRD serves its kind in each of its served versions, objects or not."""
        spec = crd.get("spec", {})
        names = spec.get("names", {})
        for version in spec.get("versions", []):
            if version.get("served", True):
                key = (spec["group"], version["name"], names["plural"])
                self.resources[key] = (names["kind"], spec.get("scope", "Namespaced") == "Namespaced")

    def _stamp(self, obj):
        self.revision += 1
        meta = obj.setdefault("metadata", {})
        meta["resourceVersion"] = str(self.revision)
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", "2026-01-01T00:00:00Z")

    def namespace_exists(self, name):
        return ("", name) in self.objects.get(("", "v1", "namespaces"), {})


def parse_selector(text):
    """Label selector requirements as (key, op, values)."""
    requirements = []
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    if current:
        parts.append(current)
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = re.fullmatch(r"([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)", part)
        if match:
            values = {v.strip() for v in match.group(3).split(",") if v.strip()}
            requirements.append((match.group(1), match.group(2), values))
        elif "!=" in part:
            key, value = part.split("!=", 1)
            requirements.append((key.strip(), "!=", {value.strip()}))
        elif "==" in part or "=" in part:
            key, value = re.split("==?", part, maxsplit=1)
            requirements.append((key.strip(), "=", {value.strip()}))
        elif part.startswith("!"):
            requirements.append((part[1:].strip(), "!", set()))
        elif re.fullmatch(r"[\w./-]+", part):
            requirements.append((part, "exists", set()))
        else:
            raise ValueError("unable to parse requirement: " + part)
    return requirements


def matches_labels(labels, requirements):
    for key, op, values in requirements:
        present = key in labels
        if op == "=" and (not present or labels[key] not in values):
            return False
        if op == "!=" and present and labels[key] in values:
            return False
        if op == "in" and (not present or labels[key] not in values):
            return False
        if op == "notin" and present and labels[key] in values:
            return False
        if op == "exists" and not present:
            return False
        if op == "!" and present:
            return False
    return True


def field_value(obj, path):
    value = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return ""
        value = value.get(part, "")
    return value if isinstance(value, str) else ""


def matches_fields(obj, text):
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if "!=" in part:
            key, value = part.split("!=", 1)
            if field_value(obj, key.strip()) == value.strip():
                return False
        else:
            key, value = re.split("==?", part, maxsplit=1)
            if field_value(obj, key.strip()) != value.strip():
                return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "getmesh-test-apiserver"

    def log_message(self, *args):  # quiet
        pass

    # --- plumbing -------------------------------------------------------------------------------
    def send_json(self, code, document):
        body = json.dumps(document).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_bloated_page(self, count):
        """A PodList of `count` pods with a 64 KiB annotation each and a fresh continue token."""
        with bloated_lock:
            items = bloated_items.get(count)
            if items is None:
                pad = "x" * 65536
                items = json.dumps([{"metadata": {"name": "pod-%d" % i, "namespace": "default",
                                                  "annotations": {"pad": pad}}}
                                    for i in range(count)]).encode()
                bloated_items[count] = items
        token = base64.b64encode(uuid.uuid4().bytes).decode()
        head = ('{"kind": "PodList", "apiVersion": "v1", "metadata": {"continue": "%s"}, "items": '
                % token).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(head) + len(items) + 1))
        self.end_headers()
        self.wfile.write(head)
        self.wfile.write(items)
        self.wfile.write(b"}")

    def send_status(self, code, reason, message, details=None):
        document = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": message, "reason": reason, "code": code}
        if details:
            document["details"] = details
        self.send_json(code, document)

    def authenticate(self):
        """Returns the user name, or None."""
        config = self.server.config
        certificate = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        if certificate:
            for rdn in certificate.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        return value
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer ") and header[7:] in config.tokens:
            return "token-user"
        if header.startswith("Basic ") and config.basic:
            try:
                if base64.b64decode(header[6:]).decode() == config.basic:
                    return config.basic.split(":", 1)[0]
            except ValueError:
                return None
        return None

    def body_json(self):
        """The request body as JSON; ValueError for anything else (this server speaks no protobuf)."""
        if "json" not in self.headers.get("Content-Type", "application/json"):
            raise ValueError("unsupported media type " + self.headers.get("Content-Type", ""))
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                raw += self.rfile.read(size)
                self.rfile.readline()
        else:
            length = int(self.headers.get("Content-Length", "0") or 0)
            raw = self.rfile.read(length) if length else b""
        return json.loads(raw or b"{}")

    def impersonation(self):
        """The Impersonate-* headers, by lower-case name, each with its values in order."""
        seen = {}
        for name, value in self.headers.items():
            if name.lower().startswith("impersonate-"):
                seen.setdefault(name.lower(), []).append(value)
        return seen

    def record(self, user):
        if not self.server.config.log:
            return
        url = urlsplit(self.path)
        header = self.headers.get("Authorization", "")
        line = {"method": self.command, "path": url.path, "query": parse_qs(url.query),
                "user": user, "auth": header.split(" ", 1)[0] if header else "",
                "accept": self.headers.get("Accept", ""), "host": self.headers.get("Host", ""),
                "port": self.server.server_address[1], "authorization": header,
                "impersonate": self.impersonation(),
                "user_agent": self.headers.get("User-Agent", "")}
        with self.server.config.log_lock, open(self.server.config.log, "a") as out:
            out.write(json.dumps(line) + "\n")

    # --- dispatch -------------------------------------------------------------------------------
    def handle_any(self):
        config = self.server.config
        if config.delay_ms:
            time.sleep(config.delay_ms / 1000.0)
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        user = self.authenticate()
        self.record(user)
        if path in config.redirects:
            self.send_response(302)
            self.send_header("Location", config.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if config.fault == "unauthorized" or (user is None and not self.is_public(path)):
            return self.send_status(401, "Unauthorized", "Unauthorized")
        if path == "/version":
            return self.send_json(200, config.version)
        if path == "/api":
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                        "serverAddressByClientCIDRs": [
                                            {"clientCIDR": "0.0.0.0/0",
                                             "serverAddress": "127.0.0.1"}]})
        if path == "/apis":
            return self.send_json(200, self.group_list())
        match = re.fullmatch(r"/api/v1|/apis/([^/]+)/([^/]+)", path)
        if match:
            group, version = (match.group(1) or "", match.group(2) or "v1")
            return self.send_json(200, self.resource_list(group, version))
        return self.resource_request(path, query)

    def is_public(self, path):
        return path in ("/version", "/api", "/apis", "/healthz", "/readyz", "/livez") or \
            re.fullmatch(r"/api/v1|/apis/[^/]+/[^/]+", path) is not None

    def group_list(self):
        groups = {}
        for group, version, _ in self.server.store.resources:
            if group:
                groups.setdefault(group, set()).add(version)
        items = []
        for group, versions in sorted(groups.items()):
            entries = [{"groupVersion": group + "/" + v, "version": v} for v in sorted(versions)]
            items.append({"name": group, "versions": entries, "preferredVersion": entries[0]})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": items}

    def resource_list(self, group, version):
        resources = []
        for (g, v, plural), (kind, namespaced) in sorted(self.server.store.resources.items()):
            if g == group and v == version:
                resources.append({"name": plural, "singularName": kind.lower(),
                                  "namespaced": namespaced, "kind": kind,
                                  "shortNames": SHORT_NAMES.get(plural, []),
                                  "verbs": ["create", "delete", "get", "list", "update"]})
        return {"kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": (group + "/" + version) if group else version,
                "resources": resources}

    def resource_request(self, path, query):
        match = re.fullmatch(
            r"/(?:api/(?P<core>v1)|apis/(?P<group>[^/]+)/(?P<version>[^/]+))"
            r"(?:/namespaces/(?P<ns>[^/]+))?/(?P<plural>[^/]+)(?:/(?P<name>[^/]+))?"
            r"(?:/(?P<subresource>[^/]+))?", path)
        if not match:
            return self.send_status(404, "NotFound", "the server could not find the requested resource")
        group = match.group("group") or ""
        version = match.group("version") or "v1"
        namespace, plural, name = match.group("ns") or "", match.group("plural"), match.group("name")
        store = self.server.store
        key = (group, version, plural)
        if key not in store.resources:
            return self.send_status(404, "NotFound", "the server could not find the requested resource")
        if plural in self.server.config.forbid:
            verb = {"GET": "get" if name else "list", "POST": "create", "PUT": "update",
                    "PATCH": "patch", "DELETE": "delete"}[self.command]
            scope = ' in the namespace "%s"' % namespace if namespace else " at the cluster scope"
            return self.send_status(403, "Forbidden", self.server.config.forbid_message or
                                    '%s is forbidden: User "%s" cannot %s resource "%s" in API group '
                                    '"%s"%s' % (plural, "test-user", verb, plural, group, scope))
        kind, namespaced = store.resources[key]
        subresource = match.group("subresource")
        if subresource:
            if key == ("", "v1", "pods") and subresource == "eviction" and self.command == "POST":
                return self.evict_pod(namespace, name)
            return self.send_status(404, "NotFound", "the server could not find the requested resource")
        if self.command == "GET" and name is None:
            return self.list_objects(key, kind, namespace, query)
        if self.command == "GET":
            return self.get_object(key, namespace, name)
        if self.command == "POST" and name is None:
            return self.create_object(key, kind, namespaced, namespace)
        if self.command == "PUT" and name:
            return self.replace_object(key, namespace, name)
        if self.command == "PATCH" and name:
            return self.patch_object(key, namespace, name)
        if self.command == "DELETE" and name:
            return self.delete_object(key, namespace, name)
        return self.send_status(405, "MethodNotAllowed", "method not allowed")

    def list_objects(self, key, kind, namespace, query):
        store = self.server.store
        try:
            requirements = parse_selector(query.get("labelSelector", ""))
        except ValueError as error:
            return self.send_status(400, "BadRequest", str(error))
        with store.lock:
            objects = [o for (ns, _), o in sorted(store.objects.get(key, {}).items())
                       if not namespace or ns == namespace]
            revision = store.revision
        objects = [o for o in objects
                   if matches_labels(o["metadata"].get("labels", {}), requirements)
                   and matches_fields(o, query.get("fieldSelector", ""))]
        if self.server.config.fault == "bloated-continue":
            return self.send_bloated_page(int(query.get("limit", "0") or 0) or 500)
        start = 0
        endless = self.server.config.fault in ("repeat-continue", "endless-continue")
        if query.get("continue") and not endless:
            try:
                start = int(base64.b64decode(query["continue"]).decode())
            except ValueError:
                return self.send_status(410, "Expired", "the provided continue parameter is invalid")
        limit = int(query.get("limit", "0") or 0)
        end = len(objects) if limit <= 0 else min(len(objects), start + limit)
        metadata = {"resourceVersion": str(revision)}
        if end < len(objects):
            metadata["continue"] = base64.b64encode(str(end).encode()).decode()
            metadata["remainingItemCount"] = len(objects) - end
        if endless:
            metadata["continue"] = ("c2FtZQ==" if self.server.config.fault == "repeat-continue"
                                    else base64.b64encode(uuid.uuid4().bytes).decode())
        items = []
        metadata_only = "as=PartialObjectMetadataList" in self.headers.get("Accept", "")
        for obj in objects[start:end]:
            item = {"metadata": obj["metadata"]} if metadata_only else dict(obj)
            item.pop("apiVersion", None)
            item.pop("kind", None)
            items.append(item)
        group, version, _ = key
        if metadata_only:
            return self.send_json(200, {"kind": "PartialObjectMetadataList",
                                        "apiVersion": "meta.k8s.io/v1",
                                        "metadata": metadata, "items": items})
        self.send_json(200, {"kind": kind + "List",
                             "apiVersion": (group + "/" + version) if group else version,
                             "metadata": metadata, "items": items})

    def not_found(self, key, name):
        self.send_status(404, "NotFound", '%s "%s" not found' % (key[2], name),
                         {"name": name, "kind": key[2]})

    def get_object(self, key, namespace, name):
        with self.server.store.lock:
            obj = self.server.store.objects.get(key, {}).get((namespace, name))
        if obj is None:
            return self.not_found(key, name)
        self.send_json(200, obj)

    def create_object(self, key, kind, namespaced, namespace):
        try:
            obj = self.body_json()
        except ValueError:
            return self.send_status(415, "UnsupportedMediaType", "the request body is not JSON")
        store = self.server.store
        name = obj.get("metadata", {}).get("name", "")
        if not name:
            return self.send_status(422, "Invalid", "metadata.name: Required value")
        with store.lock:
            if namespaced and not store.namespace_exists(namespace):
                return self.send_status(404, "NotFound", 'namespaces "%s" not found' % namespace,
                                        {"name": namespace, "kind": "namespaces"})
            if (namespace, name) in store.objects.get(key, {}):
                return self.send_status(409, "AlreadyExists",
                                        '%s "%s" already exists' % (key[2], name),
                                        {"name": name, "kind": key[2]})
            obj["apiVersion"] = (key[0] + "/" + key[1]) if key[0] else key[1]
            obj["kind"] = kind
            if namespaced:
                obj["metadata"]["namespace"] = namespace
            if key == DAEMONSETS:
                stamp_daemon_set_generations(obj, None)
            store._stamp(obj)
            store.objects.setdefault(key, {})[(namespace, name)] = obj
        self.send_json(201, obj)

    def replace_object(self, key, namespace, name):
        try:
            obj = self.body_json()
        except ValueError:
            return self.send_status(415, "UnsupportedMediaType", "the request body is not JSON")
        store = self.server.store
        with store.lock:
            current = store.objects.get(key, {}).get((namespace, name))
            if current is None:
                return self.not_found(key, name)
            if obj.get("metadata", {}).get("name") != name:
                return self.send_status(400, "BadRequest", "the name of the object does not match")
            if self.denied_by_webhook(current):
                return None
            wanted = obj["metadata"].get("resourceVersion")
            if wanted and wanted != current["metadata"]["resourceVersion"]:
                return self.send_status(409, "Conflict",
                                        'Operation cannot be fulfilled on %s "%s": the object has '
                                        'been modified' % (key[2], name))
            obj["apiVersion"], obj["kind"] = current["apiVersion"], current["kind"]
            if namespace:
                obj["metadata"]["namespace"] = namespace
            obj["metadata"]["uid"] = current["metadata"]["uid"]
            if key == DAEMONSETS:
                stamp_daemon_set_generations(obj, current)
                if "status" not in obj and "status" in current:
                    obj["status"] = current["status"]
            store._stamp(obj)
            store.objects[key][(namespace, name)] = obj
        self.send_json(200, obj)

    def denied_by_webhook(self, current):
        """Answers 400 as for a validating webhook's denial when `current` is guarded; else False."""
        webhook = current["metadata"].get("annotations", {}).get(DENY_WRITES)
        if webhook is None:
            return False
        self.send_status(400, "", 'admission webhook "%s" denied the request: changes to %s "%s" '
                         'are not allowed' % (webhook, current["kind"], current["metadata"]["name"]))
        return True

    def delete_object(self, key, namespace, name):
        store = self.server.store
        with store.lock:
            if store.objects.get(key, {}).pop((namespace, name), None) is None:
                return self.not_found(key, name)
            store.revision += 1  # the controller notices deletions too
        self.send_json(200, {"kind": "Status", "apiVersion": "v1", "status": "Success"})

    def evict_pod(self, namespace, name):
        """The Eviction API: a PodDisruptionBudget that allows no disruption refuses with 429."""
        try:
            eviction = self.body_json()
        except ValueError:
            return self.send_status(415, "UnsupportedMediaType", "the request body is not JSON")
        if eviction.get("apiVersion") != "policy/v1" or eviction.get("kind") != "Eviction":
            return self.send_status(400, "BadRequest", "the body is not a policy/v1 Eviction")
        if eviction.get("metadata", {}).get("name") != name:
            return self.send_status(400, "BadRequest",
                                    "name in URL does not match name in Eviction object")
        store = self.server.store
        with store.lock:
            pod = store.objects.get(PODS, {}).get((namespace, name))
            if pod is None:
                return self.not_found(PODS, name)
            labels = pod["metadata"].get("labels", {})
            for (pdb_namespace, pdb_name), pdb in store.objects.get(PDBS, {}).items():
                selector = pdb.get("spec", {}).get("selector", {}).get("matchLabels", {})
                if pdb_namespace == namespace and selector and \
                        all(labels.get(k) == v for k, v in selector.items()) and \
                        pdb.get("spec", {}).get("maxUnavailable") == 0:
                    return self.send_status(
                        429, "TooManyRequests",
                        "Cannot evict pod as it would violate the pod's disruption budget.",
                        {"causes": [{"reason": "DisruptionBudget",
                                     "message": "The disruption budget %s needs 1 healthy pods and "
                                                "has 1 currently" % pdb_name}]})
            del store.objects[PODS][(namespace, name)]
            store.evicted.append((namespace, labels))
            store.revision += 1
        self.send_json(201, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                             "status": "Success", "code": 201})

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    # --- PATCH --------------------------------------------------------------------------------
    def patch_object(self, key, namespace, name):
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type not in PATCH_TYPES:
            return self.send_status(415, "UnsupportedMediaType",
                                    "the body of the request was in an unknown format - accepted "
                                    "media types include: " + ", ".join(sorted(PATCH_TYPES)))
        if content_type == STRATEGIC_MERGE and key not in BUILTIN:
            return self.send_status(415, "UnsupportedMediaType",
                                    "strategic merge patch is not supported for custom resources")
        try:
            patch = self.body_json()
            if not isinstance(patch, dict):
                raise ValueError("a patch must be a JSON object")
            merge = merge_patch if content_type == MERGE else strategic_merge_patch
            store = self.server.store
            with store.lock:
                current = store.objects.get(key, {}).get((namespace, name))
                if current is None:
                    return self.not_found(key, name)
                if self.denied_by_webhook(current):
                    return None
                wanted = patch.get("metadata", {}).get("resourceVersion") \
                    if isinstance(patch.get("metadata"), dict) else None
                if wanted and wanted != current["metadata"]["resourceVersion"]:
                    return self.send_status(409, "Conflict",
                                            'Operation cannot be fulfilled on %s "%s": the object '
                                            'has been modified' % (key[2], name))
                patched = merge(current, patch)
                for field in ("apiVersion", "kind"):
                    patched[field] = current[field]
                for field in ("name", "namespace", "uid", "creationTimestamp"):
                    if field in current["metadata"]:
                        patched["metadata"][field] = current["metadata"][field]
                if patched.get("spec") != current.get("spec"):
                    patched["metadata"]["generation"] = current["metadata"].get("generation", 1) + 1
                if key == DAEMONSETS:
                    stamp_daemon_set_generations(patched, current)
                store._stamp(patched)
                store.objects[key][(namespace, name)] = patched
        except ValueError as error:
            return self.send_status(400, "BadRequest", str(error))
        self.send_json(200, patched)


DENY_WRITES = "test.getmesh.io/deny-writes"
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def template_generation(daemon_set):
    """The DaemonSet's template generation (what its pods' pod-template-generation label names)."""
    return int(daemon_set["metadata"].get("annotations", {}).get(TEMPLATE_GENERATION, "1"))


def stamp_daemon_set_generations(obj, current):
    """Kubernetes' DaemonSet strategy (PrepareForCreate/PrepareForUpdate): generation 1 and template
    generation 1 (or the one asked for) at creation; at an update, the template generation is the old
    one, one more when spec.template changed, and the generation one more when the spec changed."""
    annotations = obj["metadata"].setdefault("annotations", {})
    if current is None:
        obj["metadata"]["generation"] = 1
        asked = annotations.get(TEMPLATE_GENERATION, "")
        annotations[TEMPLATE_GENERATION] = asked if asked.isdigit() and int(asked) >= 1 else "1"
        return
    generation = current["metadata"].get("generation", 1)
    spec, old_spec = obj.get("spec", {}), current.get("spec", {})
    obj["metadata"]["generation"] = generation + 1 if spec != old_spec else generation
    changed = spec.get("template") != old_spec.get("template")
    annotations[TEMPLATE_GENERATION] = str(template_generation(current) + (1 if changed else 0))

# --- patch semantics -------------------------------------------------------------------------------
MERGE = "application/merge-patch+json"
STRATEGIC_MERGE = "application/strategic-merge-patch+json"
PATCH_TYPES = {MERGE, STRATEGIC_MERGE}

# Lists that a strategic merge patch merges item by item, by this key (from the Kubernetes types).
STRATEGIC_LIST_KEYS = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name",
                       "volumes": "name", "env": "name", "volumeMounts": "mountPath",
                       "imagePullSecrets": "name", "ownerReferences": "uid"}


def merge_patch(target, patch):
    """RFC 7386: maps merge recursively, null deletes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target, patch, field=None):
    """Strategic merge without directives: maps as in a merge patch, keyed lists merged by key."""
    if isinstance(patch, dict):
        if any(key.startswith("$") for key in patch):
            raise ValueError("strategic merge directives ($patch, $retainKeys…) are not supported "
                             "by the test server")
        result = copy.deepcopy(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if value is None:
                result.pop(key, None)
            else:
                result[key] = strategic_merge_patch(result.get(key), value, key)
        return result
    merge_key = STRATEGIC_LIST_KEYS.get(field)
    if isinstance(patch, list) and merge_key and isinstance(target, list):
        result = copy.deepcopy(target)
        for item in patch:
            index = next((i for i, old in enumerate(result) if isinstance(old, dict)
                          and isinstance(item, dict) and old.get(merge_key) == item.get(merge_key)),
                         None)
            if index is None:
                result.append(copy.deepcopy(item))
            else:
                result[index] = strategic_merge_patch(result[index], item)
        return result
    return copy.deepcopy(patch)


class TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, context, config, store):
        super().__init__(address, Handler)
        self.context, self.config, self.store = context, config, store

    def get_request(self):
        sock, address = super().get_request()
        sock.settimeout(30)
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request, client_address):
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError):
            return  # a refused client certificate ends here, as on a real API server
        super().finish_request(request, client_address)


# --- workload controller -------------------------------------------------------------------------
DEPLOYMENTS = ("apps", "v1", "deployments")
DAEMONSETS = ("apps", "v1", "daemonsets")
NODES = ("", "v1", "nodes")
PDBS = ("policy", "v1", "poddisruptionbudgets")
PODS = ("", "v1", "pods")
NAMESPACES = ("", "v1", "namespaces")
WEBHOOKS = ("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations")
# A Deployment annotated like this never gets its new pods (as if they could not be scheduled).
STUCK_ANNOTATION = "test.getmesh.io/stuck"


class WorkloadController:
    """What the Deployment controller and Istio's injection webhook do, in small.

    Deployments found at start keep their pods. When a Deployment's pod template changes (or a new
    Deployment appears), its pods are replaced at once by `replicas` new ones; a deleted Deployment's
    pods go with it. New pods get an `istio-proxy` container when their namespace asks for injection
    (`istio-injection=enabled` through the `default` tag, or `istio.io/rev=<revision|tag>`, tags
    resolved through their `istio-revision-tag-<tag>` webhook): the image is the proxyv2 of that
    revision's istiod, and the pod carries the revision in its `istio.io/rev` label and its
    `sidecar.istio.io/status` annotation. Pods of namespaces in ambient mode
    (`istio.io/dataplane-mode=ambient`) get no sidecar. Waypoints (Deployments labelled
    `gateway.istio.io/managed`) get the proxy of the revision their pod template's or namespace's
    `istio.io/rev` names (a tag resolved), named in their `istio.io/rev` annotation, as Istio's gateway
    controller renders them. An evicted pod of a Deployment is replaced on a schedulable Node.

    DaemonSets keep one pod on every Node (cordoned ones too: DaemonSet pods tolerate it), labelled
    `pod-template-generation` (the DaemonSet's template generation) and `controller-revision-hash`; when the pod template changes, the
    RollingUpdate strategy replaces them at once, OnDelete only where a pod was deleted. Their status
    has desiredNumberScheduled, currentNumberScheduled, updatedNumberScheduled, numberReady,
    numberAvailable and observedGeneration. DaemonSets found at start keep their pods."""

    def __init__(self, store):
        self.store = store
        self.seen = {}  # (namespace, name) -> (template hash, selector)
        self.initial_ds = {}  # DaemonSets found at start -> template hash their pods count as
        self.synced_revision = None
        with store.lock:
            for key, deployment in store.objects.get(DEPLOYMENTS, {}).items():
                self.seen[key] = (template_hash(deployment), selector_of(deployment))
            for key, daemon_set in store.objects.get(DAEMONSETS, {}).items():
                self.initial_ds[key] = template_hash(daemon_set)

    def run(self):
        while True:
            with self.store.lock:
                if self.store.revision != self.synced_revision:
                    self.sync()
                    self.synced_revision = self.store.revision
            time.sleep(0.02)

    def sync(self):
        self.sync_deployments()
        self.replace_evicted()
        self.schedule_pending()
        self.sync_daemon_sets()

    def schedulable_nodes(self):
        return [node["metadata"]["name"] for _, node in sorted(self.store.objects.get(NODES, {}).items())
                if not node.get("spec", {}).get("unschedulable")]

    def schedule_pending(self):
        """The scheduler: a Deployment's pod without a node goes to the first schedulable one."""
        nodes = self.schedulable_nodes()
        if not nodes:
            return
        for pod in self.store.objects.get(PODS, {}).values():
            owners = pod["metadata"].get("ownerReferences", [])
            if not pod.get("spec", {}).get("nodeName") and owners and owners[0].get("kind") == "ReplicaSet" \
                    and self.store.objects.get(NODES):
                pod.setdefault("spec", {})["nodeName"] = nodes[0]
                self.store._stamp(pod)

    def replace_evicted(self):
        evicted, self.store.evicted = self.store.evicted, []
        for namespace, labels in evicted:
            for (ns, _), deployment in self.store.objects.get(DEPLOYMENTS, {}).items():
                selector = selector_of(deployment)
                if ns == namespace and selector and \
                        all(labels.get(k) == v for k, v in selector.items()):
                    nodes = self.schedulable_nodes()
                    self.create_pod(deployment, template_hash(deployment),
                                    nodes[0] if nodes else None)
                    break

    def sync_daemon_sets(self):
        nodes = [node["metadata"]["name"] for _, node in sorted(self.store.objects.get(NODES, {}).items())]
        pods = self.store.objects.setdefault(PODS, {})
        for key, daemon_set in list(self.store.objects.get(DAEMONSETS, {}).items()):
            namespace = key[0]
            digest = template_hash(daemon_set)
            selector = selector_of(daemon_set)
            generation = daemon_set["metadata"].get("generation", 1)
            pod_template_generation = template_generation(daemon_set)
            on_delete = daemon_set.get("spec", {}).get("updateStrategy", {}).get("type") == "OnDelete"
            mine = {name: pod for (ns, name), pod in pods.items()
                    if ns == namespace and selector and
                    all(pod["metadata"].get("labels", {}).get(k) == v for k, v in selector.items())}

            def pod_hash(pod):
                return pod["metadata"].get("labels", {}).get("controller-revision-hash") or \
                    self.initial_ds.get(key)

            for node in nodes:
                on_node = [p for p in mine.values() if p.get("spec", {}).get("nodeName") == node]
                if on_node and (on_delete or all(pod_hash(p) == digest for p in on_node)):
                    continue
                for pod in on_node:
                    del pods[(namespace, pod["metadata"]["name"])]
                    del mine[pod["metadata"]["name"]]
                pod = self.daemon_pod(daemon_set, digest, pod_template_generation, node)
                pods[(namespace, pod["metadata"]["name"])] = pod
                mine[pod["metadata"]["name"]] = pod
            updated = sum(1 for p in mine.values() if pod_hash(p) == digest)
            status = {"desiredNumberScheduled": len(nodes), "currentNumberScheduled": len(mine),
                      "updatedNumberScheduled": updated, "numberReady": len(mine),
                      "numberAvailable": len(mine), "numberMisscheduled": 0,
                      "observedGeneration": generation}
            if daemon_set.get("status") != status:
                daemon_set["status"] = status
                self.store._stamp(daemon_set)

    def daemon_pod(self, daemon_set, digest, pod_template_generation, node):
        template = copy.deepcopy(daemon_set.get("spec", {}).get("template", {}))
        meta = template.get("metadata", {})
        labels = dict(meta.get("labels", {}))
        labels.update({"controller-revision-hash": digest,
                       "pod-template-generation": str(pod_template_generation)})
        spec = template.get("spec", {"containers": []})
        spec["nodeName"] = node
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": daemon_set["metadata"]["name"] + "-" + uuid.uuid4().hex[:5],
                            "namespace": daemon_set["metadata"]["namespace"], "labels": labels,
                            "annotations": dict(meta.get("annotations", {})),
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet",
                                                 "name": daemon_set["metadata"]["name"],
                                                 "controller": True,
                                                 "uid": daemon_set["metadata"]["uid"]}]},
               "spec": spec,
               "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
        self.store._stamp(pod)
        return pod

    def sync_deployments(self):
        deployments = self.store.objects.get(DEPLOYMENTS, {})
        for key in [k for k in self.seen if k not in deployments]:
            self.delete_pods(key[0], self.seen.pop(key)[1])
        for key, deployment in list(deployments.items()):
            digest = template_hash(deployment)
            if key in self.seen and self.seen[key][0] == digest:
                continue
            self.seen[key] = (digest, selector_of(deployment))
            annotations = deployment["metadata"].get("annotations", {})
            if annotations.get(STUCK_ANNOTATION) == "true":
                self.set_status(deployment, updated=0, ready=self.count_pods(key[0], selector_of(deployment)))
                continue
            self.delete_pods(key[0], selector_of(deployment))
            replicas = deployment.get("spec", {}).get("replicas", 1)
            nodes = self.schedulable_nodes()
            for _ in range(replicas):
                self.create_pod(deployment, digest, nodes[0] if nodes else None)
            self.set_status(deployment, updated=replicas, ready=replicas)

    def count_pods(self, namespace, selector):
        return sum(1 for (pod_namespace, _), pod in self.store.objects.get(PODS, {}).items()
                   if pod_namespace == namespace and selector and
                   all(pod["metadata"].get("labels", {}).get(k) == v for k, v in selector.items()))

    def delete_pods(self, namespace, selector):
        if not selector:
            return
        pods = self.store.objects.get(PODS, {})
        for (pod_namespace, name), pod in list(pods.items()):
            labels = pod["metadata"].get("labels", {})
            if pod_namespace == namespace and all(labels.get(k) == v for k, v in selector.items()):
                del pods[(pod_namespace, name)]

    def create_pod(self, deployment, digest, node=None):
        namespace = deployment["metadata"]["namespace"]
        template = copy.deepcopy(deployment.get("spec", {}).get("template", {}))
        meta = template.get("metadata", {})
        labels = dict(meta.get("labels", {}))
        labels["pod-template-hash"] = digest
        annotations = dict(meta.get("annotations", {}))
        spec = template.get("spec", {"containers": []})
        revision, image = self.injection_for(namespace, labels)
        if labels.get("gateway.istio.io/managed"):  # a waypoint: its proxy is part of the template
            revision, image = self.waypoint_proxy(namespace, labels)
            containers = [c for c in spec.get("containers", []) if c.get("name") != "istio-proxy"]
            spec["containers"] = containers + ([{"name": "istio-proxy", "image": image}] if image else [])
            if revision:
                annotations["istio.io/rev"] = revision
            image = None
        if node:
            spec["nodeName"] = node
        if image:
            spec.setdefault("containers", []).append({"name": "istio-proxy", "image": image})
            labels["istio.io/rev"] = revision
            labels.setdefault("security.istio.io/tlsMode", "istio")
            annotations["sidecar.istio.io/status"] = json.dumps(
                {"revision": revision, "containers": ["istio-proxy"]})
        owner = deployment["metadata"]["name"] + "-" + digest
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": owner + "-" + uuid.uuid4().hex[:5], "namespace": namespace,
                            "labels": labels, "annotations": annotations,
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                 "name": owner, "controller": True,
                                                 "uid": str(uuid.uuid4())}]},
               "spec": spec, "status": {"phase": "Running"}}
        self.store._stamp(pod)
        self.store.objects.setdefault(PODS, {})[(namespace, pod["metadata"]["name"])] = pod

    def namespace_labels(self, namespace):
        ns = self.store.objects.get(NAMESPACES, {}).get(("", namespace))
        return ns["metadata"].get("labels", {}) if ns else {}

    def proxy_image(self, revision):
        for deployment in self.store.objects.get(DEPLOYMENTS, {}).values():
            deployment_labels = deployment["metadata"].get("labels", {})
            if deployment_labels.get("app") == "istiod" and \
                    deployment_labels.get("istio.io/rev", "default") == revision:
                containers = deployment["spec"]["template"]["spec"].get("containers", [])
                if containers:
                    return containers[0]["image"].replace("/pilot:", "/proxyv2:")
        return None

    def resolve(self, name):
        tag = self.store.objects.get(WEBHOOKS, {}).get(("", "istio-revision-tag-" + name))
        return tag["metadata"].get("labels", {}).get("istio.io/rev", name) if tag else name

    def waypoint_proxy(self, namespace, pod_labels):
        """The revision and proxy image of a waypoint: its Gateway's istio.io/rev, else its namespace's."""
        name = pod_labels.get("istio.io/rev") or self.namespace_labels(namespace).get("istio.io/rev") \
            or "default"
        revision = self.resolve(name)
        return revision, self.proxy_image(revision)

    def injection_for(self, namespace, pod_labels):
        """The revision and proxy image the namespace's injection gives a new pod, or (None, None)."""
        if pod_labels.get("sidecar.istio.io/inject") == "false":
            return None, None
        labels = self.namespace_labels(namespace)
        if labels.get("istio.io/dataplane-mode") == "ambient":
            return None, None
        if labels.get("istio-injection") == "enabled":
            name = "default"
        elif labels.get("istio.io/rev") or pod_labels.get("istio.io/rev"):
            name = labels.get("istio.io/rev") or pod_labels.get("istio.io/rev")
        else:
            return None, None
        tag = self.store.objects.get(WEBHOOKS, {}).get(("", "istio-revision-tag-" + name))
        revision = tag["metadata"].get("labels", {}).get("istio.io/rev", name) if tag else name
        for deployment in self.store.objects.get(DEPLOYMENTS, {}).values():
            deployment_labels = deployment["metadata"].get("labels", {})
            if deployment_labels.get("app") == "istiod" and \
                    deployment_labels.get("istio.io/rev", "default") == revision:
                containers = deployment["spec"]["template"]["spec"].get("containers", [])
                if containers:
                    return revision, containers[0]["image"].replace("/pilot:", "/proxyv2:")
        return None, None

    def set_status(self, deployment, updated, ready):
        replicas = deployment.get("spec", {}).get("replicas", 1)
        status = {"replicas": replicas, "updatedReplicas": updated, "readyReplicas": ready,
                  "availableReplicas": ready,
                  "observedGeneration": deployment["metadata"].get("generation", 1)}
        if deployment.get("status") != status:
            deployment["status"] = status
            self.store._stamp(deployment)


def template_hash(deployment):
    template = deployment.get("spec", {}).get("template", {})
    return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:10]


def selector_of(deployment):
    return deployment.get("spec", {}).get("selector", {}).get("matchLabels", {})


def hang_forever(listener):
    """Accepts connections and never answers."""
    held = []
    while True:
        connection, _ = listener.accept()
        held.append(connection)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--certs", required=True)
    parser.add_argument("--state", default="")
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--token", action="append", default=[])
    parser.add_argument("--basic", default="")
    parser.add_argument("--fault", default="none",
                        choices=["none", "unauthorized", "hang", "repeat-continue",
                                 "endless-continue", "bloated-continue"])
    parser.add_argument("--forbid", action="append", default=[])
    parser.add_argument("--forbid-message", default="")
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--listen-count", type=int, default=1)
    parser.add_argument("--kube-version", default="v1.32.4")
    parser.add_argument("--log", default="")
    parser.add_argument("--redirect", action="append", default=[])
    parser.add_argument("--controller", action="store_true")
    parser.add_argument("--cluster-uid", default="")
    config = parser.parse_args()
    config.tokens = set(config.token)
    config.redirects = dict(entry.split("=", 1) for entry in config.redirect)
    config.log_lock = threading.Lock()
    major, minor = config.kube_version.lstrip("v").split(".")[:2]
    config.version = {"major": major, "minor": minor, "gitVersion": config.kube_version,
                      "gitCommit": "0" * 40, "gitTreeState": "clean",
                      "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0",
                      "compiler": "gc", "platform": "linux/amd64"}

    objects = []
    if config.state:
        with open(config.state) as handle:
            objects = json.load(handle)
    if not any(obj["kind"] == "Namespace" and obj["metadata"]["name"] == "kube-system"
               for obj in objects):
        objects.append({"apiVersion": "v1", "kind": "Namespace",
                        "metadata": {"name": "kube-system",
                                     "uid": config.cluster_uid or str(uuid.uuid4())}})
    store = Store(objects)

    ports, threads = [], []
    for _ in range(config.listen_count):
        if config.fault == "hang":
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind(("127.0.0.1", 0))
            listener.listen(64)
            ports.append(listener.getsockname()[1])
            threads.append(threading.Thread(target=hang_forever, args=(listener,), daemon=True))
            continue
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(config.certs, "server.crt"),
                                os.path.join(config.certs, "server.key"))
        context.load_verify_locations(os.path.join(config.certs, "ca.crt"))
        context.verify_mode = ssl.CERT_OPTIONAL
        server = TlsServer(("127.0.0.1", 0), context, config, store)
        ports.append(server.server_address[1])
        threads.append(threading.Thread(target=server.serve_forever, daemon=True))
    if config.controller:
        threads.append(threading.Thread(target=WorkloadController(store).run, daemon=True))
    for thread in threads:
        thread.start()
    temporary = config.ready_file + ".tmp"
    with open(temporary, "w") as handle:
        json.dump({"ports": ports, "pid": os.getpid()}, handle)
    os.rename(temporary, config.ready_file)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
