"""Periodic jobs without the host's cron: APScheduler in the `scheduler` service.

``settings.PERIODIC_JOBS`` is the registry: a job's name, the management command it runs and
its crontab line (Paris time); a later feature adds one entry. ``manage.py run_scheduler`` fires
each job on its crontab (APScheduler's cron triggers), and each firing first claims the pair
(job, period) — the period being the latest time the crontab names, at or before now — by
inserting a ``ScheduledRun`` row under a unique constraint: a replica, or the same scheduler
after a restart, that finds the row already there runs nothing. At start, each job whose current
period has no row runs at once (a scheduler that was down catches up, once).

/readyz/ reports each job's last run (home/health.py) and turns « degraded » when a job with an
``overdue_hours`` (the RGPD purge) has not finished within that time, once the database has
existed that long.
https://apscheduler.readthedocs.io/en/3.x/
"""

import datetime
import logging
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    command: str
    crontab: str
    args: tuple = ()
    overdue_hours: int | None = None

    @property
    def trigger(self):
        return CronTrigger.from_crontab(self.crontab, timezone=settings.TIME_ZONE)

    def period(self, now=None):
        """The latest time the crontab names at or before ``now``: the period being run."""
        now = now or timezone.now()
        trigger = self.trigger
        # Looking back an hour, a day, then eight days (the longest period here is a week).
        for lookback in (datetime.timedelta(hours=1), datetime.timedelta(days=1), datetime.timedelta(days=8)):
            fire, latest = trigger.get_next_fire_time(None, now - lookback), None
            while fire is not None and fire <= now:
                latest = fire
                fire = trigger.get_next_fire_time(fire, fire + datetime.timedelta(seconds=1))
            if latest is not None:
                return latest
        return None


def jobs():
    return [PeriodicJob(name=name, **spec) for name, spec in settings.PERIODIC_JOBS.items()]


def run(job, now=None):
    """Run ``job`` for its current period unless that period is already claimed; return the
    ``ScheduledRun`` row of this run, or None when another process (or an earlier start) had it."""
    period = job.period(now)
    if period is None:
        return None
    try:
        with transaction.atomic():
            claim = ScheduledRun.objects.create(job=job.name, period=period)
    except IntegrityError:
        logger.info("Scheduler: %s for %s already run or running elsewhere", job.name, period.isoformat())
        return None
    logger.info("Scheduler: %s for %s starts", job.name, period.isoformat())
    try:
        call_command(job.command, *job.args)
    except Exception:
        logger.exception("Scheduler: %s failed", job.name)
        claim.outcome = ScheduledRun.Outcome.FAILED
    else:
        claim.outcome = ScheduledRun.Outcome.DONE
    claim.finished_at = timezone.now()
    claim.save(update_fields=["outcome", "finished_at"])
    return claim


def catch_up(now=None):
    """At start: every job whose current period has no run yet runs now, once."""
    return [claim for job in jobs() if (claim := run(job, now)) is not None]


def health(now=None):
    """Each job's last run; « overdue » when a job with ``overdue_hours`` has not finished
    successfully within that time (counted from the database's creation for a new site)."""
    now = now or timezone.now()
    report, overdue = {}, []
    for job in jobs():
        row = ScheduledRun.objects.filter(job=job.name).order_by("-period").first()
        report[job.name] = {
            "last_period": row.period.isoformat() if row else None,
            "outcome": row.outcome if row else None,
        }
        if job.overdue_hours:
            done = (
                ScheduledRun.objects.filter(job=job.name, outcome=ScheduledRun.Outcome.DONE)
                .order_by("-finished_at")
                .values_list("finished_at", flat=True)
                .first()
            )
            since = done or _database_created_at()
            if since is not None and now - since > datetime.timedelta(hours=job.overdue_hours):
                overdue.append(job.name)
    status = "overdue" if overdue else "ok"
    return {"status": status, "jobs": report, **({"overdue": overdue} if overdue else {})}


def _database_created_at():
    return MigrationRecorder.Migration.objects.order_by("applied").values_list("applied", flat=True).first()
