#!/usr/bin/env python3
"""A local HTTP/1.1 endpoint that misbehaves on schedule, for testing connectors.

    fault_server.py --port-file F [--schedule S.json] [--log L.ndjson]

Listens on 127.0.0.1 only, on a free port (written to F once listening; written
atomically, so a script may poll for the file). Any method, any path. Python 3
standard library only. SIGTERM or SIGINT stops it cleanly (exit 0).

--schedule: a JSON list of response specs, applied to requests in arrival order
(request n, counted from 1, uses spec n; after the list, plain 200). Spec keys:
  status         HTTP status (default 200)
  retry_after    seconds; adds a `Retry-After` header (write an integer: HTTP
                 only knows whole seconds)
  delay_ms       sleep this long before answering (or dropping)
  drop           true: close the connection without any response; nothing
                 applied (a connection error the client must retry)
  lose_response  true: apply as for `status`, then close without responding (the
                 platform took the batch but the ack was lost; a correct client
                 retries with the same idempotency key and must not double-apply)
  body           response body text (default {"ok":true})

--log: one JSON line per request, appended and flushed when the server decides
the answer, so the line order is the order in which requests were applied:
  n, method, path, headers (names lower-cased), idempotency_key (or null),
  body (parsed JSON, or {"raw": text}), status (null when dropped), applied,
  dropped (the client got no response), retry_after (or null),
  t_recv, t_answer (seconds since server start, monotonic: for order and
  Retry-After checks).
`applied` simulates an idempotent platform: true when the status is 2xx and
the request's Idempotency-Key was not applied before (a request without the
header is always applied); a repeated key is acknowledged but not applied again.
"""
import argparse
import http.server
import json
import os
import signal
import socket
import sys
import threading
import time

SPEC_KEYS = {"status", "retry_after", "delay_ms", "drop", "lose_response", "body"}
DEFAULT_BODY = '{"ok":true}'
T0 = time.monotonic()


def now():
    return round(time.monotonic() - T0, 6)


class State:
    """Shared by all handler threads; every field is guarded by `lock`."""

    def __init__(self, schedule, log):
        self.lock = threading.Lock()
        self.schedule = schedule
        self.log = log
        self.count = 0
        self.applied_keys = set()


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1 so clients may keep connections alive (and libcurl's
    # `Expect: 100-continue` is answered by the base class).
    protocol_version = "HTTP/1.1"
    state = None  # set in main()

    def log_message(self, fmt, *args):  # keep stderr quiet; the log file is the record
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()  # CRLF after each chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def handle_any(self):
        t_recv = now()
        raw = self.read_body().decode("utf-8", errors="replace")
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"raw": raw}
        st = self.state
        with st.lock:
            st.count += 1
            n = st.count
            spec = st.schedule[n - 1] if n <= len(st.schedule) else {}
        time.sleep(spec.get("delay_ms", 0) / 1000.0)

        key = self.headers.get("Idempotency-Key")
        dropped = bool(spec.get("drop") or spec.get("lose_response"))
        status = None if spec.get("drop") else int(spec.get("status", 200))
        retry_after = spec.get("retry_after")
        # Decide and log under one lock, before answering: the log's line order
        # is then the order of application, and a client that reacts to this
        # answer can only be logged after it.
        with st.lock:
            applied = status is not None and 200 <= status < 300 and (
                key is None or key not in st.applied_keys)
            if applied and key is not None:
                st.applied_keys.add(key)
            entry = {
                "n": n, "method": self.command, "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "idempotency_key": key, "body": body, "status": status,
                "applied": applied, "dropped": dropped, "retry_after": retry_after,
                "t_recv": t_recv, "t_answer": now(),
            }
            if st.log:
                st.log.write(json.dumps(entry, sort_keys=True) + "\n")
                st.log.flush()

        if dropped:
            # No bytes at all: the client sees the connection close (curl: exit 52).
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        out = b"" if status in (204, 304) else spec.get("body", DEFAULT_BODY).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            if retry_after is not None:
                self.send_header("Retry-After", str(retry_after))
            self.end_headers()
            self.wfile.write(out)
        except OSError:
            self.close_connection = True  # the client gave up (e.g. its timeout)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


def load_schedule(path):
    if not path:
        return []
    with open(path) as f:
        sched = json.load(f)
    if not isinstance(sched, list) or not all(isinstance(s, dict) for s in sched):
        sys.exit("fault_server: --schedule must be a JSON list of objects")
    for i, s in enumerate(sched, 1):
        unknown = set(s) - SPEC_KEYS
        if unknown:  # a typo would otherwise silently turn a fault into a 200
            sys.exit("fault_server: schedule entry %d: unknown keys %s" % (i, sorted(unknown)))
    return sched


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--schedule")
    ap.add_argument("--log")
    args = ap.parse_args()

    log = open(args.log, "a", encoding="utf-8") if args.log else None
    Handler.state = State(load_schedule(args.schedule), log)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        # shutdown() waits for serve_forever to return, so it cannot run on
        # this (the serving) thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)

    server.serve_forever()
    server.server_close()
    if log:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
