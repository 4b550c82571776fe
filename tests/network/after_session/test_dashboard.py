"""The dashboard: sessions held, attendance per session and per laureate (one query each),
the admin home's panel for the team only, the key figure « séances tenues »."""

import datetime

import pytest
from django.utils import timezone

from home import figures
from network import dashboard
from network.attendance import mark_attendance
from tests.network.factories import make_session

from .data import past_session, register, registered_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(agenda, moderator):
    first = past_session(agenda, days=20, title="Première")
    rows = registered_people(first, count=3)
    mark_attendance(
        first,
        moderator,
        {
            rows[0].pk: ("inconnue", "present"),
            rows[1].pk: ("inconnue", "absent"),
            rows[2].pk: ("inconnue", "excuse"),
            rows[3].pk: ("inconnue", "present"),
        },
    )
    second = past_session(agenda, days=2, title="Deuxième")

    register(second, rows[0].laureate)
    make_session(agenda, title="À venir")
    make_session(agenda, starts_at=timezone.now() - datetime.timedelta(days=5), publish=False, title="Brouillon")
    return first, second, rows


def test_sessions_held_and_attendance_per_session(held, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = dashboard.per_session()
    assert [row["session"].title for row in rows] == ["Deuxième", "Première"]
    first = rows[1]
    assert (first["confirmed"], first["present"], first["absent"], first["excused"], first["unknown"]) == (
        4,
        2,
        1,
        1,
        0,
    )
    assert first["rate"] == 50
    assert rows[0]["rate"] is None and rows[0]["unknown"] == 1
    assert dashboard.held_count() == 2


def test_attendance_per_laureate(held, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = dashboard.per_laureate()
    by_name = {row["business_name"]: row for row in rows}
    assert set(by_name) == {"Café 1", "Café 2", "Café 3"}
    assert (by_name["Café 1"]["confirmed"], by_name["Café 1"]["present"], by_name["Café 1"]["unknown"]) == (2, 1, 1)
    assert by_name["Café 1"]["rate"] == 100 and by_name["Café 2"]["rate"] == 0


def test_the_panel_is_the_teams(client, held, moderator, reviewer):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "Réseau : séances et présences" in html and "2 séances tenues." in html and "Café 2" in html
    client.force_login(reviewer)
    assert "Réseau : séances et présences" not in client.get("/admin/").content.decode()


def test_the_index_shows_every_session_and_the_tables(client, held, moderator, django_assert_max_num_queries):
    client.force_login(moderator)
    client.get("/admin/reseau/presences/")
    with django_assert_max_num_queries(14):
        html = client.get("/admin/reseau/presences/").content.decode()
    assert "À venir" in html and "Brouillon" in html and "Présences par lauréat" in html


def test_the_key_figure_sessions_held(held):
    this_year = timezone.localtime(held[1].starts_at).year
    assert figures.compute("seances_tenues") == 2
    assert figures.compute("seances_tenues", this_year) >= 1
    assert figures.compute("seances_tenues", 1999) == 0
    assert ("seances_tenues", "séances tenues") in [(key, str(label)) for key, label in figures.choices()]
