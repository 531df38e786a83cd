#!/usr/bin/env python3
"""Writes istio-releases.json: release objects shaped like `GET /repos/istio/istio/releases`
(REST API 2022-11-28) for the catalogue tests, newest first as GitHub lists them.

The shape follows the documented release and asset objects and what istio/istio publishes: per
release the full `istio-<V>-<platform>` archives, `istioctl-<V>-<platform>.tar.gz` for linux-amd64,
linux-arm64, osx (Intel) and osx-arm64, a Windows zip, and a `.sha256` asset beside each. Assets
uploaded before mid-2025 have `"digest": null`. The versions are a mix of real and made-up ones,
the digests are made up (sha256 of "<tag>/<asset name>"): test data, never catalogue facts.
Every URL starts with "{base}", which tests/servers/github_api.py replaces with its own URL.

Usage: make_istio_releases.py > istio-releases.json
       make_istio_releases.py --synthetic > big.json   (bench/catalog.sh: about as many releases as
                                                        istio/istio has, 1.0.0 to 1.32.x)
"""
import datetime
import hashlib
import json
import sys

ISTIOCTL_SUFFIXES = ["linux-amd64", "linux-arm64", "osx", "osx-arm64"]
FULL_SUFFIXES = ["linux-amd64", "linux-arm64", "osx", "osx-arm64"]

# tag, published date, prerelease, draft, digests, security note
RELEASES = [
    ("1.33.0", None, False, True, True, False),
    ("1.33.0-alpha.0", "2026-11-25", True, False, True, False),
    ("1.32.0", "2026-11-18", False, False, True, False),
    ("1.31.4", "2026-11-18", False, False, True, True),
    ("1.30.8", "2026-11-18", False, False, True, True),
    ("1.32.0-rc.1", "2026-11-04", True, False, True, False),
    ("1.31.3", "2026-10-28", False, False, True, False),
    ("1.30.7", "2026-10-28", False, False, True, False),
    ("1.31.2", "2026-10-14", False, False, True, False),
    ("1.31.1", "2026-09-21", False, False, True, False),
    ("1.30.5", "2026-09-21", False, False, True, False),
    ("1.29.8", "2026-09-21", False, False, True, False),
    ("1.31.0", "2026-08-31", False, False, True, False),
    ("1.30.0", "2026-05-18", False, False, True, False),
    ("1.29.0", "2026-02-16", False, False, True, False),
    ("1.24.6", "2025-05-13", False, False, False, False),
    ("1.24.0", "2024-11-07", False, False, False, False),
]

next_id = [200000000]


def new_id():
    next_id[0] += 1
    return next_id[0]


def user():
    return {"login": "istio-release-robot", "id": 38365418, "node_id": "MDQ6VXNlcjM4MzY1NDE4",
            "avatar_url": "https://avatars.githubusercontent.com/u/38365418?v=4",
            "url": "{base}/users/istio-release-robot",
            "html_url": "https://github.com/istio-release-robot", "type": "User",
            "site_admin": False}


def asset(tag, name, time, digests):
    asset_id = new_id()
    fake = hashlib.sha256(("%s/%s" % (tag, name)).encode()).hexdigest()
    return {
        "url": "{base}/repos/istio/istio/releases/assets/%d" % asset_id,
        "id": asset_id,
        "node_id": "RA_kwDOAK0dls4%07d" % (asset_id % 10000000),
        "name": name,
        "label": "",
        "uploader": user(),
        "content_type": "text/plain" if name.endswith(".sha256") else "application/gzip",
        "state": "uploaded",
        "size": 91 if name.endswith(".sha256") else 27000000 + asset_id % 1000000,
        "digest": ("sha256:" + fake) if digests else None,
        "download_count": 1000 + asset_id % 5000,
        "created_at": time,
        "updated_at": time,
        "browser_download_url": "{base}/download/%s/%s" % (tag, name),
    }


def release(tag, date, prerelease, draft, digests, security):
    release_id = new_id()
    time = (date + "T17:03:44Z") if date else None
    names = []
    for suffix in FULL_SUFFIXES:
        names.append("istio-%s-%s.tar.gz" % (tag, suffix))
    names.append("istio-%s-win.zip" % tag)
    for suffix in ISTIOCTL_SUFFIXES:
        names.append("istioctl-%s-%s.tar.gz" % (tag, suffix))
    names.append("istioctl-%s-win.zip" % tag)
    assets = []
    for name in names:
        assets.append(asset(tag, name, time or "2026-11-26T09:00:00Z", digests))
        assets.append(asset(tag, name + ".sha256", time or "2026-11-26T09:00:00Z", digests))
    minor = ".".join(tag.split("-")[0].split(".")[:2])
    body = ("[Artifacts for %s](https://github.com/istio/istio/releases/tag/%s)\n\n"
            "[Release Notes](https://istio.io/latest/news/releases/%s.x/announcing-%s/)\n"
            % (tag, tag, minor, tag))
    if security:
        body += ("\nThis release fixes the security vulnerabilities described in "
                 "ISTIO-SECURITY-2026-004.\n")
    return {
        "url": "{base}/repos/istio/istio/releases/%d" % release_id,
        "assets_url": "{base}/repos/istio/istio/releases/%d/assets" % release_id,
        "upload_url": "https://uploads.github.com/repos/istio/istio/releases/%d/assets{?name,label}"
                      % release_id,
        "html_url": "https://github.com/istio/istio/releases/tag/%s" % tag
                    if not draft else "https://github.com/istio/istio/releases/tag/untagged-%d"
                    % release_id,
        "id": release_id,
        "author": user(),
        "node_id": "RE_kwDOAK0dls4%07d" % (release_id % 10000000),
        "tag_name": tag,
        "target_commitish": "release-" + minor,
        "name": "Istio " + tag,
        "draft": draft,
        "immutable": False,
        "prerelease": prerelease,
        "created_at": time or "2026-11-26T09:00:00Z",
        "updated_at": time or "2026-11-26T09:00:00Z",
        "published_at": time,
        "assets": assets,
        "tarball_url": "{base}/repos/istio/istio/tarball/%s" % tag,
        "zipball_url": "{base}/repos/istio/istio/zipball/%s" % tag,
        "body": body,
    }


def synthetic():
    """1.0 to 1.32, ten patches each, newest first; digests from 1.26 (mid-2025) on."""
    entries = []
    for minor in range(32, -1, -1):
        first = datetime.date(2018, 7, 31) + datetime.timedelta(days=92 * minor)
        for patch in range(9, -1, -1):
            date = first + datetime.timedelta(days=21 * patch)
            entries.append(("1.%d.%d" % (minor, patch), date.isoformat(), False, False,
                            minor >= 26, patch == 5))
    return entries


entries = synthetic() if sys.argv[1:] == ["--synthetic"] else RELEASES
print(json.dumps([release(*entry) for entry in entries], indent=1))
