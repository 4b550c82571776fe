"""A CDN for the tests: a loopback HTTP endpoint that accepts PURGE requests and records them,
behind Wagtail's frontend-cache HTTP backend (the ``cdn`` fixture, tests/conftest.py)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PurgeEndpoint:
    """Records each PURGE's path; answers ``status`` (200, or an error to play a CDN down)."""

    def __init__(self, status=200):
        self.purged = []
        self.status = status
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                endpoint.purged.append(self.path)
                self.send_response(endpoint.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take(self):
        """The paths purged since the last call, sorted, each once."""
        purged, self.purged = sorted(set(self.purged)), []
        return purged

    def take_all(self):
        """The paths purged since the last call, sorted, as many times as each was purged."""
        purged, self.purged = sorted(self.purged), []
        return purged

    def close(self):
        self.server.shutdown()
        self.server.server_close()
