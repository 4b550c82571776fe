"""Members' sessions are nowhere for others: not in the site search, not in the sitemap; public
sessions are in both."""

import pytest
from django.utils import timezone

from network.models import Audience
from tests.laureates.factories import make_laureate

from .factories import make_session

pytestmark = pytest.mark.django_db


def test_public_sessions_in_search_and_sitemap_members_sessions_in_neither(client, agenda, signed_in_client):
    public = make_session(agenda, title="Atelier jardin partagé", summary="Ouvert à tous.")
    members = make_session(agenda, title="Atelier jardin entre lauréats", audience=Audience.LAUREATS)

    html = client.get("/recherche/", {"q": "jardin"}).content.decode()
    assert "Atelier jardin partagé" in html and "Séance du réseau" in html
    assert "entre lauréats" not in html
    # Not for a member either: the public index never holds a members' session.
    make_laureate(contact_email="awa@example.org")
    assert (
        "entre lauréats" not in signed_in_client("awa@example.org").get("/recherche/", {"q": "jardin"}).content.decode()
    )

    sitemap = client.get("/sitemap.xml").content.decode()
    assert public.full_url in sitemap and "/agenda/</loc>" in sitemap
    assert members.full_url not in sitemap


def test_a_public_session_made_members_only_leaves_the_search_at_once(client, agenda):
    session = make_session(agenda, title="Atelier compost", summary="Ouvert à tous.")
    assert "Atelier compost" in client.get("/recherche/", {"q": "compost"}).content.decode()
    session.audience = Audience.LAUREATS
    session.save_revision().publish()
    assert "Atelier compost" not in client.get("/recherche/", {"q": "compost"}).content.decode()
    assert client.get(session.url).status_code == 404


def test_a_guessed_url_of_a_draft_or_members_session_tells_nothing(client, agenda):
    members = make_session(agenda, audience=Audience.LAUREATS)
    draft = make_session(agenda, publish=False)
    missing = client.get("/agenda/nexiste-pas/")
    for session in (members, draft):
        response = client.get(f"/agenda/{session.slug}/")
        assert response.status_code == 404
        assert response.content == missing.content


def test_the_team_sees_a_members_session(client, agenda, team_user):
    session = make_session(agenda, audience=Audience.LAUREATS, starts_at=timezone.now())
    client.force_login(team_user)
    assert client.get(session.url).status_code == 200
