"""A tiny HTTP CONNECT proxy on 127.0.0.1, for tests of which requests go through a proxy.

It tunnels `CONNECT host:port` to that address only when it is a loopback one (0.0.0.0 included,
which Linux connects to locally) or a name given with --map NAME=IP (the proxy resolves it, so
tests can use names no resolver knows); tests never reach anything else (other targets get 403).
It appends one JSON line per CONNECT to --log:
{"target": "host:port"}. It announces itself with one JSON line on stdout: {"url": "http://..."}.
"""
import argparse
import json
import select
import socket
import socketserver
import threading

LOOPBACK = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        request_line = self.rfile.readline(65536).decode("latin-1").strip()
        while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
            pass  # the request's headers
        parts = request_line.split()
        if len(parts) != 3 or parts[0] != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        target = parts[1]
        with self.server.log_lock, open(self.server.log, "a") as out:
            out.write(json.dumps({"target": target}) + "\n")
        host, _, port = target.rpartition(":")
        host = self.server.names.get(host.strip("[]"), host.strip("[]"))
        if host not in LOOPBACK:
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        try:
            upstream = socket.create_connection((host, int(port)), timeout=5)
        except OSError:
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        self.wfile.flush()
        client = self.connection
        with upstream:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 30)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--map", action="append", default=[], help="NAME=LOOPBACK-IP")
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.log = args.log
    server.names = dict(entry.split("=", 1) for entry in args.map)
    server.log_lock = threading.Lock()
    print(json.dumps({"url": "http://127.0.0.1:%d" % server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
