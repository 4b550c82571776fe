"""Email, once, the people registered to the sessions of the next day (Paris time), with the
session's .ics; then queue again the registration emails a stopped worker left unsent. A daily
periodic job (network/registration_tasks.py).

    python manage.py remind_sessions
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from network.registration_tasks import remind, requeue_unsent


class Command(BaseCommand):
    help = "Rappelle la veille leur séance aux personnes inscrites, une fois."

    def handle(self, *args, **options):
        count = remind()
        with transaction.atomic():
            requeued = requeue_unsent()
        self.stdout.write(self.style.SUCCESS(f"{count} rappel(s) de séance, {requeued} courriel(s) remis en file."))
