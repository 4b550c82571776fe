"""Email, once, the laureates who have not sent a report whose form is due in N days or fewer.

    python manage.py remind_reports            # N = LAUREATES_REPORT_REMINDER_DAYS (14)
    python manage.py remind_reports --days 3

Idempotent: a periodic job of the scheduler (``settings.PERIODIC_JOBS``); a laureate reminded
of a form is never reminded of it again. See laureates/reminders.py.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from laureates.reminders import remind_reports


class Command(BaseCommand):
    help = "Rappelle une fois aux lauréats le bilan à envoyer à l'approche de sa date limite."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Jours avant la date limite (défaut : réglage).")

    def handle(self, *args, days=None, **options):
        days = settings.LAUREATES_REPORT_REMINDER_DAYS if days is None else days
        count = remind_reports(days)
        self.stdout.write(self.style.SUCCESS(f"{count} rappel(s) de bilan envoyé(s)."))
