#!/usr/bin/env python3
"""The fastest endpoint Python gives: reads each request's body and answers 200 at once,
without parsing or logging it (bench/connector_bench.sh measures the connector, not the
test server). 127.0.0.1 only; writes its port to the file given.

  bench/ack_server.py PORT_FILE
"""
import http.server
import os
import sys


class Ack(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # One write for the whole answer: headers and body in two would meet Nagle's
        # algorithm and the client's delayed ACK (40 ms per request).
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

    do_DELETE = do_PUT = do_POST

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ack)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
