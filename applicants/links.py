"""Absolute links to the space, for emails (written outside any request)."""

from django.conf import settings
from django.urls import reverse
from wagtail.models import Site


def site_root():
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url.rstrip("/")


def absolute(path):
    return site_root() + path


def space_url():
    return absolute(reverse("applicants:space"))


def safe_next(path):
    """Only a path inside the space may follow a sign-in (no open redirect)."""
    space = reverse("applicants:space")
    if path and path.startswith(space) and "//" not in path and "\\" not in path:
        return path
    return space
