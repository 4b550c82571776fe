from django.core.management.base import BaseCommand

from mailing.signup import purge


class Command(BaseCommand):
    help = "Efface les inscriptions non confirmées et celles qui n'ont pas été renouvelées à temps."

    def handle(self, *args, **options):
        unconfirmed, lapsed = purge()
        self.stdout.write(f"{unconfirmed} inscription(s) non confirmée(s) et {lapsed} expirée(s) effacée(s).")
