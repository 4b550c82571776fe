"""``manage.py migrate`` under a PostgreSQL advisory lock (home/management/commands/migrate.py).

Replicas that start together each run the image's entrypoint, which migrates: on a fresh
database of our own, three processes started at once must all succeed with each migration
applied once; a process that finds the lock taken waits for it, then has nothing left to do.
PostgreSQL only (SQLite's IMMEDIATE transactions serialise writers, and a single-host install
runs one container).
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from home.management.commands.migrate import MIGRATION_LOCK_KEY

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL only")


def _conninfo(dbname):
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=dbname,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=str(params["PORT"]) if params["PORT"] else None,
    )


@pytest.fixture(scope="module")
def fresh_database():
    """An empty database beside the test database, dropped at the end; its URL."""
    name = f"{connection.settings_dict['NAME']}_migrate_lock"[:63]
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    url = f"postgres://{credentials}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    yield type("Database", (), {"url": url, "conninfo": _conninfo(name)})
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate(url, *args):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "ELASTICSEARCH_URL"}
    }
    environment.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.dev")
    return subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--noinput", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _applied(conninfo):
    with psycopg.connect(conninfo) as database:
        return database.execute("SELECT app, name FROM django_migrations").fetchall()


def test_three_replicas_migrating_at_once_all_succeed_and_apply_each_migration_once(fresh_database):
    processes = [_migrate(fresh_database.url) for _ in range(3)]
    outcomes = [(process.wait(timeout=900), *process.communicate()) for process in processes]
    for returncode, stdout, stderr in outcomes:
        assert returncode == 0, stdout[-2000:] + stderr[-3000:]
    applied = _applied(fresh_database.conninfo)
    assert len(applied) == len(set(applied)) > 50
    # Exactly one process applied them; the others waited and found nothing to do.
    assert sum("Applying " in stdout for _, stdout, _ in outcomes) == 1
    assert sum("No migrations to apply" in stdout for _, stdout, _ in outcomes) == 2
    check = _migrate(fresh_database.url, "--check")
    assert check.wait(timeout=300) == 0, check.communicate()


def test_a_second_replica_waits_for_the_lock_then_finds_nothing_to_apply(fresh_database):
    before = _applied(fresh_database.conninfo)
    with psycopg.connect(fresh_database.conninfo, autocommit=True) as holder:
        # This test plays the replica that is migrating: it holds the lock.
        holder.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        waiting = _migrate(fresh_database.url)
        # Reads until the process says it waits (or ends without saying so: the lines run out).
        said = []
        for line in iter(waiting.stderr.readline, ""):
            if "waiting for its lock" in line:
                said.append(line)
                break
        assert said, "the second replica did not wait for the lock"
        assert waiting.poll() is None
        holder.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
    stdout, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert "No migrations to apply" in stdout
    assert _applied(fresh_database.conninfo) == before
