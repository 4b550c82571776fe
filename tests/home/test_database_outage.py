"""The database down: every page and every POST answers a French 503 with Retry-After (not a
500), and after a POST the page tells the visitor their answers are still in the form.

The database is made unreachable for real: PostgreSQL pointed at a closed loopback port, or a
throwaway cluster of the test's own stopped under an open connection; SQLite at a path that
cannot be opened as a database file (a directory)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

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


def _as_postgres(command):
    """Run a PostgreSQL server tool as the ``postgres`` user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture
def throwaway_cluster():
    """A PostgreSQL cluster of our own on a free loopback port (never the machine's shared one),
    in a folder of /tmp the ``postgres`` user can reach (pytest's own is root's only)."""
    data = Path(tempfile.mkdtemp(prefix="qc-test-cluster-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(data, entry.pw_uid, entry.pw_gid)
    subprocess.run(
        _as_postgres([shutil.which("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    port = closed_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = shutil.which("pg_ctl")
    # The server's output to a file: a server holding our pipes would keep run() waiting.
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(data / "server.log"), "-w", "start"]),
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield (
            port,
            lambda: subprocess.run(
                _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                check=True,
                capture_output=True,
            ),
        )
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def test_postgresql_stopped_under_an_open_connection(django_db_blocker, throwaway_cluster):
    if connections["default"].vendor != "postgresql" or not shutil.which("initdb"):
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://…)")
    port, stop_cluster = throwaway_cluster
    connection = connections["default"]
    with django_db_blocker.unblock():
        saved_settings = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": str(port), "NAME": "postgres"})
        try:
            connection.ensure_connection()  # the cluster answers...
            stop_cluster()  # ...then stops, under the open connection
            client = Client(raise_request_exception=False)
            assert_unavailable(client.get("/"))
            assert_unavailable(client.post("/espace-candidat/", {"email": "awa@example.org"}), after_post=True)
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved_settings)
