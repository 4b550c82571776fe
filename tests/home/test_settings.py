import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
import wagtail
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_french_first():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


@pytest.mark.django_db
def test_sqlite_defaults_wal_full_sync_immediate_and_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only defaults")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS", False)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20000


def test_embedded_defaults_need_no_service():
    from config.settings import base

    if not os.environ.get("DATABASE_URL"):
        assert base.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert base.CACHES["default"]["BACKEND"].endswith("LocMemCache") or os.environ.get("REDIS_URL")
    assert base.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == "wagtail.search.backends.database" or os.environ.get(
        "ELASTICSEARCH_URL"
    )
    assert base.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage" or os.environ.get(
        "AWS_STORAGE_BUCKET_NAME"
    )
    # Applicants' files are never under the public media folder.
    assert not str(base.PRIVATE_MEDIA_ROOT).startswith(str(base.MEDIA_ROOT))


def test_wal_journal_is_set_on_a_file_database(tmp_path):
    """The WAL journal mode persists in the file; the test database is in memory, so check a file."""
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        " print(c.fetchone()[0])",
        env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.dev", "SQLITE_PATH": str(tmp_path / "x.sqlite3")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


@pytest.mark.parametrize(
    "missing,present",
    [("SECRET_KEY", {"ALLOWED_HOSTS": "quartierscafes.example.org"}), ("ALLOWED_HOSTS", {"SECRET_KEY": "x" * 60})],
)
def test_production_refuses_to_start_without_secret_key_or_allowed_hosts(missing, present):
    result = run_manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.production", **present})
    assert result.returncode != 0
    assert f"{missing} doit être défini en production" in result.stderr


def test_production_deploy_check_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "prod-like-secret-" + "k3y" * 20,
            "ALLOWED_HOSTS": "quartierscafes.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_reads_the_engines_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']);"
        "print(sorted(s.WAGTAILSEARCH_BACKENDS));"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.STORAGES['private']['OPTIONS']['querystring_expire']);"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST);"
        "print(s.DEV_SUPERUSER)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "quartierscafes.example.org",
            "DATABASE_URL": "postgres://u:p@db.example.org:5432/qc",
            "REDIS_URL": "redis://cache.example.org:6379/0",
            "ELASTICSEARCH_URL": "http://search.example.org:9200",
            "AWS_STORAGE_BUCKET_NAME": "qc-media",
            "EMAIL_URL": "smtp+tls://user:pw@smtp.example.org:587",
        },
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()[-8:]
    assert lines[0] == "django.db.backends.postgresql"
    assert lines[1] == "django.core.cache.backends.redis.RedisCache"
    assert lines[2] == "wagtail.search.backends.elasticsearch9"
    assert lines[3] == "['database', 'default']"
    assert lines[4] == "storages.backends.s3.S3Storage"
    assert int(lines[5]) <= 300
    assert lines[6] == "django.core.mail.backends.smtp.EmailBackend smtp.example.org"
    assert lines[7] == "None"


def test_versions_carry_the_published_security_fixes():
    """pip-audit cannot reach its database from these machines: the floors are kept by hand.

    Django 5.2.19 and Wagtail 8.0.1 were the newest patch releases of their series on PyPI on
    2026-11-25, so they carry every security fix published until then. Raise these floors
    (and the pins in requirements.txt) with each security release.
    """
    assert django.VERSION[:2] == (5, 2)
    assert django.VERSION >= (5, 2, 19)
    assert wagtail.VERSION[:2] == (8, 0)
    assert wagtail.VERSION >= (8, 0, 1)


def test_gunicorn_config_imports_and_reads_workers_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    import config.gunicorn as conf

    conf = importlib.reload(conf)
    assert conf.workers == 3
    assert conf.timeout == 45
    assert conf.bind == "0.0.0.0:8000"
    monkeypatch.setenv("WEB_CONCURRENCY", "pas-un-nombre")
    conf = importlib.reload(conf)
    assert conf.workers >= 1


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("-r "):
                continue
            assert "==" in line, f"{name}: {line} n'est pas épinglé"
