"""A test endpoint for Google's OAuth token exchange and Certificate Authority Service v1
CreateCertificate, as getmesh gen-ca uses them.

The token endpoint (POST /token) checks the service-account JWT: RS256 signature verified with the
openssl command line against the test key's public half, issuer, audience, scope and times.
CreateCertificate (POST /v1/projects/*/locations/*/caPools/*/certificates) needs a token issued by
/token or the one given with --gcloud-token, and issues a real CA certificate for the request's
public key from a test CA hierarchy.

Usage: gcp_cas_server.py --dir DIR --public-key PEM --email SA_EMAIL --key-id ID
                         [--gcloud-token TOKEN]
Prints one JSON line {"url": ..., "ca_bundle": ...} once it listens on 127.0.0.1; requests are
logged as JSON lines to DIR/requests.jsonl (tokens left out).

The CA pool's name picks the behaviour: denied* answers 403 PERMISSION_DENIED; unavailable*
answers 503 twice, then issues; anything else issues.
"""

import argparse
import base64
import http.server
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse

from fake_ca import FakeCa, https_context

CREATE = re.compile(r"^/v1/projects/([^/]+)/locations/([^/]+)/caPools/([^/]+)/certificates$")
SUBJECT_FIELDS = [("countryCode", "C"), ("organization", "O"), ("organizationalUnit", "OU"),
                  ("locality", "L"), ("province", "ST"), ("streetAddress", "street"),
                  ("postalCode", "postalCode"), ("commonName", "CN")]


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Refusal(Exception):
    def __init__(self, status, document):
        super().__init__(status)
        self.status, self.document = status, document


def google_error(status, code, message):
    return Refusal(status, {"error": {"code": status, "message": message, "status": code}})


class State:
    def __init__(self, args):
        self.args = args
        self.ca = FakeCa(args.dir)
        self.lock = threading.Lock()
        self.tokens = {args.gcloud_token} if args.gcloud_token else set()
        self.counts = {}

    def log(self, entry):
        with self.lock, open(os.path.join(self.args.dir, "requests.jsonl"), "a") as out:
            out.write(json.dumps(entry) + "\n")

    def count(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


def verify_rs256(state, signing_input, signature):
    base = os.path.join(state.args.dir, "jwt-%s" % secrets.token_hex(6))
    with open(base + ".in", "wb") as f:
        f.write(signing_input)
    with open(base + ".sig", "wb") as f:
        f.write(signature)
    result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", state.args.public_key,
                             "-signature", base + ".sig", base + ".in"], capture_output=True)
    return result.returncode == 0 and b"Verified OK" in result.stdout


def exchange_token(state, handler, body, token_url):
    form = urllib.parse.parse_qs(body.decode())
    if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
        raise Refusal(400, {"error": "unsupported_grant_type"})
    parts = form.get("assertion", [""])[0].split(".")
    if len(parts) != 3:
        raise Refusal(400, {"error": "invalid_request", "error_description": "malformed JWT"})
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    if header.get("alg") != "RS256" or header.get("typ") != "JWT" or header.get("kid") != state.args.key_id:
        raise Refusal(400, {"error": "invalid_grant", "error_description": "bad JWT header %r" % header})
    if not verify_rs256(state, (parts[0] + "." + parts[1]).encode(), b64url_decode(parts[2])):
        raise Refusal(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
    now = time.time()
    problems = []
    if claims.get("iss") != state.args.email:
        problems.append("iss")
    if claims.get("aud") != token_url:
        problems.append("aud %r" % claims.get("aud"))
    if "https://www.googleapis.com/auth/cloud-platform" not in claims.get("scope", "").split():
        problems.append("scope")
    if abs(claims.get("iat", 0) - now) > 300 or not 0 < claims.get("exp", 0) - claims.get("iat", 0) <= 3600:
        problems.append("iat/exp")
    if problems:
        raise Refusal(400, {"error": "invalid_grant", "error_description": "bad claims: %s" % problems})
    token = "ya29.test-" + secrets.token_urlsafe(16)
    with state.lock:
        state.tokens.add(token)
    return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}


def create_certificate(state, handler, body, match, query):
    project, location, pool = match.groups()
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("Bearer ") or auth[7:] not in state.tokens:
        raise google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
    parent = "projects/%s/locations/%s/caPools/%s" % (project, location, pool)
    if pool.startswith("denied"):
        raise google_error(403, "PERMISSION_DENIED",
                           "Permission 'privateca.certificates.create' denied on resource "
                           "'//privateca.googleapis.com/%s' (or it may not exist)." % parent)
    if pool.startswith("unavailable") and state.count(("unavailable", pool)) <= 2:
        raise google_error(503, "UNAVAILABLE", "The service is currently unavailable.")
    if not re.match(r"^[a-zA-Z0-9_-]{1,63}$", query.get("certificateId", [""])[0]):
        raise google_error(400, "INVALID_ARGUMENT", "bad certificateId")
    if not re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                    query.get("requestId", [""])[0]):
        raise google_error(400, "INVALID_ARGUMENT", "requestId must be a UUID")
    request = json.loads(body)
    config = request["config"]
    ca_options = config["x509Config"]["caOptions"]
    usage = config["x509Config"]["keyUsage"]["baseKeyUsage"]
    if ca_options.get("isCa") is not True or not isinstance(ca_options.get("maxIssuerPathLength"), int):
        raise google_error(400, "INVALID_ARGUMENT", "caOptions must set isCa and maxIssuerPathLength")
    if not (usage.get("certSign") and usage.get("crlSign")):
        raise google_error(400, "INVALID_ARGUMENT", "a CA needs certSign and crlSign")
    lifetime = re.match(r"^(\d+)s$", request.get("lifetime", ""))
    if not lifetime:
        raise google_error(400, "INVALID_ARGUMENT", "bad lifetime")
    public_key = config["publicKey"]
    key_pem = base64.b64decode(public_key["key"]).decode()
    if public_key.get("format") != "PEM" or not key_pem.startswith("-----BEGIN PUBLIC KEY-----"):
        raise google_error(400, "INVALID_ARGUMENT", "publicKey must be a PEM public key")
    subject_config = config["subjectConfig"]
    subject = subject_config.get("subject", {})
    subject_text = "".join("/%s=%s" % (short, subject[name]) for name, short in SUBJECT_FIELDS
                           if name in subject)
    alt = subject_config.get("subjectAltName", {})
    pem = state.ca.sign_public_key(key_pem, subject_text, alt.get("dnsNames", []),
                                   alt.get("emailAddresses", []), int(lifetime.group(1)),
                                   ca_options["maxIssuerPathLength"])
    return {"name": "%s/certificates/%s" % (parent, query["certificateId"][0]),
            "pemCertificate": pem,
            "pemCertificateChain": [state.ca.issuing_pem(), state.ca.root_pem()],
            "lifetime": request["lifetime"]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        entry = {"path": url.path, "query": query}
        try:
            if url.path == "/token":
                response = exchange_token(state, self, body, self.server.base_url + "/token")
            elif CREATE.match(url.path):
                entry["request"] = json.loads(body)
                response = create_certificate(state, self, body, CREATE.match(url.path), query)
            else:
                raise google_error(404, "NOT_FOUND", "no such method %s" % url.path)
            entry["status"] = 200
            state.log(entry)
            self.reply(200, response)
        except Refusal as refusal:
            entry.update(status=refusal.status, error=refusal.document)
            state.log(entry)
            self.reply(refusal.status, refusal.document)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True, help="an empty directory for keys and the log")
    parser.add_argument("--public-key", required=True, help="the service account's public key")
    parser.add_argument("--email", required=True, help="the service account's client_email")
    parser.add_argument("--key-id", required=True, help="the key's private_key_id, the JWT's kid")
    parser.add_argument("--gcloud-token", default="", help="a token accepted as if from gcloud")
    args = parser.parse_args()
    state = State(args)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = state
    server.base_url = "https://127.0.0.1:%d" % server.server_address[1]
    context, cert = https_context(args.dir)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(json.dumps({"url": server.base_url, "ca_bundle": cert}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
