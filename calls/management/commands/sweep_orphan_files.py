"""Delete the private files that no application or draft names, once past the grace period.

    python manage.py sweep_orphan_files --dry-run   # count what would be deleted
    python manage.py sweep_orphan_files             # delete it

A file is an orphan when a request died between writing it and committing its rows (a
worker killed, a machine stopped) or when a deletion failed. Files younger than
``CALLS_ORPHAN_FILES_GRACE_MINUTES`` (60) are never touched: their request may still be
running. See ``calls/orphan_files.py``. Prints counts only, never a file's name.
"""

from django.core.management.base import BaseCommand, CommandError

from calls import orphan_files


class Command(BaseCommand):
    help = "Supprime les fichiers privés qu'aucune candidature ni aucun brouillon ne référence."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, dry_run=False, **options):
        try:
            result = orphan_files.sweep(dry_run=dry_run)
        except ValueError as error:
            raise CommandError(str(error)) from error
        line = result.summary()
        self.stdout.write(self.style.WARNING(line) if result.failed else line)
        if result.failed:
            raise CommandError(f"{result.failed} fichier(s) n'ont pas pu être supprimé(s).")
