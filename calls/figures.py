"""The calls' key figures (``home/figures.py``): applications received, and the régions
they came from. Spam is not an application; withdrawn and erased ones were received (the
erasure keeps the row, its région and kind). An edition is the year a call opens (Paris)."""

from django.utils.translation import gettext_lazy as _

from home import figures

from .models import Application, CallPage


def received(edition=None):
    """The applications received (``edition``: the year their call opened, or every call)."""
    applications = Application.objects.filter(is_spam=False)
    if edition:
        applications = applications.filter(page__opens_at__year=edition)
    return applications


def applications_received(edition=None):
    return received(edition).count()


def regions_of_applications(edition=None):
    return received(edition).exclude(region="").values("region").distinct().count()


def editions():
    return {moment.year for moment in CallPage.objects.datetimes("opens_at", "year")}


figures.register_editions(editions)
figures.register("candidatures", _("candidatures reçues"), applications_received, models=(Application, CallPage))
figures.register(
    "regions_candidatures",
    _("régions d'où viennent les candidatures"),
    regions_of_applications,
    models=(Application, CallPage),
)
