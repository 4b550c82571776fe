"""Demo network: the agenda (in the menu), two sessions to come — a co-construction session open
to everyone in a commune with quartiers prioritaires, a coaching session online for laureates —
and one past session. Every session is an example: its title says so, its place is an example
place and its link an example.org address. The programme's pages « L'accompagnement » and « Le
réseau des lauréats » point to the agenda. Idempotent: pages are found by slug and updated; the
dates are set again from the day the demo is loaded. The members' directory's profiles are
``directory_demo.py``'s."""

import datetime

from django.utils import timezone

from home.demo import register
from home.demo_content import get_or_create_child, rich
from territory import geo
from territory.forms import Address

from . import place
from .dates import PARIS
from .demo_attendance import load_after_session
from .directory_demo import load_directory  # noqa: F401 - registers the directory's profiles (after the laureates)
from .models import AgendaIndexPage, Audience, Mode, SessionKind, SessionPage

EXAMPLE_NOTE = rich(
    "<p><em>Cette séance est un exemple de démonstration : ni la date, ni le lieu ne décrivent "
    "une séance réelle.</em></p>"
)

# An example address in Aubervilliers (93300), a commune with quartiers prioritaires.
EXAMPLE_STREET = "12 rue de l'Exemple"
EXAMPLE_POSTAL_CODE = "93300"
EXAMPLE_COMMUNE = "93001"

AGENDA_CTA_TITLE = "L'agenda du réseau"
PAST_SESSION_SLUG = "exemple-rencontre-reseau"


def at(days, hour, minute=0):
    """The first weekday (Tuesday to Friday) ``days`` or more from today, at ``hour``:``minute``
    Paris time (``days`` negative: that many days ago, then back to such a weekday)."""
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=days)
    step = datetime.timedelta(days=1 if days >= 0 else -1)
    while day.weekday() not in (1, 2, 3, 4):
        day += step
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def example_place():
    commune = geo.commune(EXAMPLE_COMMUNE)
    address = Address(
        street=EXAMPLE_STREET,
        postal_code=EXAMPLE_POSTAL_CODE,
        commune_code=commune.code,
        commune_name=commune.name,
        departement=commune.departement,
        departement_name=commune.departement_name,
        region=commune.region,
        region_name=commune.region_name,
    )
    return place.columns(address)


def sessions():
    on_site = example_place()
    no_place = place.columns(None)
    return [
        (
            "exemple-co-construction-habitants",
            {
                "title": "Exemple — Co-construire une animation de quartier avec les habitants",
                "kind": SessionKind.objects.get(slug="co-construction"),
                "starts_at": at(14, 18),
                "ends_at": at(14, 20, 30),
                "mode": Mode.SUR_PLACE,
                "place_name": "Café de l'Exemple (lieu d'exemple)",
                **on_site,
                "meeting_url": "",
                "audience": Audience.TOUS,
                "capacity": 25,
                "summary": "Exemple de séance : habitants et commerçants imaginent ensemble une animation "
                "pour le quartier. Ouverte à tous, sur inscription.",
            },
        ),
        (
            "exemple-accompagnement-en-ligne",
            {
                "title": "Exemple — Trouver des financements pour son commerce",
                "kind": SessionKind.objects.get(slug="accompagnement"),
                "starts_at": at(21, 10),
                "ends_at": at(21, 12),
                "mode": Mode.EN_LIGNE,
                "place_name": "",
                **no_place,
                "meeting_url": "https://visio.example.org/exemple-financements",
                "audience": Audience.LAUREATS,
                "capacity": 15,
                "summary": "Exemple de séance d'accompagnement collectif, en ligne, pour les lauréats : "
                "les aides et les financeurs adaptés à un commerce de quartier.",
            },
        ),
        (
            PAST_SESSION_SLUG,
            {
                "title": "Exemple — Rencontre du réseau : accueillir les habitants",
                "kind": SessionKind.objects.get(slug="rencontre"),
                "starts_at": at(-30, 14),
                "ends_at": at(-30, 17),
                "mode": Mode.SUR_PLACE,
                "place_name": "Tiers-lieu de l'Exemple (lieu d'exemple)",
                **on_site,
                "meeting_url": "",
                "audience": Audience.TOUS,
                "capacity": 30,
                "summary": "Exemple de rencontre passée : les lauréats ont partagé leurs façons d'accueillir "
                "les habitants et d'animer leur lieu.",
            },
        ),
    ]


def point_programme_pages_to(agenda, stdout):
    """« L'accompagnement » and « Le réseau des lauréats » end with a link to the agenda."""
    cta = {
        "type": "call_to_action",
        "value": {
            "title": AGENDA_CTA_TITLE,
            "text": "Les prochaines séances d'accompagnement, les rencontres du réseau et les sessions "
            "de co-construction avec les habitants, avec leurs dates et leurs lieux.",
            "link_label": "Voir l'agenda",
            "page": agenda.pk,
            "url": "",
        },
    }
    programme = agenda.get_parent().get_children().filter(slug="le-programme").first()
    if programme is None:
        return
    for page in programme.get_children().filter(slug__in=["accompagnement", "reseau"]).specific():
        if any(
            block.block_type == "call_to_action" and block.value["title"] == AGENDA_CTA_TITLE for block in page.body
        ):
            continue
        page.body = [*page.body.raw_data, cta]
        page.save_revision().publish()
        stdout.write(f"« {page.title} » renvoie vers l'agenda.")


@register(60)
def load(home, stdout):
    agenda = get_or_create_child(
        home,
        AgendaIndexPage,
        "agenda",
        title="Agenda du réseau",
        show_in_menus=True,
        intro="Les séances d'accompagnement, les rencontres du réseau des lauréats et les sessions de "
        "co-construction avec les habitants.",
        search_description="L'agenda du réseau des lauréats de Quartiers Cafés.",
    )
    for slug, fields in sessions():
        get_or_create_child(
            agenda, SessionPage, slug, search_description=fields["summary"], body=[EXAMPLE_NOTE], **fields
        )
    point_programme_pages_to(agenda, stdout)
    # After the past session: attendance, minutes and two shared resources (demo_attendance.py).
    load_after_session(SessionPage.objects.child_of(agenda).filter(slug=PAST_SESSION_SLUG).first(), stdout)
    stdout.write(f"Agenda : {SessionPage.objects.child_of(agenda).count()} séances d'exemple.")
