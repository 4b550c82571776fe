"""Erase the contact data of laureates who left the network longer ago than the retention
period (``LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING``, see ``laureates/retention.py``),
and with it the personal data of their reports (answers but the figures marked to keep, files).

    python manage.py purge_laureate_contacts --dry-run   # count what would be erased
    python manage.py purge_laureate_contacts             # erase it
"""

from django.core.management.base import BaseCommand

from laureates import retention


class Command(BaseCommand):
    help = "Efface les coordonnées des lauréats sortis du réseau depuis plus longtemps que la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien effacer.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = retention.due_for_contact_erasure().count()
            self.stdout.write(
                f"{count} lauréat(s) dont les coordonnées sont à effacer (simulation : rien n'a été effacé)."
            )
            return
        self.stdout.write(f"{retention.purge()} lauréat(s) : coordonnées effacées.")
