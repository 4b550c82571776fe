import logging

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

from .health import readyz
from .views import DATABASE_OUTAGE_ERRORS, database_unavailable, healthz

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answer /healthz/ and /readyz/ (home/health.py) before host validation and the HTTPS redirect.

    Load balancers and Docker's HEALTHCHECK call the container by its own address, which is
    not in ALLOWED_HOSTS and speaks plain HTTP; the check must still reach the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == "/healthz/":
                return healthz(request)
            if request.path == "/readyz/":
                return readyz(request)
        return self.get_response(request)


class DatabaseOutageMiddleware:
    """A database that does not answer gives every page and every POST a French 503 with
    ``Retry-After`` (``home.views.database_unavailable``), not a 500.

    ``process_exception`` takes what a view raises (DEBUG or not); what a middleware raises
    (the session read by the page cache's user check, for instance) reaches Django's
    handler500, ``home.views.server_error``, which answers the same 503. Pages already in the
    page cache are still served. The outage is logged once per request, as a warning.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_OUTAGE_ERRORS):
            logger.warning("The database does not answer (%s): 503 for %s", type(exception).__name__, request.method)
            return database_unavailable(request)
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own, looser policy (settings.ADMIN_CSP_DIRECTIVES).

    Public pages get CSP_DIRECTIVES (config/settings/base.py); paths under
    ADMIN_CSP_PATH_PREFIX get the admin's directives in place of them, in the same header
    (enforced, or report-only with CSP_REPORT_ONLY).
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        in_force = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY if report_only else settings.CONTENT_SECURITY_POLICY
        if in_force and parts.config is None and request.path_info.startswith(settings.ADMIN_CSP_PATH_PREFIX):
            parts.config = default_config(settings.ADMIN_CSP_DIRECTIVES)
            parts.nonce = None  # a nonce beside 'unsafe-inline' would switch 'unsafe-inline' off
        return parts
