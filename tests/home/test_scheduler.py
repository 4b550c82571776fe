"""Periodic jobs (home/scheduler.py, ``manage.py run_scheduler``): each at most once per
period, across replicas and restarts; their last runs and an overdue RGPD purge on /readyz/."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from home import scheduler
from home.models import ScheduledRun
from tests.concurrency import twice_at_once

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def announce_only(settings):
    """The registry with one real job whose output says it ran."""
    settings.PERIODIC_JOBS = {"announce_decisions": {"command": "announce_decisions", "crontab": "*/5 * * * *"}}
    return scheduler.jobs()[0]


def test_every_periodic_command_is_in_the_registry():
    commands = {job.command for job in scheduler.jobs()}
    assert {"purge_applications", "sweep_orphan_files", "remind_drafts", "announce_decisions"} <= commands
    purge = next(job for job in scheduler.jobs() if job.name == "purge_applications")
    assert purge.overdue_hours


def test_the_period_is_the_latest_time_the_crontab_names():
    nightly = scheduler.PeriodicJob("purge", "purge_applications", "0 3 * * *")
    assert nightly.period(at(2027, 1, 15, 11, 0)) == at(2027, 1, 15, 3, 0)
    assert nightly.period(at(2027, 1, 15, 2, 59)) == at(2027, 1, 14, 3, 0)
    assert nightly.period(at(2027, 1, 15, 3, 0)) == at(2027, 1, 15, 3, 0)
    every_five = scheduler.PeriodicJob("announce", "announce_decisions", "*/5 * * * *")
    assert every_five.period(at(2027, 7, 1, 12, 7, 30)) == at(2027, 7, 1, 12, 5)


def test_a_job_runs_once_per_period_whoever_asks(announce_only, capsys):
    now = timezone.now()
    first = scheduler.run(announce_only, now)
    assert first.outcome == ScheduledRun.Outcome.DONE and first.finished_at
    # Another replica, or the same firing delivered twice: the period is claimed.
    assert scheduler.run(announce_only, now) is None
    assert capsys.readouterr().out.count("décision(s) annoncée(s)") == 1
    # The next period runs.
    assert scheduler.run(announce_only, now + datetime.timedelta(minutes=5)) is not None
    assert ScheduledRun.objects.filter(job="announce_decisions").count() == 2


def test_a_restarted_scheduler_never_runs_a_job_twice(announce_only, capsys):
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")  # the restart, within the same period
    output = capsys.readouterr().out
    assert output.count("décision(s) annoncée(s)") == 1
    assert "0 job(s) caught up" in output
    assert ScheduledRun.objects.get().outcome == ScheduledRun.Outcome.DONE


def test_a_failed_job_is_recorded_and_not_retried_in_its_period(settings):
    settings.PERIODIC_JOBS = {"broken": {"command": "no_such_command", "crontab": "0 * * * *"}}
    job = scheduler.jobs()[0]
    assert scheduler.run(job).outcome == ScheduledRun.Outcome.FAILED
    assert scheduler.run(job) is None


def test_readyz_reports_each_job_and_an_overdue_purge(client):
    body = client.get("/readyz/").json()
    jobs = body["checks"]["scheduler"]["jobs"]
    assert set(jobs) >= {"purge_applications", "sweep_orphan_files", "remind_drafts", "announce_decisions"}
    # A new database: nothing has run, nothing is late yet.
    assert body["checks"]["scheduler"]["status"] == "ok"
    ScheduledRun.objects.create(
        job="purge_applications",
        period=timezone.now() - datetime.timedelta(hours=31),
        finished_at=timezone.now() - datetime.timedelta(hours=30),
        outcome=ScheduledRun.Outcome.DONE,
    )
    body = client.get("/readyz/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["scheduler"]["status"] == "overdue"
    assert body["checks"]["scheduler"]["overdue"] == ["purge_applications"]
    assert body["checks"]["scheduler"]["jobs"]["purge_applications"]["outcome"] == "done"
    ScheduledRun.objects.create(
        job="purge_applications",
        period=timezone.now() - datetime.timedelta(hours=7),
        finished_at=timezone.now() - datetime.timedelta(hours=6),
        outcome=ScheduledRun.Outcome.DONE,
    )
    assert client.get("/readyz/").json()["checks"]["scheduler"]["status"] == "ok"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent claims: PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_firing_at_once_run_the_job_once(announce_only, capsys):
    """Two replicas' firings of one period, at the same moment, each on its own connection: the
    second INSERT waits on the first's unique key, then fails; one run, one row."""
    now = timezone.now()
    claims, errors = twice_at_once(lambda: scheduler.run(announce_only, now))
    assert errors == [] and len(claims) == 2
    assert claims.count(None) == 1
    assert next(claim for claim in claims if claim is not None).outcome == ScheduledRun.Outcome.DONE
    assert ScheduledRun.objects.filter(job="announce_decisions").count() == 1
    assert capsys.readouterr().out.count("décision(s) annoncée(s)") == 1
