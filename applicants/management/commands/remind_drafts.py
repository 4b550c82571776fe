"""Email, once, the owners of drafts not sent N days before their call closes.

    python manage.py remind_drafts            # N = APPLICANTS_DRAFT_REMINDER_DAYS (3)
    python manage.py remind_drafts --days 7

Idempotent: run it every hour or every day (cron, a systemd timer, a scheduled container);
a draft already reminded is never reminded again. See applicants/reminders.py.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from applicants.reminders import remind


class Command(BaseCommand):
    help = "Rappelle une fois aux candidats leurs brouillons non envoyés avant la clôture de l'appel."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Jours avant la clôture (défaut : réglage).")

    def handle(self, *args, days=None, **options):
        days = settings.APPLICANTS_DRAFT_REMINDER_DAYS if days is None else days
        count = remind(days)
        self.stdout.write(self.style.SUCCESS(f"{count} rappel(s) de brouillon envoyé(s)."))
