"""gunicorn configuration for the Docker image (``gunicorn -c config/gunicorn.py``).

Workers and threads come from the environment; the timeout stays above the S3 and
Elasticsearch client timeouts so a slow backend fails inside a request, not the worker.
https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os
import sys
from pathlib import Path


def _int(name, default):
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


# Where gunicorn listens. By default every interface on PORT, as a lone container behind a
# load balancer needs; behind an nginx of the same host or pod, GUNICORN_BIND narrows it to the
# loopback ("127.0.0.1:8000") or a unix socket ("unix:/run/gunicorn/app.sock") so that nothing
# but nginx reaches the sync workers. Several addresses: separated by commas.
_binds = [address.strip() for address in os.environ.get("GUNICORN_BIND", "").split(",") if address.strip()]
bind = (_binds if len(_binds) > 1 else _binds[0]) if _binds else f"0.0.0.0:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = 100
# Heartbeat files in memory: a container's overlay filesystem can stall them.
worker_tmp_dir = "/dev/shm"  # noqa: S108
accesslog = "-"
errorlog = "-"
# Paths only: query strings can carry search terms, never anything else we log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
# The sign-in token of a path (/espace-candidat/connexion/<token>/) masked in the access and
# error logs (home/log_redaction.py); the project's root put on the path to import it, since
# gunicorn reads this file before it loads the application.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
logger_class = "home.log_redaction.GunicornLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
