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
