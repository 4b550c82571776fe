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
    assert set(body["checks"]) == {"database", "cache", "private_storage", "search", "tasks"}
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
