"""A local HTTP server on loopback that behaves like an Elasticsearch 9 cluster, or a failing one.

``FakeElasticsearch(mode)`` listens on 127.0.0.1 (a free port) in a thread:

- ``"ok"``: answers like Elasticsearch (the ``X-Elastic-Product`` header the client checks,
  empty hits, zero counts, empty aggregations, documents accepted); ``respond`` may be
  replaced by a function ``(request) -> (status, body) | None`` to answer some requests
  otherwise (hits, buckets);
- ``"hang"``: accepts the connection, reads the request and never answers (until the
  server stops): the client's timeout is what ends the wait;
- ``400``, ``404``, ``429``, ``500``: answers that status with an Elasticsearch error body
  (``index_not_found_exception``, ``es_rejected_execution_exception``…).

Every request is recorded (``requests``: method, path, query parameters, JSON body), the
ones that hang included, so a test counts how many times the site asked. ``closed_port_url``
gives a URL where nothing listens (connection refused).
"""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ERROR_BODIES = {
    400: {"error": {"type": "parsing_exception", "reason": "unknown query"}, "status": 400},
    404: {
        "error": {
            "root_cause": [{"type": "index_not_found_exception", "reason": "no such index"}],
            "type": "index_not_found_exception",
            "reason": "no such index",
        },
        "status": 404,
    },
    429: {
        "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution"},
        "status": 429,
    },
    500: {"error": {"type": "exception", "reason": "internal error"}, "status": 500},
}


@dataclass
class Request:
    method: str
    path: str
    params: dict
    body: dict | list | None = field(default=None)


def closed_port_url():
    """An http URL on loopback where nothing listens: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def default_answer(request):
    """What an Elasticsearch 9 cluster with empty indexes answers."""
    path = request.path
    if path.endswith("/_count"):
        return 200, {"count": 0, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}
    if path.endswith("/_search"):
        body = {
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
        }
        aggregations = (request.body or {}).get("aggregations") or {}
        if aggregations:
            body["aggregations"] = {
                name: {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []}
                for name in aggregations
            }
        return 200, body
    if path.endswith("/_bulk"):
        actions = [line for line in request.body or [] if isinstance(line, dict) and len(line) == 1 and "index" in line]
        items = [{"index": {"_id": action["index"].get("_id"), "status": 201}} for action in actions]
        return 200, {"took": 1, "errors": False, "items": items}
    if "/_doc/" in path:
        result = "deleted" if request.method == "DELETE" else "created"
        return 200, {"_index": path.split("/")[1], "_id": path.rsplit("/", 1)[1], "result": result}
    if path == "/":
        return 200, {
            "name": "fake",
            "cluster_name": "fake",
            "version": {"number": "9.1.0"},
            "tagline": "You Know, for Search",
        }
    return 200, {"acknowledged": True}


class FakeElasticsearch:
    def __init__(self, mode="ok"):
        self.mode = mode
        self.requests = []
        self.respond = default_answer
        self._stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = None
                if raw:
                    text = raw.decode()
                    try:
                        body = json.loads(text)
                    except ValueError:  # a bulk request: one JSON document a line
                        body = [json.loads(line) for line in text.splitlines() if line.strip()]
                request = Request(self.command, parts.path, parse_qs(parts.query), body)
                fake.requests.append(request)
                if fake.mode == "hang":
                    fake._stop.wait(30)
                    return
                if fake.mode in ERROR_BODIES:
                    status, answer = fake.mode, ERROR_BODIES[fake.mode]
                else:
                    status, answer = fake.respond(request) or default_answer(request)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def paths(self):
        return [f"{request.method} {request.path}" for request in self.requests]
