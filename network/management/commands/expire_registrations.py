"""Expire the registrations whose address was not confirmed within NETWORK_CONFIRMATION_HOURS,
and give their seats to the waiting list (network/registration.py); a periodic job.

    python manage.py expire_registrations
"""

from django.core.management.base import BaseCommand

from network.registration import expire_unconfirmed


class Command(BaseCommand):
    help = "Fait expirer les inscriptions non confirmées à temps et fait avancer la liste d'attente."

    def handle(self, *args, **options):
        count = expire_unconfirmed()
        self.stdout.write(self.style.SUCCESS(f"{count} inscription(s) expirée(s)."))
