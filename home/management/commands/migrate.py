"""``manage.py migrate`` under a PostgreSQL advisory lock.

Django's own migrate takes no lock: replicas started together (RUN_MIGRATIONS=1 in each) would
apply the same migrations at once and fail half-way ("relation already exists", a duplicate row
in django_migrations). This command, which replaces Django's (the home app comes before
django.contrib in INSTALLED_APPS), takes a session-level advisory lock on the database's
connection first: the first process migrates, the others wait for it, then find nothing left
to apply. SQLite needs no lock: its IMMEDIATE transactions already serialise writers, and the
single-host install runs one container.
https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections

# A fixed 64-bit key of the site's own: hashtext('quartierscafes:migrate') would do too, but a
# constant is easier to find in pg_locks (objid 0x51430001).
MIGRATION_LOCK_KEY = 0x5143_4D49_4752_0001


class Command(DjangoMigrateCommand):
    help = DjangoMigrateCommand.help + " Under a PostgreSQL advisory lock: one process at a time."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        # A session of its own holds the lock, whatever migrate does with its connection; it is
        # released at the end, or by PostgreSQL when the process dies.
        lock_connection = connection.copy()
        try:
            with lock_connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
                if not cursor.fetchone()[0]:
                    # On stderr, flushed: whoever watches the container sees why it waits.
                    self.stderr.write("migrate: another process is migrating; waiting for its lock")
                    self.stderr.flush()
                    cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
            return super().handle(*args, **options)
        finally:
            lock_connection.close()
