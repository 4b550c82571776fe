"""Production settings: the Docker image's default.

Refuses to start without SECRET_KEY and ALLOWED_HOSTS; the deploy checks (home/checks.py,
``check --deploy``, run by the image's entrypoint) refuse the laptop defaults of the rest.
Modelled on cookiecutter-django's config/settings/production.py.
"""

import copy

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import LOGGING, STORAGES, env

DEBUG = False

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY doit être défini en production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS doit être défini en production.")

# TLS ends at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
# Opt-in: includeSubDomains forces HTTPS on every subdomain, including ones this site does not
# run, and preload asks browsers to ship the domain in their HTTPS-only list, which takes
# months to undo. Whoever owns the domain turns them on, knowing every subdomain speaks HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# `check --deploy` warns when these two are off (W005, W021); off is the deliberate default
# above, so exactly those two warnings are silenced. They cannot fire once the options are on.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# New dicts rather than changes in place: base's own STORAGES and LOGGING stay as base defines
# them for anything that imports config.settings.base next to these settings.
# Static files are public and written once, as root, at the image's build: readable by everyone
# (FILE_UPLOAD_PERMISSIONS, 0o640 for applicants' files, would leave the manifest unreadable to
# the app's user).
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}

# Base's handlers, formatters and loggers (request bodies never logged, SQL kept quiet), plus
# production's own level for requests with a host outside ALLOWED_HOSTS.
LOGGING = copy.deepcopy(LOGGING)
LOGGING["loggers"]["django.security.DisallowedHost"] = {"level": "ERROR"}
