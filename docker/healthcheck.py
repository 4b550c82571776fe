"""The image's HEALTHCHECK (liveness): GET /healthz/ where gunicorn listens, as config/gunicorn.py
reads it: GUNICORN_BIND (its first address, a unix socket included), else every interface on
PORT. The standard library only: the image carries no curl."""

import http.client
import os
import socket
import sys


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def connection(timeout=4):
    bind = os.environ.get("GUNICORN_BIND", "").split(",")[0].strip() or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
    if bind.startswith("unix:"):
        return UnixConnection(bind.removeprefix("unix:"), timeout)
    host, _, port = bind.rpartition(":")
    # A wildcard address is not one to connect to: the loopback is.
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "::1"}.get(host, host.strip("[]"))  # noqa: S104
    return http.client.HTTPConnection(host, int(port), timeout=timeout)


if __name__ == "__main__":
    try:
        client = connection()
        client.request("GET", "/healthz/")
        sys.exit(0 if client.getresponse().status == 200 else 1)
    except OSError:
        sys.exit(1)
