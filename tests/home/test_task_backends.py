"""home.task_backends: the database queue of production, with the search index updates inline."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from calls.tasks import send_team_notification
from config.settings import base
from home.task_backends import DatabaseBackendWithInlineTasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_tasks(settings):
    settings.TASKS = {
        "default": {**base.TASKS["default"], "BACKEND": "home.task_backends.DatabaseBackendWithInlineTasks"}
    }
    return task_backends["default"]


def test_a_listed_task_runs_after_the_commit_only(production_tasks, monkeypatch, django_capture_on_commit_callbacks):
    assert isinstance(production_tasks, DatabaseBackendWithInlineTasks)
    monkeypatch.setattr(production_tasks, "inline_tasks", frozenset({"calls.tasks.send_team_notification"}))
    ran = []
    monkeypatch.setattr(production_tasks.inline_runner, "enqueue", lambda task, args, kwargs: ran.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        result = send_team_notification.enqueue(7)
        assert ran == []  # not before the commit
    assert ran == [(7,)]
    assert result.status == "READY"
    assert not DBTaskResult.objects.exists()


def test_a_listed_task_deferred_to_later_is_queued(production_tasks, monkeypatch):
    monkeypatch.setattr(production_tasks, "inline_tasks", frozenset({"calls.tasks.send_team_notification"}))
    later = timezone.now() + datetime.timedelta(minutes=5)
    send_team_notification.using(run_after=later).enqueue(7)
    assert DBTaskResult.objects.get().run_after == later


def test_readiness_reads_its_queue(client, production_tasks):
    send_team_notification.enqueue(0)
    check = client.get("/readyz/").json()["checks"]["tasks"]
    assert check["backend"] == "database" and check["ready"] == 1 and check["status"] == "ok"
