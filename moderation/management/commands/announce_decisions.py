"""Announce the decisions whose scheduled time has passed (for a cron, every few minutes).

With the database task queue a scheduled announcement also runs by itself at its time; this
command catches up wherever the queue cannot defer. Running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from moderation.announce import run_due_announcements


class Command(BaseCommand):
    help = "Annonce les décisions programmées dont l'heure est passée."

    def handle(self, *args, **options):
        announced = run_due_announcements()
        self.stdout.write(f"{len(announced)} décision(s) annoncée(s).\n")
