"""The readiness probe (/readyz/): every service's state; 503 only without the database."""

import datetime
import socket

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from calls.tasks import send_team_notification
from home import cache as home_cache
from tests.calls.conftest import clamd  # noqa: F401 - Debian's clamd, started once per session

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_ready_with_the_embedded_defaults(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "cache",
        "private_storage",
        "search",
        "tasks",
        "email",
        "antivirus",
        "scheduler",
    }
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["search"]["backend"] == "database"
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_without_the_database(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "unavailable"
    assert body["checks"]["cache"]["status"] == "skipped"


def test_redis_down_is_reported_but_the_site_stays_in_rotation(client, settings, monkeypatch):
    monkeypatch.setattr(home_cache, "_down_until", 0.0)
    settings.CACHES = {
        "default": {"BACKEND": "home.cache.FailSafeRedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}
    }
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"status": "unavailable", "error": "ConnectionError"}
    monkeypatch.setattr(home_cache, "_down_until", 0.0)


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_a_live_redis_is_ready(client, settings, monkeypatch):
    monkeypatch.setattr(home_cache, "_down_until", 0.0)
    settings.CACHES = {
        "default": {
            "BACKEND": "home.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "qc-readyz-test",
        }
    }
    body = client.get("/readyz/").json()
    assert body["checks"]["cache"] == {"status": "ok", "backend": "FailSafeRedisCache"}


def test_private_storage_down_is_reported(client, monkeypatch):
    def unreachable(name):
        raise OSError("endpoint unreachable")

    monkeypatch.setattr(storages["private"], "exists", unreachable)
    body = client.get("/readyz/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["private_storage"]["status"] == "unavailable"


def test_a_late_task_queue_is_reported_with_its_age(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_team_notification.enqueue(0)
    check = client.get("/readyz/").json()["checks"]["tasks"]
    assert check["status"] == "ok" and check["ready"] == 1 and check["oldest_ready_seconds"] < 60
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=20))
    response = client.get("/readyz/")
    check = response.json()["checks"]["tasks"]
    assert check["status"] == "late" and 1190 <= check["oldest_ready_seconds"] <= 1260
    assert response.json()["status"] == "degraded" and response.status_code == 200


def test_probes_answer_on_the_container_address(client, settings):
    settings.ALLOWED_HOSTS = ["quartierscafes.example.org"]
    assert client.get("/readyz/", HTTP_HOST="10.0.0.7:8000").status_code == 200


# --- clamd and SMTP: degraded with the reason, within their clients' own timeouts ----------------


def test_clamd_absent_is_degraded_with_the_reason(client, settings):
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST, settings.CLAMAV_PORT = "", "127.0.0.1", closed_port()
    body = client.get("/readyz/").json()
    assert body["status"] == "degraded"
    antivirus = body["checks"]["antivirus"]
    assert antivirus["status"] == "unavailable"
    assert "every upload refused" in antivirus["reason"]


def test_a_live_clamd_is_ready(client, settings, clamd):  # noqa: F811 - the fixture imported above
    settings.CLAMAV_SOCKET = clamd["socket"]
    body = client.get("/readyz/").json()
    assert body["checks"]["antivirus"] == {"status": "ok", "backend": "clamd", "fail_open": False}


@pytest.fixture
def smtp_server():
    """A loopback SMTP server (aiosmtpd) whose answer to RCPT the test chooses; it records
    every message delivered (none must be)."""
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.refuse, self.delivered = False, []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if self.refuse:
                return "550 5.7.1 Relaying denied"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.delivered.append(envelope)
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=closed_port())
    controller.start()
    yield type("SMTP", (), {"handler": handler, "port": controller.port})
    controller.stop()


def _smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_an_smtp_server_that_accepts_is_ready_and_nothing_is_sent(client, settings, smtp_server):
    _smtp_settings(settings, smtp_server.port)
    body = client.get("/readyz/").json()
    assert body["checks"]["email"] == {"status": "ok", "backend": "smtp"}
    assert smtp_server.handler.delivered == []


def test_an_smtp_server_that_refuses_every_email_is_degraded_with_the_reason(client, settings, smtp_server):
    _smtp_settings(settings, smtp_server.port)
    smtp_server.handler.refuse = True
    body = client.get("/readyz/").json()
    assert body["status"] == "degraded"
    email = body["checks"]["email"]
    assert email["status"] == "unavailable"
    assert "RCPT: 550" in email["reason"] and "Relaying denied" in email["reason"]


def test_no_smtp_server_is_degraded(client, settings):
    _smtp_settings(settings, closed_port())
    body = client.get("/readyz/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["email"]["error"] == "ConnectionRefusedError"


# --- who gets the details -----------------------------------------------------------------------


def test_a_public_address_gets_the_status_alone(client):
    response = client.get("/readyz/", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_behind_a_trusted_proxy_the_client_address_decides(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy (a private address) forwards a public client: no details.
    response = client.get("/readyz/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert response.json() == {"status": "ok"}
    response = client.get("/readyz/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert "checks" in response.json()


def test_the_token_opens_the_details_to_any_address(client, settings):
    settings.READYZ_TOKEN = "s3cret-readiness-token"
    response = client.get("/readyz/", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-readiness-token")
    assert set(response.json()) == {"status", "checks"}
    response = client.get("/readyz/", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.json() == {"status": "ok"}


def test_the_allowed_networks_are_a_setting(client, settings):
    settings.READYZ_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    assert "checks" in client.get("/readyz/", REMOTE_ADDR="203.0.113.9").json()
    assert client.get("/readyz/", REMOTE_ADDR="127.0.0.1").json() == {"status": "ok"}


def test_a_single_host_install_says_so(client, settings):
    settings.SINGLE_HOST_INSTALL = True
    assert client.get("/readyz/").json()["mode"] == "single-host"


def test_healthz_stays_public(client):
    assert client.get("/healthz/", REMOTE_ADDR="203.0.113.9").status_code == 200
