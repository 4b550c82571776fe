"""Sessions of the network for the tests: the agenda under the home page, sessions under it."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from network.models import AgendaIndexPage, Audience, Mode, SessionKind, SessionPage

PARIS = ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


def make_agenda(home, **fields):
    agenda = AgendaIndexPage(title="Agenda du réseau", slug="agenda", **fields)
    home.add_child(instance=agenda)
    return agenda


def kind(slug="accompagnement"):
    return SessionKind.objects.get(slug=slug)


def make_session(agenda, *, starts_at=None, hours=2, publish=True, **fields):
    """A session under ``agenda``; by default in ten days, on site in Aubervilliers, open to all."""
    number = next(_numbers)
    starts_at = starts_at or (datetime.datetime.now(PARIS) + datetime.timedelta(days=10)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    defaults = {
        "title": f"Séance {number}",
        "slug": f"seance-{number}",
        "kind": fields.pop("kind", None) or kind(),
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=hours),
        "mode": Mode.SUR_PLACE,
        "place_name": "Café de la Gare (exemple)",
        "street": "12 rue de la Gare",
        "postal_code": "93300",
        "commune_code": "93001",
        "town": "Aubervilliers",
        "region": "ile-de-france",
        "audience": Audience.TOUS,
        "capacity": 20,
        "summary": "Une séance d'exemple.",
    }
    session = SessionPage(**{**defaults, **fields})
    agenda.add_child(instance=session)
    if not publish:
        session.unpublish()
    return session
