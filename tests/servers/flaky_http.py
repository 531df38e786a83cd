#!/usr/bin/env python3
"""A static file server for download tests that misbehaves on purpose.

Usage: flaky_http.py --root DIR --port PORT --log FILE [--script FILE]

It serves DIR on 127.0.0.1:PORT with strong ETags, single byte ranges (`bytes=N-`) and If-Range.
The script is JSON: {"/<path>": behaviour}, where behaviour may hold
  "fail": [500, 503]      answer the first requests of that path with these statuses
  "retry_after": "1"      a Retry-After header sent with those failures
  "drop_after": 1000      the first full answer promises the whole file, sends 1000 bytes, closes
  "drop_always": true     every full answer does that, not only the first
  "ignore_range": true    always answer 200 with the whole file
  "refuse_range": true    answer every range request with 416 Range Not Satisfiable
  "content_type": "..."   Content-Type of successful answers
  "trickle": 2            send the body at this many bytes per second
  "endless": true         answer 200 with the file, then zeros without end (no Content-Length)
  "announce": 12345       with endless: announce this Content-Length anyway
Every request is logged to FILE as one JSON line: {"path", "range", "if_range", "status"}.
"""
import argparse
import hashlib
import http.server
import json
import os
import threading
import time

lock = threading.Lock()
counts = {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--script")
    args = parser.parse_args()
    script = {}
    if args.script:
        with open(args.script) as f:
            script = json.load(f)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def record(self, status):
            with lock, open(args.log, "a") as log:
                log.write(json.dumps({"path": self.path, "range": self.headers.get("Range", ""),
                                      "if_range": self.headers.get("If-Range", ""),
                                      "status": status}) + "\n")

        def finish_headers(self, status, headers):
            self.record(status)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()

        def do_GET(self):
            behaviour = script.get(self.path, {})
            with lock:
                seen = counts.get(self.path, 0)
                counts[self.path] = seen + 1
            failures = behaviour.get("fail", [])
            if seen < len(failures):
                headers = {"Content-Length": "0"}
                if "retry_after" in behaviour:
                    headers["Retry-After"] = behaviour["retry_after"]
                self.finish_headers(failures[seen], headers)
                return
            path = os.path.join(args.root, self.path.lstrip("/"))
            if behaviour.get("endless"):
                headers = {"Content-Type": "application/octet-stream"}
                if "announce" in behaviour:
                    headers["Content-Length"] = str(behaviour["announce"])
                self.finish_headers(200, headers)
                chunk = b"\0" * 65536
                try:
                    if os.path.isfile(path):
                        with open(path, "rb") as f:
                            self.wfile.write(f.read())
                    while True:
                        self.wfile.write(chunk)
                except OSError:
                    return
            if not os.path.isfile(path):
                self.finish_headers(404, {"Content-Length": "0"})
                return
            with open(path, "rb") as f:
                body = f.read()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Content-Type": behaviour.get("content_type",
                                                                   "application/octet-stream")}
            start = 0
            wanted = self.headers.get("Range", "")
            if wanted and behaviour.get("refuse_range"):
                self.finish_headers(416, {"Content-Length": "0",
                                          "Content-Range": "bytes */%d" % len(body)})
                return
            if_range = self.headers.get("If-Range")
            if (wanted.startswith("bytes=") and wanted.endswith("-")
                    and not behaviour.get("ignore_range") and (if_range is None or if_range == etag)):
                start = int(wanted[6:-1])
                if start >= len(body):
                    self.finish_headers(416, {"Content-Length": "0",
                                              "Content-Range": "bytes */%d" % len(body)})
                    return
                headers["Content-Range"] = "bytes %d-%d/%d" % (start, len(body) - 1, len(body))
            headers["Content-Length"] = str(len(body) - start)
            self.finish_headers(206 if start else 200, headers)
            drop = behaviour.get("drop_after")
            if (drop is not None and start == 0
                    and (behaviour.get("drop_always") or seen == len(failures))):
                self.wfile.write(body[:drop])
                self.wfile.flush()
                self.close_connection = True
                return
            rate = behaviour.get("trickle")
            if rate:
                try:
                    for i in range(start, len(body), rate):
                        self.wfile.write(body[i:i + rate])
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:
                    pass
                return
            self.wfile.write(body[start:])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
