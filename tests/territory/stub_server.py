"""A stub of the national address API (BAN) on a loopback port, started by a test."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class StubGeocoder:
    """``mode``: "ok" (a house number at ``point``), "error" (500), "slow" (answers after
        ``delay`` seconds), "hung" (answers nothing until the stub is closed: only the client's own
    timeout ends its wait), "garbage" (not JSON), "municipality" (only the commune)."""

    def __init__(self, mode="ok", point=(48.8867, 2.3522), citycode="75118", delay=2.0):
        self.mode, self.point, self.citycode, self.delay = mode, point, citycode, delay
        self.requests = []
        self.released = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stub.requests.append(parse_qs(urlparse(self.path).query))
                if stub.mode == "slow":
                    time.sleep(stub.delay)
                if stub.mode == "hung":
                    stub.released.wait()
                    return
                if stub.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                body = b"<html>not json" if stub.mode == "garbage" else json.dumps(stub.answer()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/search/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self):
        latitude, longitude = self.point
        kind = "municipality" if self.mode == "municipality" else "housenumber"
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                    "properties": {"type": kind, "score": 0.93, "citycode": self.citycode},
                }
            ],
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
