"""A test endpoint for the few ACM Private CA calls getmesh gen-ca makes.

Every request's SigV4 signature is recomputed with botocore (the AWS SDK for Python) from the
headers the client says it signed, so getmesh's signing is compared with the SDK's own.

Usage: aws_pca_server.py --access-key ID --secret-key SECRET [--session-token T] --dir DIR
Requests are logged as JSON lines to DIR/requests.jsonl.
Prints one JSON line {"url": ..., "ca_bundle": ...} once it listens on 127.0.0.1.

The CA ARN's id picks the behaviour:
  good*             issues normally (GetCertificate answers "in progress" once first)
  denied*           AccessDeniedException on every call
  throttled*        ThrottlingException on the first two attempts of each call
  always-throttled* ThrottlingException forever
  never-issued*     GetCertificate stays RequestInProgressException
  wrong-pathlen*    issues a CA with path length 3 whatever the template says
"""

import argparse
import base64
import datetime
import http.server
import json
import os
import re
import sys
import threading
import uuid

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from fake_ca import FakeCa, https_context

REQUIRED_SIGNED = {"host", "x-amz-date", "x-amz-target", "content-type"}
ARN = re.compile(r"^arn:aws:acm-pca:([a-z0-9-]+):(\d{12}):certificate-authority/([A-Za-z0-9-]+)$")
TEMPLATE = re.compile(r"^arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen([0-3])/V1$")
ALGORITHMS = {"SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA", "SHA256WITHECDSA",
              "SHA384WITHECDSA", "SHA512WITHECDSA"}


class State:
    def __init__(self, args):
        self.args = args
        self.ca = FakeCa(args.dir)
        self.lock = threading.Lock()
        self.attempts = {}
        self.certificates = {}
        self.polls = {}

    def log(self, entry):
        with self.lock, open(os.path.join(self.args.dir, "requests.jsonl"), "a") as out:
            out.write(json.dumps(entry) + "\n")


class ApiError(Exception):
    def __init__(self, kind, message, status=400):
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


def check_signature(state, handler, body):
    auth = handler.headers.get("Authorization", "")
    match = re.match(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                     r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$", auth)
    if not match:
        raise ApiError("IncompleteSignature", "malformed Authorization header: %r" % auth)
    key_id, date, region, service, signed, signature = match.groups()
    if key_id != state.args.access_key:
        raise ApiError("UnrecognizedClientException", "unknown access key %s" % key_id)
    signed_names = signed.split(";")
    missing = REQUIRED_SIGNED - set(signed_names)
    token = handler.headers.get("X-Amz-Security-Token")
    if state.args.session_token:
        if token != state.args.session_token:
            raise ApiError("UnrecognizedClientException", "wrong or missing session token")
        missing |= {"x-amz-security-token"} - set(signed_names)
    if missing:
        raise ApiError("IncompleteSignature", "headers not signed: %s" % sorted(missing))
    amz_date = handler.headers.get("X-Amz-Date", "")
    when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    if abs((datetime.datetime.utcnow() - when).total_seconds()) > 300 or date != amz_date[:8]:
        raise ApiError("InvalidSignatureException", "signature date is off")
    if service != "acm-pca":
        raise ApiError("InvalidSignatureException", "signed for service %s" % service)

    # Recompute the signature with the SDK from exactly the headers the client signed.
    headers = {name: handler.headers.get(name, "") for name in signed_names}
    request = AWSRequest(method=handler.command, url="https://%s%s" % (headers["host"], handler.path),
                         data=body, headers=headers)
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(state.args.access_key, state.args.secret_key,
                                   state.args.session_token or None), service, region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if expected != signature:
        raise ApiError("InvalidSignatureException",
                       "signature mismatch; botocore's canonical request:\n" + canonical, 403)
    if signer.signed_headers(signer.headers_to_sign(request)) != signed:
        raise ApiError("InvalidSignatureException", "SignedHeaders is not sorted and lower case")
    return region


def handle(state, target, request, region):
    arn = request.get("CertificateAuthorityArn", "")
    match = ARN.match(arn)
    if not match:
        raise ApiError("ValidationException", "bad CertificateAuthorityArn %r" % arn)
    if match.group(1) != region:
        raise ApiError("InvalidSignatureException", "signed for %s, CA is in %s" % (region, match.group(1)))
    behaviour = match.group(3)
    attempt_key = (target, arn)
    with state.lock:
        state.attempts[attempt_key] = state.attempts.get(attempt_key, 0) + 1
        attempt = state.attempts[attempt_key]
    if behaviour.startswith("denied"):
        raise ApiError("AccessDeniedException",
                       "User: arn:aws:iam::123456789012:user/test is not authorized to perform: "
                       "acm-pca:%s" % target)
    if behaviour.startswith("always-throttled") or (behaviour.startswith("throttled") and attempt <= 2):
        raise ApiError("ThrottlingException", "Rate exceeded")

    if target == "GetCertificateAuthorityCertificate":
        return {"Certificate": state.ca.issuing_pem().strip(), "CertificateChain": state.ca.root_pem().strip()}
    if target == "IssueCertificate":
        template = TEMPLATE.match(request.get("TemplateArn", ""))
        if not template:
            raise ApiError("ValidationException", "unsupported template %r" % request.get("TemplateArn"))
        if request.get("SigningAlgorithm") not in ALGORITHMS:
            raise ApiError("ValidationException", "bad SigningAlgorithm")
        validity = request.get("Validity", {})
        if validity.get("Type") != "DAYS" or not isinstance(validity.get("Value"), int):
            raise ApiError("ValidationException", "bad Validity %r" % validity)
        token = request.get("IdempotencyToken", "")
        if not 1 <= len(token) <= 36:
            raise ApiError("ValidationException", "bad IdempotencyToken")
        csr = base64.b64decode(request["Csr"]).decode()
        if not csr.startswith("-----BEGIN CERTIFICATE REQUEST-----"):
            raise ApiError("MalformedCSRException", "Csr is not a PEM certificate request")
        path_len = 3 if behaviour.startswith("wrong-pathlen") else int(template.group(1))
        certificate = state.ca.sign_csr(csr, validity["Value"], path_len)
        certificate_arn = "%s/certificate/%s" % (arn, uuid.uuid4().hex)
        with state.lock:
            state.certificates[certificate_arn] = certificate
        return {"CertificateArn": certificate_arn}
    if target == "GetCertificate":
        certificate_arn = request.get("CertificateArn", "")
        with state.lock:
            certificate = state.certificates.get(certificate_arn)
            state.polls[certificate_arn] = state.polls.get(certificate_arn, 0) + 1
            polls = state.polls[certificate_arn]
        if certificate is None:
            raise ApiError("ResourceNotFoundException", "no certificate %s" % certificate_arn)
        if behaviour.startswith("never-issued") or polls == 1:
            raise ApiError("RequestInProgressException", "The request is in progress")
        return {"Certificate": certificate.strip(),
                "CertificateChain": state.ca.issuing_pem() + state.ca.root_pem().strip()}
    raise ApiError("UnknownOperationException", "unknown operation %s" % target)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, document, error_type=None):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type + ":http://internal.amazon.com/coral/")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        target = self.headers.get("X-Amz-Target", "")
        entry = {"target": target, "path": self.path}
        try:
            if self.path != "/":
                raise ApiError("UnknownOperationException", "path %s" % self.path, 404)
            if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
                raise ApiError("SerializationException", "wrong Content-Type")
            if not target.startswith("ACMPrivateCA."):
                raise ApiError("UnknownOperationException", "bad X-Amz-Target %r" % target)
            region = check_signature(state, self, body)
            request = json.loads(body)
            entry["request"] = request
            response = handle(state, target[len("ACMPrivateCA."):], request, region)
            entry["status"] = 200
            state.log(entry)
            self.reply(200, response)
        except ApiError as error:
            entry.update(status=error.status, error=error.kind, message=error.message)
            state.log(entry)
            self.reply(error.status, {"__type": error.kind, "message": error.message}, error.kind)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--session-token", default="")
    parser.add_argument("--dir", required=True, help="an empty directory for keys and the log")
    args = parser.parse_args()
    state = State(args)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = state
    context, cert = https_context(state.ca.dir)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(json.dumps({"url": "https://127.0.0.1:%d" % server.server_address[1], "ca_bundle": cert}),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
