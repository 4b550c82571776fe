"""Apply the registrations' retention (network/registration_retention.py); a nightly job.

python manage.py purge_network_registrations
"""

from django.core.management.base import BaseCommand

from network.registration_retention import purge


class Command(BaseCommand):
    help = "Efface les inscriptions aux séances arrivées au bout de leur durée de conservation."

    def handle(self, *args, **options):
        deleted, anonymised, feeds = purge()
        self.stdout.write(
            self.style.SUCCESS(
                f"{deleted} inscription(s) supprimée(s), {anonymised} rendue(s) anonyme(s), "
                f"{feeds} agenda(s) personnel(s) supprimé(s)."
            )
        )
