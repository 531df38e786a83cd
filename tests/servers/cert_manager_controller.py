"""A stand-in for cert-manager's certificate controller, for getmesh's gen-ca tests.

It polls a Kubernetes API server (the test one, tests/servers/kube_api_server.py) for
cert-manager.io/v1 Certificates and issues them the way cert-manager's CA issuer does: a private
key of spec.privateKey's algorithm and size (PKCS#8), a CA certificate from a test CA hierarchy
(tests/servers/fake_ca.py, the openssl command line) with the subject, SANs, key usages and
duration asked for, written to the kubernetes.io/tls Secret spec.secretName (tls.crt = certificate
+ issuing CA, tls.key, ca.crt = root), then the condition Ready=True.

The issuer's name picks the behaviour: broken* marks the Certificate failed (Ready False, Issuing
False with reason Failed), stuck* leaves it issuing for ever, anything else issues.

Every Certificate is appended, as first seen, to DIR/certificates.jsonl.
Announces {"url": API} on stdout once it runs.

Usage: cert_manager_controller.py --api URL --ca-cert PEM --token TOKEN --dir DIR
"""

import argparse
import base64
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.request

from fake_ca import FakeCa, openssl

CERTIFICATES = "/apis/cert-manager.io/v1/certificates"
KEY_USAGES = {"cert sign": "keyCertSign", "crl sign": "cRLSign",
              "digital signature": "digitalSignature", "key encipherment": "keyEncipherment"}


class Api:
    def __init__(self, url, ca_cert, token):
        self.url, self.token = url, token
        self.context = ssl.create_default_context(cafile=ca_cert)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
            return json.loads(response.read())


def condition(kind, status, reason, message):
    return {"type": kind, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def days_of(duration):
    """Whole days of a Go duration such as 8760h or 2160h0m0s; cert-manager's default is 90 days."""
    match = re.fullmatch(r"(\d+)h(?:0m(?:0s)?)?", duration or "")
    return max(1, int(match.group(1)) // 24) if match else 90


def new_key(path, private_key):
    if private_key.get("algorithm", "RSA") == "ECDSA":
        curve = {256: "P-256", 384: "P-384", 521: "P-521"}[private_key.get("size", 256)]
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out", path)
    else:
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt",
                "rsa_keygen_bits:%d" % private_key.get("size", 2048), "-out", path)


def subject_of(spec):
    subject = spec.get("subject", {})
    parts = [("C", subject.get("countries", [])), ("ST", subject.get("provinces", [])),
             ("L", subject.get("localities", [])), ("O", subject.get("organizations", [])),
             ("OU", subject.get("organizationalUnits", [])),
             ("CN", [spec["commonName"]] if spec.get("commonName") else [])]
    return "".join("/%s=%s" % (short, value) for short, values in parts for value in values) or "/"


def issue(ca, work, certificate):
    """The kubernetes.io/tls Secret for a Certificate."""
    spec = certificate["spec"]
    name = certificate["metadata"]["name"]
    key_path = os.path.join(work, name + ".key")
    new_key(key_path, spec.get("privateKey", {}))
    sans = ["DNS:" + n for n in spec.get("dnsNames", [])] + \
        ["email:" + e for e in spec.get("emailAddresses", [])]
    args = ["req", "-new", "-key", key_path, "-subj", subject_of(spec)]
    if sans:
        args += ["-addext", "subjectAltName=" + ",".join(sans)]
    csr = openssl(*args).decode()
    usages = [KEY_USAGES[u] for u in spec.get("usages", []) if u in KEY_USAGES]
    days = days_of(spec.get("duration"))
    pem = ca.sign_csr(csr, days, None, usages) if usages else ca.sign_csr(csr, days, None)
    with open(key_path) as f:
        key_pem = f.read()

    def encode(text):
        return base64.b64encode(text.encode()).decode()
    template = spec.get("secretTemplate", {})
    return {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": {"name": spec["secretName"], "namespace": certificate["metadata"]["namespace"],
                         "labels": template.get("labels", {}),
                         "annotations": {"cert-manager.io/certificate-name": name}},
            "data": {"tls.crt": encode(pem + ca.issuing_pem()), "tls.key": encode(key_pem),
                     "ca.crt": encode(ca.root_pem())}}


def reconcile(api, ca, work, certificate):
    status = certificate.get("status", {})
    if status:
        return  # issued, failed or stuck already
    with open(os.path.join(work, "certificates.jsonl"), "a") as seen:
        seen.write(json.dumps({"metadata": certificate["metadata"], "spec": certificate["spec"]}) + "\n")
    issuer = certificate["spec"]["issuerRef"]["name"]
    namespace = certificate["metadata"]["namespace"]
    path = "/apis/cert-manager.io/v1/namespaces/%s/certificates/%s" % (
        namespace, certificate["metadata"]["name"])
    missing = condition("Ready", "False", "DoesNotExist", "Issuing certificate as Secret does not exist")
    if issuer.startswith("stuck"):
        certificate["status"] = {"conditions": [missing, condition(
            "Issuing", "True", "DoesNotExist", "Issuing certificate as Secret does not exist")]}
    elif issuer.startswith("broken"):
        certificate["status"] = {"conditions": [missing, condition(
            "Issuing", "False", "Failed", "The certificate request has failed to complete and will "
            "be retried: Error signing certificate: the CA issuer's key pair is not valid")]}
    else:
        api.call("POST", "/api/v1/namespaces/%s/secrets" % namespace, issue(ca, work, certificate))
        certificate["status"] = {"conditions": [condition(
            "Ready", "True", "Ready", "Certificate is up to date and has not expired")]}
    api.call("PUT", path, certificate)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--ca-cert", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    api = Api(args.api, args.ca_cert, args.token)
    ca = FakeCa(args.dir)
    print(json.dumps({"url": args.api}), flush=True)
    while True:
        try:
            for item in api.call("GET", CERTIFICATES).get("items", []):
                # List items carry no kind; replace needs it.
                item.update(apiVersion="cert-manager.io/v1", kind="Certificate")
                reconcile(api, ca, args.dir, item)
        except (urllib.error.URLError, OSError, KeyError, ValueError, RuntimeError) as error:
            print("controller: %s" % error, file=sys.stderr, flush=True)
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
