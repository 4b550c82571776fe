"""Absolute links to the space, for emails (written outside any request)."""

from django.urls import reverse

from home.links import absolute_url


def absolute(path):
    """``path`` on the configured site (``home.links``, the one source of the base URL)."""
    return absolute_url(path)


def space_url():
    return absolute(reverse("applicants:space"))


def application_url(application):
    """The application's page in the space: signed out, the space asks for a sign-in link to
    the application's address and opens this page once signed in (``calls.links.SPACE``)."""
    return absolute(reverse("applicants:application", args=[application.pk]))


def application_pdf_url(application):
    """The application's PDF in the space (``calls.links.SPACE_PDF``)."""
    return absolute(reverse("applicants:pdf", args=[application.pk]))


def safe_next(path):
    """Only a path inside the space may follow a sign-in (no open redirect)."""
    space = reverse("applicants:space")
    if path and path.startswith(space) and "//" not in path and "\\" not in path:
        return path
    return space
