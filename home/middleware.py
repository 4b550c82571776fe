from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

from .health import readyz
from .views import healthz


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
