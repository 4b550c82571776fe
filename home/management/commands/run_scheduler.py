"""``manage.py run_scheduler``: the periodic jobs of settings.PERIODIC_JOBS (home/scheduler.py).

A long-running process (the compose stack's `scheduler` service). Each job fires on its crontab,
Paris time; a job whose current period has no run yet runs once at start. Several schedulers
(replicas, a restart) never run one job twice for one period: the period's row is the claim.
``--once`` runs the catch-up only and exits (for a host's own timer, or a test).
"""

import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from home import scheduler


class Command(BaseCommand):
    help = "Lance les tâches planifiées (PERIODIC_JOBS), chacune au plus une fois par période."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Rattrape les périodes en retard puis s'arrête.")

    def handle(self, *args, once=False, **options):
        ran = scheduler.catch_up()
        self.stdout.write(f"scheduler: {len(ran)} job(s) caught up: {', '.join(run.job for run in ran) or '-'}")
        if once:
            return
        blocking = BlockingScheduler(timezone=settings.TIME_ZONE)
        for job in scheduler.jobs():
            # coalesce: missed firings run once; no misfire limit: a late firing still runs,
            # its period's row decides whether anything is left to do.
            blocking.add_job(_run, job.trigger, args=[job], id=job.name, coalesce=True, misfire_grace_time=None)
            self.stdout.write(f"scheduler: {job.name} ({job.command}) on « {job.crontab} »")
        signal.signal(signal.SIGTERM, lambda *_: blocking.shutdown(wait=True))
        self.stdout.flush()
        blocking.start()


def _run(job):
    # A long-running process: connections past CONN_MAX_AGE or broken are replaced, as a
    # request would (Django's request_started / request_finished).
    close_old_connections()
    try:
        scheduler.run(job)
    finally:
        close_old_connections()
