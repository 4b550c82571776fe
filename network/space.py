"""The network's part of the applicant's space: the links its home page shows to a member
laureate (« Agenda du réseau », « Mes séances », « Annuaire », « Ressources »), registered with
``applicants.space_links`` from ``NetworkConfig.ready`` (applicants never imports network).

The space asks for them only when the signed-in address is a member laureate's, read on every
request: a laureate who leaves the network no longer sees them, and the pages behind them
refuse the next request (``membership``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applicants import space_links

from .models import AgendaIndexPage


def agenda_url(request, laureates):
    agenda = AgendaIndexPage.objects.live().first()
    return agenda.get_url(request) if agenda else None


def my_sessions_url(request, laureates):
    return reverse("network_registration:mine")


def directory_url(request, laureates):
    return reverse("directory:list")


def resources_url(request, laureates):
    return reverse("network:resources")


def register_links():
    space_links.register(
        "agenda",
        _("Agenda du réseau"),
        agenda_url,
        order=10,
        description=_("Les séances d'accompagnement et les rencontres, et vos inscriptions."),
    )
    space_links.register(
        "mes-seances",
        _("Mes séances"),
        my_sessions_url,
        order=15,
        description=_("Vos inscriptions, leur annulation, votre agenda."),
    )
    space_links.register(
        "annuaire",
        _("Annuaire"),
        directory_url,
        order=20,
        description=_("Les autres lauréats, ce qu'ils apportent et cherchent ; votre fiche."),
    )
    space_links.register(
        "ressources",
        _("Ressources"),
        resources_url,
        order=30,
        description=_("Les documents et liens partagés par l'équipe."),
    )
