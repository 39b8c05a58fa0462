"""A small LSP client over a subprocess's stdin/stdout (standard library only), for the
scripted tests of `seg lsp` (tests/lsp/test_protocol.py)."""
import json
import queue
import subprocess
import threading
import time


class Client:
    def __init__(self, argv, cwd=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd)
        self.messages = queue.Queue()
        self.notifications = []  # every notification, in order, with its arrival time
        self.next_id = 0
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put((time.monotonic(), json.loads(body)))

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _pump(self, timeout):
        item = self.messages.get(timeout=timeout)
        if item is None:
            raise RuntimeError("the server closed its output; stderr:\n" + "".join(self.stderr))
        return item

    def request(self, method, params, timeout=10):
        """The whole response message (with `result` or `error`)."""
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            at, msg = self._pump(max(0.01, deadline - time.monotonic()))
            if msg.get("id") == rid and "method" not in msg:
                return msg
            if "method" in msg:
                self.notifications.append((at, msg))

    def result(self, method, params):
        msg = self.request(method, params)
        if "error" in msg:
            raise AssertionError(f"{method} failed: {msg['error']}")
        return msg["result"]

    def wait_notification(self, predicate, timeout=5):
        """The first notification (recorded or arriving) that matches; removed from the log."""
        deadline = time.monotonic() + timeout
        while True:
            for i, (at, msg) in enumerate(self.notifications):
                if predicate(msg):
                    del self.notifications[i]
                    return at, msg
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching notification; got: "
                                     + json.dumps([m for _, m in self.notifications])[:2000])
            try:
                at, msg = self._pump(left)
            except queue.Empty:
                continue
            if "method" in msg:
                self.notifications.append((at, msg))

    def diagnostics(self, uri, timeout=5, version=None):
        def match(m):
            return (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and (version is None or m["params"].get("version") == version))
        at, msg = self.wait_notification(match, timeout)
        return at, msg["params"]["diagnostics"]

    def forget(self, settle):
        """Waits `settle` seconds for what is in flight, then drops every logged notification."""
        time.sleep(settle)
        while True:
            try:
                item = self.messages.get(timeout=0.05)
            except queue.Empty:
                break
            if item is None:
                self.messages.put(None)
                break
        self.notifications.clear()

    def close(self, timeout=10):
        self.proc.stdin.close()
        return self.proc.wait(timeout)
