"""The agenda: sessions to come and past ones, filters by région and kind in the query string
(without JavaScript), members' sessions for members only, a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from network.models import Audience, Mode, Registration, RegistrationStatus
from tests.laureates.factories import make_laureate

from .factories import kind, make_session

pytestmark = pytest.mark.django_db


def titles(response):
    return [session.title for session in response.context["sessions"]]


def days(n, hour=18):
    return (timezone.now() + datetime.timedelta(days=n)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_upcoming_soonest_first_and_past_latest_first(client, agenda):
    later = make_session(agenda, title="Plus tard", starts_at=days(20))
    soon = make_session(agenda, title="Bientôt", starts_at=days(3))
    old = make_session(agenda, title="Ancienne", starts_at=days(-40))
    older = make_session(agenda, title="Plus ancienne", starts_at=days(-90))
    make_session(agenda, title="Brouillon", starts_at=days(5), publish=False)

    response = client.get("/agenda/")
    assert response.status_code == 200
    assert titles(response) == [soon.title, later.title]
    html = response.content.decode()
    assert "2 séances à venir" in html and "Brouillon" not in html
    assert 'href="/agenda/passees/"' in html

    past = client.get("/agenda/passees/")
    assert titles(past) == [old.title, older.title]
    assert "2 séances passées" in past.content.decode()


def test_filters_by_region_and_kind_with_counts_and_without_javascript(client, agenda):
    make_session(agenda, title="À Aubervilliers", kind=kind("co-construction"))
    make_session(
        agenda,
        title="À Toulouse",
        kind=kind("rencontre"),
        postal_code="31000",
        commune_code="31555",
        town="Toulouse",
        region="occitanie",
    )
    make_session(
        agenda,
        title="En visio",
        mode=Mode.EN_LIGNE,
        meeting_url="https://visio.example.org/a",
        street="",
        postal_code="",
        commune_code="",
        town="",
        region="",
    )

    response = client.get("/agenda/", {"region": "occitanie"})
    assert titles(response) == ["À Toulouse"]
    html = response.content.decode()
    # A plain GET form: the selects and « Afficher », counts beside each value.
    assert 'method="get" action="/agenda/"' in html and ">Afficher</button>" in html
    assert '<option value="ile-de-france">Île-de-France (1)</option>' in html
    assert '<option value="occitanie" selected>Occitanie (1)</option>' in html
    assert '<option value="en-ligne">En ligne (1)</option>' in html

    assert titles(client.get("/agenda/", {"region": "en-ligne"})) == ["En visio"]
    assert titles(client.get("/agenda/", {"kind": "co-construction"})) == ["À Aubervilliers"]
    assert titles(client.get("/agenda/", {"region": "occitanie", "kind": "co-construction"})) == []
    # An unknown value is ignored: the whole agenda.
    assert len(titles(client.get("/agenda/", {"region": "atlantide", "kind": "<script>"}))) == 3


def test_members_sessions_are_listed_for_members_only(client, agenda, signed_in_client, team_user):
    make_session(agenda, title="Ouverte à tous")
    make_session(agenda, title="Entre lauréats", audience=Audience.LAUREATS)
    make_session(agenda, title="Avec les partenaires", audience=Audience.LAUREATS_PARTENAIRES)

    anonymous = client.get("/agenda/")
    assert titles(anonymous) == ["Ouverte à tous"]
    assert "Entre lauréats" not in anonymous.content.decode()
    assert "private" not in anonymous.get("Cache-Control", "")

    make_laureate(contact_email="awa@example.org")
    member = signed_in_client("awa@example.org").get("/agenda/")
    assert sorted(titles(member)) == ["Avec les partenaires", "Entre lauréats", "Ouverte à tous"]
    assert "private" in member["Cache-Control"] and "no-store" in member["Cache-Control"]

    client.cookies.clear()
    client.force_login(team_user)
    assert len(titles(client.get("/agenda/"))) == 3


def test_an_applicant_who_is_not_a_laureate_sees_the_public_agenda(agenda, signed_in_client):
    make_session(agenda, title="Entre lauréats", audience=Audience.LAUREATS)
    make_laureate(contact_email="awa@example.org", left_at=timezone.now())
    response = signed_in_client("awa@example.org").get("/agenda/")
    assert titles(response) == []


def test_cards_show_seats_left_and_full(client, agenda):
    full = make_session(agenda, title="Complète", capacity=1, starts_at=days(2))
    Registration.objects.create(
        session=full, name="Lina", email="lina@example.org", role="habitant", status="confirmee"
    )
    make_session(agenda, title="Ouverte", capacity=10, starts_at=days(4))
    html = client.get("/agenda/").content.decode()
    assert "Complet" in html and "10 places restantes" in html


def test_the_agenda_takes_the_same_queries_whatever_the_number_of_sessions(client, agenda, django_assert_num_queries):
    for n in range(3):
        session = make_session(agenda, starts_at=days(n + 1))
        Registration.objects.create(
            session=session, name="Lina", email="lina@example.org", role="habitant", status=RegistrationStatus.CONFIRMEE
        )
    # The chrome (menu, settings) is kept per generation; the page cache serves the same URL.
    client.get("/agenda/")
    client.get("/agenda/?region=occitanie")
    # The routing (site, home, agenda), the kinds, the counts (one GROUP BY), the sessions.
    client.get("/agenda/?kind=accompagnement")
    with django_assert_num_queries(6):
        client.get("/agenda/?kind=accompagnement")
    for n in range(5):
        make_session(agenda, starts_at=days(n + 10), kind=kind("rencontre"))
    client.get("/agenda/?kind=rencontre")  # a new generation: the chrome again
    with django_assert_num_queries(6):
        response = client.get("/agenda/?region=ile-de-france")
    assert len(response.context["sessions"]) == 8
