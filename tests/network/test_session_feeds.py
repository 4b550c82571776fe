"""The public sessions to come as RSS and Atom: valid per feedparser, only what the public agenda
shows (no members' session, no draft, no past session, no meeting link, nobody's name or
address), the date in words in Paris time with its day name and the place in each item, and
advertised by the agenda's pages."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from network import registration
from network.models import Audience, Mode, Role
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db

FEEDS = [("/flux/agenda/rss/", "rss20"), ("/flux/agenda/atom/", "atom10")]


@pytest.fixture
def sessions(agenda):
    # Tuesday 2 July 2030, 16:00 UTC: 18 h in Paris (summer time).
    summer = datetime.datetime(2030, 7, 2, 16, 0, tzinfo=datetime.UTC)
    on_site = make_session(agenda, title="Co-construire à Aubervilliers", starts_at=summer)
    online = make_session(
        agenda,
        title="Atelier en ligne",
        starts_at=summer - datetime.timedelta(days=30),
        mode=Mode.EN_LIGNE,
        meeting_url="https://visio.example.org/salle-secrete",
        place_name="",
        street="",
        postal_code="",
        commune_code="",
        town="",
        region="",
    )
    make_session(agenda, title="Réservée aux lauréats", audience=Audience.LAUREATS)
    make_session(agenda, title="Séance en brouillon", publish=False)
    make_session(agenda, title="Séance passée", starts_at=timezone.now() - datetime.timedelta(days=3))
    registration.register_laureate(on_site, make_laureate(contact_email="awa@example.org", contact_name="Awa Diallo"))
    registration.register_person(online, name="Léa Martin", email="lea@example.org", role=Role.HABITANT)
    return on_site, online


@pytest.mark.parametrize(("url", "version"), FEEDS)
def test_the_feeds_are_valid_and_list_only_the_public_sessions_to_come(client, sessions, url, version):
    on_site, _online = sessions
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    # Soonest first; nothing members-only, no draft, nothing past.
    assert [entry.title for entry in parsed.entries] == ["Atelier en ligne", "Co-construire à Aubervilliers"]
    assert parsed.entries[1].link == f"http://testserver{on_site.url}"
    body = response.content.decode()
    for absent in ("Réservée", "brouillon", "passée", "visio.example.org", "Awa", "awa@", "Léa", "lea@"):
        assert absent not in body
    # The date in words in Paris time (the day's name, summer time: 16:00 UTC is 18 h), the place.
    summary = parsed.entries[1].summary
    assert "mardi 2 juillet 2030, de 18 h à 20 h (heure de Paris)" in summary
    assert "Café de la Gare (exemple), 12 rue de la Gare, 93300 Aubervilliers" in summary
    assert "En ligne (le lien est envoyé aux personnes inscrites)" in parsed.entries[0].summary
    assert parsed.entries[0].summary.split(" ")[2] == "dimanche"  # « Quand : dimanche 2 juin 2030… »
    # A public GET the page cache may keep.
    assert "private" not in response.get("Cache-Control", "")


def test_the_agenda_pages_advertise_the_feeds(client, agenda, sessions):
    on_site, _online = sessions
    for page in (client.get(agenda.url), client.get(on_site.url)):
        text = page.content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in text
        assert 'href="/flux/agenda/rss/"' in text and 'href="/flux/agenda/atom/"' in text


def test_no_public_agenda_no_feed(client, home_page):
    assert client.get("/flux/agenda/rss/").status_code == 404
