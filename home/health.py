"""Liveness and readiness probes.

- ``/healthz/`` (liveness, Docker's HEALTHCHECK): cheap, 200 while the process answers and
  the database answers a ``SELECT 1``.
- ``/readyz/`` (readiness, the load balancer): the state of each service the site uses,
  as JSON. Only the database is essential: without it nothing can be served, so the probe
  answers 503. The cache, the private storage, the search engine and the task worker
  degrade the site without taking it down (the cache reads as empty, a search falls back
  to the database, emails wait in the queue): they are reported, with the answer 200 and
  ``"status": "degraded"``, for monitoring to alert on.

Also reported, as « degraded » with the reason: clamd (registered by the calls app: while
scanning fails closed, every upload is refused) and the SMTP server (connected, signed in, a
sender and a recipient accepted, then reset: nothing is sent), each bounded by its client's own
timeout (CLAMAV_TIMEOUT, EMAIL_TIMEOUT).

The details name the services and their errors: they go to clients of READYZ_ALLOWED_NETWORKS
(private ranges and the loopback by default; the client's address as home/security.py reads it
behind trusted proxies) or bearing READYZ_TOKEN (``Authorization: Bearer <token>``). Anyone
else gets the status alone, with the same HTTP code. /healthz/ stays cheap and public.

Both are answered by ``HealthCheckMiddleware`` before host validation and the HTTPS
redirect: probes call the container by its own address, over plain HTTP. Neither says
anything about applicants.
"""

import hmac
import ipaddress
import logging
import smtplib
import time
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.core.mail import get_connection
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.search.backends import get_search_backend

from . import scheduler
from .security import client_ip

logger = logging.getLogger(__name__)

PROBE_KEY = "readyz:probe"
# The queue is late when its oldest ready task has waited longer than this.
TASK_DELAY_WARNING_SECONDS = 300


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def check_cache():
    cache = caches["default"]
    if hasattr(cache, "ping"):  # FailSafeRedisCache swallows errors: ask Redis itself
        cache.ping()
    else:
        token = str(time.monotonic())
        cache.set(PROBE_KEY, token, 10)
        if cache.get(PROBE_KEY) != token:
            raise RuntimeError("the cache did not keep a value")
    return {"status": "ok", "backend": type(cache).__name__}


def check_private_storage():
    storage = storages["private"]
    storage.exists(PROBE_KEY)  # a HEAD on S3, a stat locally: raises when unreachable
    return {"status": "ok", "backend": type(storage).__name__}


def check_search():
    """The search backend's state. Elasticsearch (``search.elasticsearch``) reports its own:
    a ping, its circuit breaker, the index updates waiting for a retry or failed (``health``);
    anything but « ok » means searches are answered by the database index, or it is stale."""
    backend = get_search_backend()
    health = getattr(backend, "health", None)
    if health is not None:
        return health()
    return {"status": "ok", "backend": "database"}


def check_tasks():
    backend = task_backends["default"]
    # The database queue and its subclasses (home.task_backends): the rows wait for a worker.
    if not isinstance(backend, DatabaseBackend):
        return {"status": "ok", "backend": type(backend).__name__, "oldest_ready_seconds": None}
    waiting = [
        run_after if run_after != get_date_max() else enqueued_at
        for enqueued_at, run_after in DBTaskResult.objects.ready().values_list("enqueued_at", "run_after")[:1000]
    ]
    oldest = round((timezone.now() - min(waiting)).total_seconds()) if waiting else None
    late = oldest is not None and oldest > TASK_DELAY_WARNING_SECONDS
    return {
        "status": "late" if late else "ok",
        "backend": "database",
        "ready": len(waiting),
        "oldest_ready_seconds": oldest,
    }


SMTP_BACKENDS = ("django.core.mail.backends.smtp.EmailBackend",)


def check_email():
    """The SMTP server accepts a message from DEFAULT_FROM_EMAIL to SERVER_EMAIL's address,
    without one being sent (RSET before DATA). Other backends (console, memory) are reported
    as they are: production's deploy checks refuse them."""
    if settings.EMAIL_BACKEND not in SMTP_BACKENDS:
        return {"status": "ok", "backend": settings.EMAIL_BACKEND.rsplit(".", 2)[-2]}
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
        server = connection.connection
        server.ehlo_or_helo_if_needed()
        for command, argument in (
            ("mail", _address(settings.DEFAULT_FROM_EMAIL)),
            ("rcpt", _address(settings.SERVER_EMAIL)),
        ):
            code, message = getattr(server, command)(argument)
            if code >= 400:
                reason = f"the SMTP server refuses {command.upper()}: {code} {message.decode('utf-8', 'replace')[:120]}"
                return {"status": "unavailable", "error": "SMTPRefused", "reason": reason}
        server.rset()
    except (OSError, smtplib.SMTPException) as error:
        return {"status": "unavailable", "error": type(error).__name__, "reason": str(error)[:160]}
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return {"status": "ok", "backend": "smtp"}


def _address(value):
    return parseaddr(value)[1] or value


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "private_storage": check_private_storage,
    "search": check_search,
    "tasks": check_tasks,
    "email": check_email,
    # The periodic jobs' last runs; « overdue » when the RGPD purge is late (home/scheduler.py).
    "scheduler": scheduler.health,
}


def register_check(name, check):
    """Add a service to /readyz/ from a higher layer (calls registers clamd in its AppConfig)."""
    CHECKS[name] = check


def details_allowed(request):
    token = settings.READYZ_TOKEN
    authorization = request.headers.get("Authorization", "")
    if token and authorization.startswith("Bearer "):
        return hmac.compare_digest(authorization.removeprefix("Bearer ").encode(), token.encode())
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.READYZ_ALLOWED_NETWORKS)


@never_cache
@require_GET
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        if name != "database" and results.get("database", {}).get("status") != "ok":
            results[name] = {"status": "skipped"}  # every other check may need the database
            continue
        try:
            results[name] = check()
        except Exception as exc:
            logger.warning("Readiness: %s unavailable: %s", name, exc)
            results[name] = {"status": "unavailable", "error": type(exc).__name__}
        else:
            if results[name]["status"] != "ok" and "reason" in results[name]:
                logger.warning("Readiness: %s %s: %s", name, results[name]["status"], results[name]["reason"])
    if results["database"]["status"] != "ok":
        status, code = "unavailable", 503
    elif all(result["status"] == "ok" for result in results.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    if not details_allowed(request):
        return JsonResponse({"status": status}, status=code)
    body = {"status": status, "checks": results}
    if settings.SINGLE_HOST_INSTALL:
        body["mode"] = "single-host"  # SQLite and local files, deliberately (home/checks.py)
    return JsonResponse(body, status=code)
