#!/usr/bin/env python3
"""A local fake of an ad platform's audience API, for the connector tests.

    fake_platform.py --platform meta|google|tiktok|webhook --port-file F --state S.json
                     [--token T] [--developer-token D] [--account A] [--rate-limit-every K]
                     [--reject-upload N] [--fail-job N] [--job-polls K] [--page-cap K]
                     [--seed NAME]...

Listens on 127.0.0.1 (a free port, written to F once listening). Python 3 standard
library only; SIGTERM stops it. Each platform's handler (fake_meta.py, fake_google.py,
fake_tiktok.py, the webhook below) checks the SHAPE of every request against the
platform's documented one (path, method, required fields, how the token travels) and
answers with the platform's own success and error bodies. A request that is not what
the platform documents is answered with the platform's 400 and recorded in
`violations`, which a test asserts empty.

--rate-limit-every K: every K-th request gets the platform's rate-limit answer (Meta:
HTTP 400 with error code 80003; Google: 429 RESOURCE_EXHAUSTED; TikTok: HTTP 200 with
code 40100; webhook: 429 with Retry-After 0) and is not applied.
--reject-upload N: the N-th member upload (counted from 1) is refused with the platform's
400 (Meta code 100, Google INVALID_ARGUMENT, TikTok code 40002).
--fail-job N: Google only, the N-th offline user data job ends FAILED.
--job-polls K: Google only, a running job is SUCCESS at the K-th poll (default 2).
--page-cap K: list answers hold at most K audiences a page (paging is exercised).
--seed NAME: an audience of that name exists before the test (another team's).

--state: rewritten after every request, JSON: audiences {id: {name, members: [member,
...], created}}, creates (create calls that made an audience), requests (count by
"METHOD path-kind"), rate_limited, rejected, jobs {name: status}, violations, sizes
{id: [lower, upper]} (what a size read answers). A member is the JSON text of its
identifiers, {platform key name: value}, sorted keys.
"""
import argparse
import http.server
import json
import os
import signal
import socket
import sys
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The platform modules import this one by name: the same module, also when run as a script.
sys.modules.setdefault("fake_platform", sys.modules[__name__])


class Violation(Exception):
    """A request that is not what the platform documents."""


def member(ids):
    """Canonical text of one user's identifiers."""
    return json.dumps({k: v for k, v in ids.items() if v != ""}, sort_keys=True)


class Fake:
    """Shared by all handler threads; guarded by `lock`."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.audiences = {}  # id -> {"name", "members": set, "created"}
        self.next_id = 1000
        self.creates = 0
        self.requests = {}
        self.count = 0
        self.uploads = 0
        self.rate_limited = 0
        self.rejected = 0
        self.violations = []
        self.jobs = {}
        self.job_count = 0
        for name in args.seed or []:
            self.add_audience(name, created=False)

    def add_audience(self, name, created=True):
        self.next_id += 1
        aid = str(self.next_id)
        self.audiences[aid] = {"name": name, "members": set(), "created": created}
        if created:
            self.creates += 1
        return aid

    def by_name(self, name):
        return [aid for aid, a in self.audiences.items() if a["name"] == name]

    def sizes(self):
        out = {}
        for aid, a in self.audiences.items():
            n = len(a["members"])
            out[aid] = [n, n + n // 10 + 10] if self.args.platform == "meta" else [n, n]
        return out

    def save(self):
        state = {
            "audiences": {aid: {"name": a["name"], "members": sorted(a["members"]), "created": a["created"]}
                          for aid, a in self.audiences.items()},
            "creates": self.creates, "requests": self.requests, "rate_limited": self.rate_limited,
            "rejected": self.rejected, "jobs": {k: v["status"] for k, v in self.jobs.items()},
            "violations": self.violations, "sizes": self.sizes(),
        }
        tmp = self.args.state + ".tmp"
        with open(tmp, "w") as f:
            json.dump(state, f, indent=1)
        os.replace(tmp, self.args.state)


def webhook(fake, method, path, query, headers, body):
    """The webhook connector's batches, and a size_url: GET /size?audience=NAME."""
    if method == "GET" and path == "/size":
        name = query.get("audience", [""])[0]
        ids = fake.by_name(name)
        return 200, {"size": len(fake.audiences[ids[0]]["members"]) if ids else 0}, {}
    if method == "POST" and path == "/ops":
        for op in body.get("ops", []):
            ids = fake.by_name(op["audience"]) or [fake.add_audience(op["audience"])]
            m = member(op["keys"])
            if op["op"] == "add":
                fake.audiences[ids[0]]["members"].add(m)
            elif op["op"] == "remove":
                fake.audiences[ids[0]]["members"].discard(m)
        return 200, {"ok": True}, {}
    raise Violation(f"{method} {path}: not a webhook path")


def rate_limit_answer(platform):
    if platform == "meta":
        return 400, {"error": {"message": "There have been too many calls from this ad-account. Wait a bit and try again.",
                               "type": "OAuthException", "code": 80003, "error_subcode": 2446079,
                               "is_transient": True, "fbtrace_id": "AbCdEf123"}}, {}
    if platform == "google":
        return 429, {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).",
                               "status": "RESOURCE_EXHAUSTED", "details": [{
                                   "@type": "type.googleapis.com/google.ads.googleads.v17.errors.GoogleAdsFailure",
                                   "errors": [{"errorCode": {"quotaError": "RESOURCE_EXHAUSTED"},
                                               "message": "Too many requests. Retry in 1 seconds."}],
                                   "requestId": "fake-rl"}]}}, {}
    if platform == "tiktok":
        return 200, {"code": 40100, "message": "Too many requests. Please retry in some time.",
                     "request_id": "2026120700000000RL", "data": {}}, {}
    return 429, {"error": "slow down"}, {"Retry-After": "0"}


def handlers():
    import fake_google
    import fake_meta
    import fake_tiktok
    return {"meta": fake_meta, "google": fake_google, "tiktok": fake_tiktok}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def setup(self):
        super().setup()
        # Headers and body are two writes: without this, Nagle and the client's delayed
        # ACK hold every answer for ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_any(self):
        fake = self.server.fake
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        bodyless_get = self.command == "GET" and not raw and "content-type" not in headers
        platform = fake.args.platform
        module = handlers().get(platform)
        with fake.lock:
            fake.count += 1
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = None
            try:
                if body is None:
                    raise Violation(f"{self.command} {url.path}: the body is not JSON")
                if self.command == "GET" and not bodyless_get:
                    raise Violation(f"GET {url.path} with a body or a Content-Type")
                if self.command != "GET" and raw and headers.get("content-type") != "application/json":
                    raise Violation(f"{self.command} {url.path}: a JSON body needs Content-Type: application/json")
                if module:
                    module.check_auth(fake, headers, query, body)
                key = f"{self.command} {module.kind(url.path) if module else url.path}"
                fake.requests[key] = fake.requests.get(key, 0) + 1
                k = fake.args.rate_limit_every
                if k and fake.count % k == 0:
                    fake.rate_limited += 1
                    status, out, extra = rate_limit_answer(platform)
                elif module:
                    status, out, extra = module.handle(fake, self.command, url.path, query, headers, body)
                else:
                    status, out, extra = webhook(fake, self.command, url.path, query, headers, body)
            except Violation as v:
                fake.violations.append(str(v))
                status, out, extra = (module.error(400, str(v)) if module else (400, {"error": str(v)})) + ({},)
            fake.save()
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--platform", required=True, choices=["meta", "google", "tiktok", "webhook"])
    p.add_argument("--port-file", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--token", default="")
    p.add_argument("--developer-token", default="")
    p.add_argument("--account", default="")
    p.add_argument("--rate-limit-every", type=int, default=0)
    p.add_argument("--reject-upload", type=int, default=0)
    p.add_argument("--fail-job", type=int, default=0)
    p.add_argument("--job-polls", type=int, default=2)
    p.add_argument("--page-cap", type=int, default=2)
    p.add_argument("--seed", action="append")
    args = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.fake = Fake(args)
    server.fake.port = server.server_address[1]
    server.fake.save()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
