"""Backups and restores (home/backup.py, ``manage.py backup`` / ``manage.py restore``).

On PostgreSQL: content is created (a published page, an image in the public storage, an
application with its attachment in the private storage), backed up, then restored into a NEW
database and NEW media folders by another process (Django's connection and storages are per
process); a third process asks the restored site for the same page and reads the same
application's file. A second restore into that database, no longer empty, refuses and changes
nothing. The databases made here are dropped at the end.

The tests commit (``transaction=True``) and build what they need themselves (the locale, the
home page), whatever an earlier transactional test flushed: Django's ``serialized_rollback``
cannot restore the migrations' rows once a flush has made the content types again under
other ids (it fails on the content types' unique key when the suite runs in full).
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from home import backup
from tests.factories import ImageFactory, ProgrammePageFactory, make_home
from tests.moderation.factories import ApplicationFactory, add_attachment, make_call

ROOT = Path(__file__).resolve().parents[2]
_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump / pg_restore: the backup is PostgreSQL's"
)
# pg_dump reads committed rows only: real transactions.
_committed = pytest.mark.django_db(transaction=True)


def on_postgresql(test):
    return _postgresql_only(_committed(test))


# Run in the restored site's process: the page and the application as that site has them.
READ_BACK = """
import hashlib, json, re, sys
import django
django.setup()
from django.test import Client
from calls.models import Application
from wagtail.images import get_image_model
url, reference, image_title = sys.argv[1:4]
response = Client().get(url)
title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
application = Application.objects.get(reference=reference)
attachment = application.attachments.get()
with attachment.file.open("rb") as handle:
    digest = hashlib.sha256(handle.read()).hexdigest()
image = get_image_model().objects.get(title=image_title)
with image.file.open("rb") as handle:
    image_digest = hashlib.sha256(handle.read()).hexdigest()
print(json.dumps({
    "status": response.status_code,
    "title": title.group(1).strip() if title else None,
    "business": application.business_name,
    "attachment": digest,
    "image": image_digest,
    "applications": Application.objects.count(),
}))
"""


def _conninfo(dbname):
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=dbname,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=str(params["PORT"]) if params["PORT"] else None,
    )


@pytest.fixture
def new_database():
    """A new empty database beside the test database (qc_bak22_restore_<random>), dropped after."""
    name = f"qc_bak22_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    url = f"postgres://{credentials}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    yield type("Database", (), {"name": name, "url": url, "conninfo": _conninfo(name)})
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _site_process(database_url, media, private, *command):
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}}
    environment.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
    )
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900
    )


def _tree(folder):
    folder = Path(folder)
    return sorted(
        (str(path.relative_to(folder)), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in folder.rglob("*")
        if path.is_file()
    )


def _sha(data):
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def content(transactional_db, settings, tmp_path):
    """Committed content (pg_dump reads what is committed): the restore must bring it back."""
    from wagtail.models import Locale

    settings.BACKUP_ROOT = str(tmp_path / "backups")
    Locale.objects.get_or_create(language_code="fr")  # flushed by an earlier transactional test
    home = make_home()
    image = ImageFactory(title="Terrasse de sauvegarde")
    page = ProgrammePageFactory(parent=home, title="Notre méthode d'accompagnement", slug="methode")
    call = make_call(home, title="Appel de printemps", slug="appel-printemps")
    application = ApplicationFactory(page=call, reference="QC-2099-0420", business_name="Le Zinc d'exemple")
    content = b"%PDF-1.4\n% business plan d'exemple\n" + uuid.uuid4().bytes
    add_attachment(application, content=content)
    response = Client().get(page.url)
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()
    return type(
        "Content",
        (),
        {
            "page_url": page.url,
            "title": title,
            "status": response.status_code,
            "reference": application.reference,
            "attachment": _sha(content),
            "image_title": image.title,
            "image": _sha(Path(image.file.path).read_bytes()),
        },
    )


@on_postgresql
def test_a_backup_restored_into_a_new_database_serves_the_same_site(content, new_database, tmp_path, settings):
    call_command("backup")
    (folder,) = backup.completed_backups()
    manifest = json.loads((folder / backup.MANIFEST).read_text())
    assert manifest["storages"]["private"]["count"] == 1
    assert manifest["storages"]["default"]["count"] >= 1
    assert manifest["database"]["size"] > 0
    assert (folder / "private" / manifest["storages"]["private"]["files"][0]["name"]).is_file()

    media, private = tmp_path / "restored-media", tmp_path / "restored-private"
    restored = _site_process(new_database.url, media, private, "manage.py", "restore", str(folder))
    assert restored.returncode == 0, restored.stdout + restored.stderr[-3000:]
    assert "Restauration terminée" in restored.stdout

    read = _site_process(
        new_database.url, media, private, "-c", READ_BACK, content.page_url, content.reference, content.image_title
    )
    assert read.returncode == 0, read.stderr[-3000:]
    site = json.loads(read.stdout.strip().splitlines()[-1])
    assert content.status == site["status"] == 200
    assert site["title"] == content.title and "Notre méthode" in site["title"]
    assert site["business"] == "Le Zinc d'exemple"
    assert site["attachment"] == content.attachment
    assert site["image"] == content.image

    # Into that database, no longer empty: refused, and nothing changes (database nor files).
    with psycopg.connect(new_database.conninfo) as database:
        before = database.execute("SELECT count(*) FROM calls_application").fetchone()
    files_before = _tree(media) + _tree(private)
    again = _site_process(new_database.url, media, private, "manage.py", "restore", str(folder))
    assert again.returncode != 0
    assert "n'est pas vide" in again.stderr and new_database.name in again.stderr
    with psycopg.connect(new_database.conninfo) as database:
        assert database.execute("SELECT count(*) FROM calls_application").fetchone() == before
    assert _tree(media) + _tree(private) == files_before


@on_postgresql
def test_a_restore_refuses_a_backup_that_does_not_match_its_manifest(content, new_database, tmp_path):
    folder, manifest = backup.backup()
    attachment = folder / "private" / manifest["storages"]["private"]["files"][0]["name"]
    attachment.write_bytes(attachment.read_bytes() + b"altered")
    media, private = tmp_path / "m", tmp_path / "p"
    restored = _site_process(new_database.url, media, private, "manage.py", "restore", str(folder))
    assert restored.returncode != 0
    assert "ne correspond pas au manifeste" in restored.stderr
    with psycopg.connect(new_database.conninfo) as database:
        assert database.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
    assert not media.exists() and not private.exists()


@on_postgresql
def test_only_the_latest_backups_are_kept(content, settings):
    import datetime

    settings.BACKUP_KEEP = 2
    start = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    names = [backup.backup(now=start + datetime.timedelta(days=day))[0].name for day in range(3)]
    assert [path.name for path in backup.completed_backups()] == names[1:]
    # An interrupted backup (no manifest) is never counted as one, nor left as a dated folder.
    assert not [path for path in Path(settings.BACKUP_ROOT).iterdir() if path.name.startswith(".")]


@on_postgresql
def test_restore_refuses_the_database_it_runs_in(content):
    folder, _ = backup.backup()
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(folder))


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal of a database other than PostgreSQL")
def test_backup_says_it_needs_postgresql(db, settings, tmp_path):
    settings.BACKUP_ROOT = str(tmp_path / "backups")
    with pytest.raises(CommandError, match="demandent PostgreSQL"):
        call_command("backup")
    assert not Path(settings.BACKUP_ROOT).exists()


def test_the_backup_service_schedules_the_backup_alone():
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", BACKUP_CRONTAB="30 2 * * *", SCHEDULER_JOBS="backup"
    )
    code = "import django; django.setup(); from home import scheduler; print([j.name for j in scheduler.jobs()])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "['backup']"


def test_the_backup_is_a_daily_job_only_when_configured():
    from django.conf import settings

    if settings.BACKUP_CRONTAB:
        assert settings.PERIODIC_JOBS["backup"]["command"] == "backup"
    else:
        assert "backup" not in settings.PERIODIC_JOBS
    assert settings.BACKUP_KEEP >= 1
