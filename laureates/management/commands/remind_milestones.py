"""Email, once, the laureates whose milestone falls due in N days or fewer.

    python manage.py remind_milestones            # N = LAUREATES_MILESTONE_REMINDER_DAYS (7)
    python manage.py remind_milestones --days 3

Idempotent: a periodic job of the scheduler (``settings.PERIODIC_JOBS``); a milestone
already reminded is never reminded again. See laureates/reminders.py.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from laureates.reminders import remind


class Command(BaseCommand):
    help = "Rappelle une fois aux lauréats les étapes de leur parcours à l'approche de l'échéance."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Jours avant l'échéance (défaut : réglage).")

    def handle(self, *args, days=None, **options):
        days = settings.LAUREATES_MILESTONE_REMINDER_DAYS if days is None else days
        count = remind(days)
        self.stdout.write(self.style.SUCCESS(f"{count} rappel(s) d'étape envoyé(s)."))
