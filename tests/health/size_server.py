#!/usr/bin/env python3
"""A destination's size endpoint for the drift tests (RUNTIME.md §9, the webhook
connector's size_url): GET /size?audience=NAME answers {"size": N} from a JSON file of
sizes by audience name, read at every request (the test rewrites it between checks);
an unknown name is a 404. POSTs (the webhook's op batches) are acknowledged. Listens on 127.0.0.1, a free port written to PORT_FILE.

    size_server.py SIZES.json PORT_FILE
"""
import http.server
import json
import sys
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        name = urllib.parse.parse_qs(url.query).get("audience", [""])[0]
        sizes = json.load(open(sys.argv[1]))
        if url.path != "/size" or name not in sizes:
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps({"size": sizes[name]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # the webhook's op batches: acknowledged, not kept
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
