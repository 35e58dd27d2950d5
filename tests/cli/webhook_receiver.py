#!/usr/bin/python3
"""A webhook receiver for the daemon's end-to-end tests.

Usage: webhook_receiver.py PORT_FILE OUT_DIR STATUSES
Listens on 127.0.0.1 on a free port (written to PORT_FILE), and for each
POST writes OUT_DIR/N.json ({"path", "headers", "body"}), answering the Nth
status of the comma-separated STATUSES (the last one repeats). A status
written "429+2" answers 429 with "Retry-After: 2". Runs until killed.
"""
import http.server
import json
import os
import sys

port_file, out_dir, statuses = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
count = 0


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        record = {"path": self.path, "headers": {k.lower(): v for k, v in
                  self.headers.items()}, "body": body}
        with open(os.path.join(out_dir, "%d.json" % count), "w") as f:
            json.dump(record, f)
        spec = statuses[min(count, len(statuses) - 1)]
        count += 1
        code, _, after = spec.partition("+")
        self.send_response(int(code))
        if after:
            self.send_header("Retry-After", after)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
