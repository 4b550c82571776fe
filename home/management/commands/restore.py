"""``manage.py restore <sauvegarde>``: a backup of ``manage.py backup`` into an EMPTY database and
the configured storages (home/backup.py). Refuses a database that has any table."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans une base PostgreSQL vide et dans les stockages configurés."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Nom du dossier sous BACKUP_ROOT, ou son chemin.")

    def handle(self, *args, **options):
        try:
            folder, _manifest, copied = backup.restore(options["backup"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restauration terminée depuis {folder} : base restaurée, {copied} fichier(s) copié(s).")
