"""The database down: every page and every POST answers a French 503 with Retry-After (not a
500), and after a POST the page tells the visitor their answers are still in the form.

The database is made unreachable for real: PostgreSQL pointed at a closed loopback port,
SQLite at a path that cannot be opened as a database file (a directory)."""

import socket

import pytest
from django.db import connections
from django.test import Client, override_settings

pytestmark = pytest.mark.filterwarnings("ignore")


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def database_down(django_db_blocker, tmp_path):
    """The default connection pointed at nowhere for the test, then given back."""
    connection = connections["default"]
    with django_db_blocker.unblock():
        saved_settings = dict(connection.settings_dict)
        saved_raw = connection.connection  # an in-memory SQLite test database lives while it does
        connection.connection = None
        if connection.vendor == "sqlite":
            unreadable = tmp_path / "base.sqlite3"
            unreadable.mkdir()
            connection.settings_dict["NAME"] = str(unreadable)
        else:
            connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": str(closed_port())})
            connection.settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = 5
        try:
            yield
        finally:
            if connection.connection is not None:
                connection.connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved_settings)
            connection.connection = saved_raw


def assert_unavailable(response, after_post=False):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Service momentanément indisponible" in html
    assert ("vos réponses ne sont pas perdues" in html) == after_post
    assert ("bouton « Précédent »" in html) == after_post


def test_pages_answer_503_with_retry_after(database_down):
    client = Client(raise_request_exception=False)
    for path in ("/", "/histoires/", "/recherche/?q=caf%C3%A9", "/espace-candidat/"):
        assert_unavailable(client.get(path))
    client.cookies["sessionid"] = "une-session"
    assert_unavailable(client.get("/admin/"))
    assert_unavailable(client.get("/espace-candidat/candidatures/1/"))


def test_a_post_answers_503_and_says_the_answers_are_still_in_the_form(database_down):
    client = Client(raise_request_exception=False)
    assert_unavailable(client.post("/espace-candidat/", {"email": "awa@example.org"}), after_post=True)
    assert_unavailable(client.post("/appels/appel/", {"nom": "Café des Lilas"}), after_post=True)


@override_settings(PAGE_CACHE_SECONDS=300)
def test_an_outage_met_in_a_middleware_is_a_503_too(database_down):
    """The page cache reads the session (is the visitor signed in?) before any view runs."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "une-session"
    assert_unavailable(client.get("/"))


def test_with_the_database_up_the_500_page_stays_a_500(rf):
    from home.views import server_error  # the handler, called as Django calls it, with no exception

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "Retry-After" not in response
