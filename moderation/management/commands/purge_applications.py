"""Erase the personal data of applications kept beyond the retention period.

    python manage.py purge_applications --dry-run   # list what would be erased
    python manage.py purge_applications             # erase it

See ``moderation/rgpd.py`` for the periods (settings ``CALLS_RETENTION_MONTHS`` and
``CALLS_RETENTION_MONTHS_NOT_SELECTED``) and what is kept. Last, the private files that no
application or draft names any more are swept (``manage.py sweep_orphan_files``).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from calls import drafts, orphan_files
from calls.models import status_label
from moderation import rgpd


class Command(BaseCommand):
    help = "Efface les données personnelles des candidatures au-delà de la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Liste sans rien effacer.")

    def handle(self, *args, dry_run=False, **options):
        due = list(rgpd.due_for_erasure())
        for application in due:
            closed = timezone.localtime(application.page.closes_at).date().isoformat()
            self.stdout.write(
                f"{application.reference}\t{application.page.title}\t{status_label(application.status)}\t"
                f"clôture {closed}"
            )
        # Drafts of closed calls can never be sent: deleted with their files (calls/drafts.py).
        due_drafts = drafts.due_for_purge().count()
        if dry_run:
            self.stdout.write(f"{len(due)} candidature(s) à effacer (simulation : rien n'a été effacé).")
            self.stdout.write(f"{due_drafts} brouillon(s) à supprimer (simulation).")
            self.stdout.write(orphan_files.sweep(dry_run=True).summary())
            return
        self.stdout.write(f"{drafts.purge()} brouillon(s) supprimé(s), avec leurs fichiers.")
        files = 0
        for application in due:
            files += rgpd.erase(application, reason="Durée de conservation dépassée (purge automatique).")
        # The drafts' addresses are gone too: an address nothing holds any more is forgotten.
        rgpd.personal_data_erased.send(sender=Command)
        self.stdout.write(self.style.SUCCESS(f"{len(due)} candidature(s) effacée(s), {files} fichier(s) supprimé(s)."))
        # Files a killed request or a failed deletion left behind (calls/orphan_files.py).
        self.stdout.write(orphan_files.sweep().summary())
