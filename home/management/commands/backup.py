"""``manage.py backup``: the database and both file storages into a dated folder (home/backup.py).

Run daily by the scheduler when ``BACKUP_CRONTAB`` is set (settings.PERIODIC_JOBS); keeps the
``BACKUP_KEEP`` latest backups under ``BACKUP_ROOT``.
"""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Sauvegarde la base PostgreSQL (pg_dump), les médias publics et les pièces jointes privées."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, default=None, help="Nombre de sauvegardes gardées (par défaut BACKUP_KEEP)."
        )

    def handle(self, *args, keep=None, **options):
        try:
            folder, manifest = backup.backup(keep=keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(
            f"{alias}: {content['count']} fichier(s), {content['size']} octets"
            for alias, content in manifest["storages"].items()
        )
        self.stdout.write(f"Sauvegarde écrite : {folder} (base {manifest['database']['size']} octets ; {counts})")
