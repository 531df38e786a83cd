#!/usr/bin/env python3
"""A stand-in for the GitHub REST API's release listing of istio/istio, for the catalogue tests.

Usage: github_api.py --releases FILE [--assets DIR] [--page-size N] [--token T] --log FILE
                     [--script FILE]

It listens on an ephemeral port of 127.0.0.1 and prints one JSON line {"url": base} once it does.
It answers as the documented API does (docs.github.com, REST API version 2022-11-28):

- GET /repos/istio/istio/releases?per_page=N&page=P and GET /repositories/11338646/releases?... list
  the release objects of FILE (newest first, as GitHub orders them), at most min(per_page,
  --page-size) a page. Every "{base}" in FILE is replaced by the server's URL. A `Link` header names
  the next/last (and prev/first) pages with the /repositories/<id>/ form GitHub uses.
- Each page has a weak ETag; a matching If-None-Match gets 304 without a body, which does not count
  against the rate limit.
- Rate-limit headers on every answer: x-ratelimit-limit (60 anonymous, 5000 with the token),
  -remaining, -used, -reset, -resource.
- With --token, "Authorization: Bearer <T>" is accepted; any other Authorization gets 401
  {"message": "Bad credentials"}; no Authorization is anonymous access.
- gzip when the request's Accept-Encoding allows it.
- GET /download/<tag>/<name> serves DIR/<name>: the release assets' browser_download_url.

The script (JSON, read again at every request, so a test can change it between runs) misbehaves:
  {"mode": M, "pages": [P, ...], "status": S, "retry_after": "5", "reset_in": 3600,
   "delay_ms": 300, "hide_tags": ["1.31.2"]}
with M one of ok, status (answer S), html, invalid_json, truncate (promise more bytes than sent),
silent (accept and never answer), rate_limit (403, remaining 0, reset now + reset_in),
secondary_rate_limit (429 with Retry-After), bad_tag, bad_digest, foreign_next (a Link to another
host), empty (an empty list), redirect (a 302 to "location" + the request's path and query, as
GitHub answers for a moved repository), invent (every answer lists per_page releases never seen before and
links a next page, without end), bomb (a gzip body of about 100 KiB that inflates to 32 MiB of
values nested in the releases' fields); "pages" limits it to those pages (default: every page). While it
misbehaves, If-None-Match is ignored, as if the releases had changed. "delay_ms" delays every
listing answer (a slow API); "hide_tags" leaves releases out (deleted upstream).

Every request is logged to the log file as one JSON line: path, query, if_none_match, auth
("none", "token" for the right one, "wrong"), accept, api_version, accept_encoding, status. The
token itself is never logged.
"""
import argparse
import gzip
import hashlib
import http.server
import json
import os
import threading
import time
import urllib.parse

REPO_ID = 11338646
LIST_PATHS = ("/repos/istio/istio/releases", "/repositories/%d/releases" % REPO_ID)

lock = threading.Lock()
rendered = {}  # page bodies by (per_page, page, mode, hidden tags): the releases never change
compressed_bodies = {}
invented = 0  # releases the invent mode has made up so far
bomb_body = None  # the bomb mode's gzip body, made once


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", required=True)
    parser.add_argument("--assets")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--token")
    parser.add_argument("--log", required=True)
    parser.add_argument("--script")
    args = parser.parse_args()

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def script(self):
            if not args.script or not os.path.exists(args.script):
                return {}
            with open(args.script) as f:
                script = json.load(f)
            return script if isinstance(script, dict) else {}

        def auth(self):
            value = self.headers.get("Authorization")
            if value is None:
                return "none"
            return "token" if args.token and value == "Bearer " + args.token else "wrong"

        def record(self, status):
            url = urllib.parse.urlsplit(self.path)
            entry = {"path": url.path, "query": urllib.parse.parse_qs(url.query),
                     "if_none_match": self.headers.get("If-None-Match", ""), "auth": self.auth(),
                     "accept": self.headers.get("Accept", ""),
                     "api_version": self.headers.get("X-GitHub-Api-Version", ""),
                     "accept_encoding": self.headers.get("Accept-Encoding", ""), "status": status}
            with lock, open(args.log, "a") as log:
                log.write(json.dumps(entry) + "\n")

        def rate_headers(self, remaining=None, reset=None):
            limit = 5000 if self.auth() == "token" else 60
            remaining = limit - 1 if remaining is None else remaining
            return {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(remaining),
                    "x-ratelimit-used": str(limit - remaining),
                    "x-ratelimit-reset": str(reset or int(time.time()) + 3600),
                    "x-ratelimit-resource": "core"}

        def answer(self, status, body=b"", headers=None, promise=None):
            self.record(status)
            self.send_response(status)
            headers = dict(headers or {})
            if body and "gzip" in self.headers.get("Accept-Encoding", "") and promise is None:
                with lock:
                    compressed = compressed_bodies.get(body)
                if compressed is None:
                    compressed = gzip.compress(body, compresslevel=1)
                    with lock:
                        compressed_bodies[body] = compressed
                body = compressed
                headers["Content-Encoding"] = "gzip"
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(promise if promise is not None else len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path.startswith("/download/"):
                return self.download(url.path)
            if url.path not in LIST_PATHS:
                return self.answer(404, b'{"message": "Not Found"}',
                                   {"Content-Type": "application/json"})
            if self.auth() == "wrong":
                return self.answer(401, json.dumps({
                    "message": "Bad credentials",
                    "documentation_url": "https://docs.github.com/rest"}).encode(),
                    {"Content-Type": "application/json; charset=utf-8"})
            if self.script().get("mode") == "redirect":
                return self.answer(302, b"", {"Location": self.script()["location"] + self.path})
            query = urllib.parse.parse_qs(url.query)
            per_page = min(int(query.get("per_page", ["30"])[0]), 100, args.page_size)
            page = int(query.get("page", ["1"])[0])
            self.list_page(per_page, page)

        def list_page(self, per_page, page):
            script = self.script()
            time.sleep(script.get("delay_ms", 0) / 1000)
            hidden = set(script.get("hide_tags", []))
            releases = [r for r in all_releases if r["tag_name"] not in hidden]
            base = "http://%s:%d" % self.server.server_address[:2]
            mode = script.get("mode", "ok")
            misbehaving = mode != "ok"
            if script.get("pages") and page not in script["pages"]:
                mode = "ok"
            if mode == "silent":
                self.record(0)  # logged as asked, with status 0: no answer
                time.sleep(60)
                return
            if mode == "rate_limit":
                reset = int(time.time()) + script.get("reset_in", 3600)
                return self.answer(403, json.dumps({
                    "message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                               "Authenticated requests get a higher rate limit.)",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits"}
                ).encode(), {"Content-Type": "application/json", **self.rate_headers(0, reset)})
            if mode == "secondary_rate_limit":
                return self.answer(429, b'{"message": "You have exceeded a secondary rate limit."}',
                                   {"Content-Type": "application/json",
                                    "Retry-After": script.get("retry_after", "60"),
                                    **self.rate_headers()})
            if mode == "status":
                return self.answer(script.get("status", 502), b"upstream trouble",
                                   {"Content-Type": "text/plain"})
            if mode == "invent":
                return self.invent(per_page, page, base)
            if mode == "bomb":
                return self.bomb()
            if mode == "html":
                return self.answer(200, b"<!DOCTYPE html><html><body>Unicorn!</body></html>",
                                   {"Content-Type": "text/html"})

            last = max(1, (len(releases) + per_page - 1) // per_page)
            chunk = releases[(page - 1) * per_page: page * per_page]
            if mode == "empty":
                chunk, last = [], 1
            published = [i for i, release in enumerate(chunk) if not release["draft"]]
            if mode == "bad_tag" and published:
                chunk[published[0]] = dict(chunk[published[0]], tag_name="release-candidate")
            if mode == "bad_digest" and chunk:
                chunk = json.loads(json.dumps(chunk))  # a copy: all_releases stays intact
                for release in chunk:
                    for asset in release["assets"]:
                        if asset["name"].startswith("istioctl-"):
                            asset["digest"] = "sha256:not-hex"
            key = (per_page, page, mode, tuple(sorted(hidden)))
            with lock:
                body = rendered.get(key)
            if body is None:
                body = json.dumps(chunk, indent=1).encode()
                with lock:
                    rendered[key] = body
            if mode == "invalid_json":
                body = body[: len(body) // 2]
            etag = 'W/"%s"' % hashlib.sha256(body).hexdigest()[:32]
            if self.headers.get("If-None-Match") == etag and not misbehaving:
                return self.answer(304, b"", {"ETag": etag, **self.rate_headers()})

            def link(number, rel):
                host = "http://elsewhere.invalid" if mode == "foreign_next" else base
                return '<%s/repositories/%d/releases?per_page=%d&page=%d>; rel="%s"' % (
                    host, REPO_ID, per_page, number, rel)
            links = []
            if page > 1:
                links += [link(page - 1, "prev"), link(1, "first")]
            if page < last:
                links += [link(page + 1, "next"), link(last, "last")]
            headers = {"Content-Type": "application/json; charset=utf-8", "ETag": etag,
                       **self.rate_headers()}
            if links:
                headers["Link"] = ", ".join(links)
            if mode == "truncate":
                self.answer(200, body[: len(body) // 2], headers, promise=len(body))
                self.close_connection = True
                return
            self.answer(200, body, headers)

        def invent(self, per_page, page, base):
            global invented
            with lock:
                first = invented
                invented += per_page
            releases = []
            for n in range(first, first + per_page):
                tag = "%d.%d.%d" % (2 + n // 1000000, (n // 1000) % 1000, n % 1000)
                name = "istioctl-%s-linux-amd64.tar.gz" % tag
                releases.append({"tag_name": tag, "draft": False, "prerelease": False,
                                 "published_at": "2026-01-01T00:00:00Z", "body": "",
                                 "assets": [{"name": name, "size": 1000, "digest": None,
                                             "browser_download_url": base + "/download/" + name}]})
            link = '<%s/repositories/%d/releases?per_page=%d&page=%d>; rel="next"' % (
                base, REPO_ID, per_page, page + 1)
            self.answer(200, json.dumps(releases).encode(),
                        {"Content-Type": "application/json; charset=utf-8", "Link": link,
                         "ETag": 'W/"invented-%d"' % first, **self.rate_headers()})

        def bomb(self):
            global bomb_body
            with lock:
                if bomb_body is None:
                    values = b"0," * (16 << 20)
                    bomb_body = gzip.compress(b'[{"draft": false, "body": [' + values + b'0]}]', 9)
            self.record(200)
            self.send_response(200)
            for name, value in {"Content-Type": "application/json; charset=utf-8",
                                "Content-Encoding": "gzip", **self.rate_headers()}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(bomb_body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(bomb_body)
            self.wfile.flush()

        def download(self, path):
            name = os.path.basename(path)
            file = os.path.join(args.assets or "", name)
            if not args.assets or not os.path.isfile(file):
                return self.answer(404, b"Not Found", {"Content-Type": "text/plain"})
            with open(file, "rb") as f:
                body = f.read()
            self.answer(200, body, {"Content-Type": "application/octet-stream"})

    server = Server(("127.0.0.1", 0), Handler)
    base = "http://127.0.0.1:%d" % server.server_address[1]
    with open(args.releases) as f:
        all_releases = json.loads(f.read().replace("{base}", base))
    print(json.dumps({"url": "http://127.0.0.1:%d" % server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
