import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Load balancer and Docker health check: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /recherche/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# What a database that does not answer raises (connection refused or lost, server stopped,
# SQLite file that cannot be opened). Not DatabaseError as a whole: an integrity or
# programming error is a bug, a 500.
DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request):
    """The French 503 page, with ``Retry-After``: the database does not answer. Rendered
    without context processors or anything that reads the database. After a POST it tells
    the visitor that their answers are still in the form, one « Précédent » away."""
    template = loader.get_template("503.html")
    context = {"after_post": request.method == "POST", "retry_after": settings.DATABASE_OUTAGE_RETRY_AFTER}
    response = HttpResponse(template.render(context), status=503)
    response["Retry-After"] = str(settings.DATABASE_OUTAGE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def server_error(request):
    """Django's handler500: a database outage (raised anywhere, a middleware reading the
    session included) is a 503 with ``Retry-After``; anything else the French 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_OUTAGE_ERRORS):
        return database_unavailable(request)
    # No context processors that may touch the database: the error may come from there.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)


def bad_request(request, exception=None):
    """The French 400 page (Django's handler400), with a 413 for a request too big.

    Django refuses a request whose fields or files exceed DATA_UPLOAD_MAX_MEMORY_SIZE,
    DATA_UPLOAD_MAX_NUMBER_FIELDS or DATA_UPLOAD_MAX_NUMBER_FILES while reading it, which the
    CSRF check does before any view runs; the refusal comes here, whichever page was posted
    to. Too many files or fields is still a 400, with the "too big" page that says what to do.
    """
    if isinstance(exception, RequestDataTooBig):
        template, status = "413.html", 413
    elif isinstance(exception, TooManyFilesSent | TooManyFieldsSent):
        template, status = "413.html", 400
    else:
        template, status = "400.html", 400
    context = {"too_many_files": isinstance(exception, TooManyFilesSent)}
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
