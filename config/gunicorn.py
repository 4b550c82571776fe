"""gunicorn configuration for the Docker image (``gunicorn -c config/gunicorn.py``).

Worker processes and threads come from the environment. With more than one thread per worker
(GUNICORN_THREADS, 2 by default) gunicorn runs its threaded worker, ``gthread``: each process
serves that many requests at once; with one thread, the plain ``sync`` worker. The default
number of processes follows the CPUs the container may use — its cgroup quota (cpu.max) when one
is set, else the host's — as 2 × CPUs + 1. The timeout stays above the S3 and Elasticsearch
client timeouts so a slow backend fails inside a request, not the worker.
https://docs.gunicorn.org/en/stable/settings.html
"""

import math
import os
import sys
from pathlib import Path

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def _int(name, default):
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


# Where gunicorn listens. By default every interface on PORT, as a lone container behind a
# load balancer needs; behind an nginx of the same host or pod, GUNICORN_BIND narrows it to the
# loopback ("127.0.0.1:8000") or a unix socket ("unix:/run/gunicorn/app.sock") so that nothing
# but nginx reaches the workers. Several addresses: separated by commas.
_binds = [address.strip() for address in os.environ.get("GUNICORN_BIND", "").split(",") if address.strip()]
bind = (_binds if len(_binds) > 1 else _binds[0]) if _binds else f"0.0.0.0:{_int('PORT', 8000)}"


def available_cpus(cpu_max=CGROUP_CPU_MAX):
    """CPUs this process may use: the cgroup v2 quota ("<quota> <period>", or "max <period>"
    without one) rounded up, at most the CPUs the scheduler gives the process."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            return max(1, min(cpus, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cpus


workers = _int("WEB_CONCURRENCY", available_cpus() * 2 + 1)
threads = _int("GUNICORN_THREADS", 2)
# What gunicorn would pick itself for threads > 1, written down so it is not a surprise.
worker_class = "gthread" if threads > 1 else "sync"
# No control socket: gunicorn 27 would create it under $HOME (/app, read-only in the image),
# and the container is managed by its orchestrator, not through gunicornc.
control_socket_disable = True
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
