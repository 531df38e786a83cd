"""A two-level test CA hierarchy (root -> issuing CA) made and used with the openssl command line.

Shared by the test endpoints that stand in for cloud certificate authorities. Nothing here needs
more than python3's standard library and the `openssl` program.
"""

import os
import subprocess
import threading

# openssl's names for the key usages of the CA certificates issued here.
DEFAULT_KEY_USAGE = ("keyCertSign", "cRLSign", "digitalSignature")


def openssl(*args, stdin=None):
    """Runs openssl and returns its stdout; raises with its stderr on failure."""
    result = subprocess.run(["openssl", *args], input=stdin, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (args[0], result.stderr.decode(errors="replace")))
    return result.stdout


class FakeCa:
    """Root and issuing CA in a temporary directory; signs CA certificates for requests."""

    def __init__(self, directory):
        self.dir = directory
        self._lock = threading.Lock()
        self._serial = 1000
        self.root_key = self._path("root-key.pem")
        self.root_cert = self._path("root-cert.pem")
        self.issuing_key = self._path("issuing-key.pem")
        self.issuing_cert = self._path("issuing-cert.pem")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/O=Fake Cloud/CN=Fake Root CA", "-days", "7300",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", self.root_key, "-out", self.root_cert)
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/O=Fake Cloud/CN=Fake Issuing CA", "-keyout", self.issuing_key,
                "-out", self._path("issuing.csr"))
        self._write("issuing.ext", "basicConstraints=critical,CA:TRUE\n"
                    "keyUsage=critical,keyCertSign,cRLSign\n"
                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n")
        openssl("x509", "-req", "-in", self._path("issuing.csr"), "-CA", self.root_cert,
                "-CAkey", self.root_key, "-set_serial", "2", "-days", "7000",
                "-extfile", self._path("issuing.ext"), "-out", self.issuing_cert)

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _write(self, name, text):
        with open(self._path(name), "w") as out:
            out.write(text)
        return self._path(name)

    def root_pem(self):
        with open(self.root_cert) as f:
            return f.read()

    def issuing_pem(self):
        with open(self.issuing_cert) as f:
            return f.read()

    def _next_serial(self):
        with self._lock:
            self._serial += 1
            return self._serial

    def sign_csr(self, csr_pem, days, path_len, key_usage=DEFAULT_KEY_USAGE):
        """Verifies the CSR's own signature and issues a CA certificate for it (SANs copied)."""
        serial = self._next_serial()
        csr = self._write("request-%d.csr" % serial, csr_pem)
        openssl("req", "-in", csr, "-noout", "-verify")
        ext = self._write("request-%d.ext" % serial, self._extensions(path_len, key_usage))
        return openssl("x509", "-req", "-in", csr, "-CA", self.issuing_cert, "-CAkey",
                       self.issuing_key, "-set_serial", str(serial), "-days", str(days),
                       "-copy_extensions", "copyall", "-extfile", ext).decode()

    def sign_public_key(self, public_key_pem, subject, dns_names, emails, seconds, path_len):
        """Issues a CA certificate for a bare public key, like CA services that take a config."""
        serial = self._next_serial()
        key = self._write("request-%d.pub" % serial, public_key_pem)
        # A throwaway request carries the subject; -force_pubkey puts the real key in.
        csr = self._path("request-%d.csr" % serial)
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", self._path("throwaway-%d.key" % serial), "-subj", subject, "-out", csr)
        sans = ["DNS:" + name for name in dns_names] + ["email:" + email for email in emails]
        text = self._extensions(path_len)
        if sans:
            text += "subjectAltName=" + ",".join(sans) + "\n"
        ext = self._write("request-%d.ext" % serial, text)
        days = max(1, (seconds + 86399) // 86400)
        return openssl("x509", "-req", "-in", csr, "-force_pubkey", key, "-CA", self.issuing_cert,
                       "-CAkey", self.issuing_key, "-set_serial", str(serial), "-days", str(days),
                       "-extfile", ext).decode()

    @staticmethod
    def _extensions(path_len, key_usage=DEFAULT_KEY_USAGE):
        constraints = "critical,CA:TRUE" + ("" if path_len is None else ",pathlen:%d" % path_len)
        return ("basicConstraints=%s\nkeyUsage=critical,%s\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n"
                % (constraints, ",".join(key_usage)))


def https_context(directory):
    """A TLS server context with a fresh certificate for 127.0.0.1; returns (context, cert path)."""
    import ssl
    key = os.path.join(directory, "tls-key.pem")
    cert = os.path.join(directory, "tls-cert.pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-subj", "/CN=127.0.0.1", "-days", "2", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key, "-out", cert)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert
