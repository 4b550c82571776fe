"""Absolute links for what is written outside a request (emails): the site's base URL.

One source of truth: ``settings.WAGTAILADMIN_BASE_URL`` (the environment variable of the same
name; ``make run`` sets it from ``HOST`` and ``PORT``, and ``load_demo_content`` gives the
demo's default Wagtail ``Site`` the same host and port). Every emailed link is built here,
so a link never points to another host than the one the site is served on.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_root():
    """The configured base URL, without its trailing slash (« https://quartierscafes.org »)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path=""):
    """``path`` (from ``reverse`` or a page's ``url``) on the configured site."""
    return site_root() + path


def site_host_and_port():
    """The base URL's host and port, for the default Wagtail ``Site``."""
    parts = urlsplit(site_root())
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)
