import copy
import datetime
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.settings import base

ROOT = Path(__file__).resolve().parents[2]
# Whatever the machine running the suite has set (CI points DATABASE_URL at PostgreSQL) must
# not leak into the settings modules started below: each test says what it sets.
ENVIRONMENT_SETTINGS = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_URL",
    "EMAIL_HOST",
    "TASKS_BACKEND",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "WAGTAILADMIN_BASE_URL",
    "SINGLE_HOST_INSTALL",
    "SQLITE_PATH",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
}
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "prod-like-secret-" + "k3y" * 20,
    "ALLOWED_HOSTS": "quartierscafes.example.org",
}


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_SETTINGS}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def shell_results(code, env_overrides):
    """Run ``code`` in ``manage.py shell``; return what it printed on lines starting with RESULT."""
    result = run_manage("shell", "-c", code, env_overrides=env_overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    return [line.removeprefix("RESULT ") for line in result.stdout.splitlines() if line.startswith("RESULT ")]


@pytest.mark.django_db
def test_pages_are_french_whatever_the_browser_asks(client, home_page):
    response = client.get(home_page.url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    # Times are stored in UTC and shown in Paris time (UTC+1 in winter, UTC+2 in summer).
    assert timezone.localtime(datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)).hour == 13
    assert timezone.localtime(datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)).hour == 14


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


def test_base_defaults_work_with_no_service(tmp_path):
    """Without any service variable, the database, cache, email and search work in the process,
    and applicants' files are stored outside the public media folder."""
    code = (
        "from pathlib import Path;"
        "from django.core.cache import cache;"
        "from django.core.files.storage import storages;"
        "from django.core.mail import send_mail;"
        "from django.db import connection;"
        "from wagtail.search.backends import get_search_backend;"
        "cursor = connection.cursor(); cursor.execute('SELECT 1');"
        "print('RESULT', connection.vendor, cursor.fetchone()[0]);"
        "cache.set('probe', 'ok'); print('RESULT', cache.get('probe'));"
        "print('RESULT', send_mail('Objet', 'Texte', None, ['a@example.org']));"
        "print('RESULT', type(get_search_backend()).__module__);"
        "private, public = Path(storages['private'].location), Path(storages['default'].location);"
        "print('RESULT', private.is_relative_to(public))"
    )
    results = shell_results(
        code,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": "x" * 60,
            "SQLITE_PATH": str(tmp_path / "defaults.sqlite3"),
        },
    )
    assert results[0] == "sqlite 1"
    assert results[1] == "ok"
    assert results[2] == "1"  # one email "sent", printed on the console
    assert ".backends.database." in results[3]  # the database search, not Elasticsearch
    assert results[4] == "False"


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


# What a production deployment sets besides SECRET_KEY and ALLOWED_HOSTS: the deploy checks
# (home/checks.py) refuse every laptop default these replace.
PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://u:p@db.example.org:5432/qc",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://user:pw@smtp.example.org:587",
    "AWS_STORAGE_BUCKET_NAME": "qc-media",
    "WAGTAILADMIN_BASE_URL": "https://quartierscafes.example.org",
}


def test_production_deploy_check_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**PRODUCTION, **PRODUCTION_SERVICES},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing,named,check_id",
    [
        ("DATABASE_URL", "DATABASE_URL", "qc.E001"),
        ("REDIS_URL", "REDIS_URL", "qc.E002"),
        ("EMAIL_URL", "EMAIL_URL", "qc.E003"),
        ("AWS_STORAGE_BUCKET_NAME", "AWS_STORAGE_BUCKET_NAME", "qc.E004"),
        ("WAGTAILADMIN_BASE_URL", "WAGTAILADMIN_BASE_URL", "qc.E005"),
    ],
)
def test_production_deploy_check_refuses_each_laptop_default_and_names_the_variable(missing, named, check_id):
    environment = {**PRODUCTION, **PRODUCTION_SERVICES}
    del environment[missing]
    result = run_manage("check", "--deploy", "--fail-level", "ERROR", env_overrides=environment)
    assert result.returncode != 0
    assert check_id in result.stderr and named in result.stderr
    # Only the one missing: each check speaks for its own variable.
    assert set(re.findall(r"qc\.E\d+", result.stderr)) == {check_id}, result.stderr


@pytest.mark.parametrize(
    "override,check_id",
    [
        ({"EMAIL_URL": "filemail:///tmp/mails"}, "qc.E003"),
        ({"WAGTAILADMIN_BASE_URL": "http://localhost:8000"}, "qc.E005"),
        ({"WAGTAILADMIN_BASE_URL": "http://[::1]/"}, "qc.E005"),
    ],
    ids=["file-email", "localhost", "ipv6-loopback"],
)
def test_production_deploy_check_refuses_file_email_and_loopback_urls(override, check_id):
    result = run_manage("check", "--deploy", env_overrides={**PRODUCTION, **PRODUCTION_SERVICES, **override})
    assert result.returncode != 0
    assert check_id in result.stderr


def test_a_single_host_install_may_use_sqlite_and_local_files_on_volumes(tmp_path):
    """SINGLE_HOST_INSTALL=1: SQLite and local folders are accepted (outside a container here;
    inside one, on volumes: test_single_host_files_must_be_on_a_volume_in_a_container)."""
    environment = {
        **PRODUCTION,
        "REDIS_URL": PRODUCTION_SERVICES["REDIS_URL"],
        "EMAIL_URL": PRODUCTION_SERVICES["EMAIL_URL"],
        "WAGTAILADMIN_BASE_URL": PRODUCTION_SERVICES["WAGTAILADMIN_BASE_URL"],
        "SQLITE_PATH": str(tmp_path / "db" / "db.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    refused = run_manage("check", "--deploy", env_overrides=environment)
    assert refused.returncode != 0 and "SINGLE_HOST_INSTALL" in refused.stderr
    code = (
        "from home import checks; checks.in_container = lambda: False;"
        "print('RESULT', checks.check_production_engines())"
    )
    assert shell_results(code, {**environment, "SINGLE_HOST_INSTALL": "1"}) == ["[]"]


def test_single_host_files_must_be_on_a_volume_in_a_container(settings, monkeypatch, tmp_path):
    from home import checks

    monkeypatch.setattr(checks, "in_container", lambda: True)
    settings.SINGLE_HOST_INSTALL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    settings.WAGTAILADMIN_BASE_URL = "https://quartierscafes.example.org"
    database = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    database["NAME"] = str(tmp_path / "db.sqlite3")
    database["OPTIONS"] = base.SQLITE_OPTIONS
    settings.DATABASES = {**settings.DATABASES, "default": database}
    private = {"BACKEND": checks.LOCAL_STORAGE, "OPTIONS": {"location": str(tmp_path / "private")}}
    public = {"BACKEND": checks.LOCAL_STORAGE, "OPTIONS": {"location": str(tmp_path / "media")}}
    settings.STORAGES = {**settings.STORAGES, "private": private, "default": public}
    # The paths of the test lie on no mount of their own, then each folder is a mount.
    monkeypatch.setattr(checks, "mount_points", lambda: {Path("/")})
    assert sorted(error.id for error in checks.check_production_engines()) == ["qc.E001", "qc.E004", "qc.E004"]
    monkeypatch.setattr(checks, "mount_points", lambda: {Path("/"), tmp_path.resolve()})
    assert checks.check_production_engines() == []


def test_mount_points_are_read_from_mountinfo(tmp_path):
    from home import checks

    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "22 1 0:21 / / rw,relatime - overlay overlay rw\n"
        "23 22 8:1 /volumes/x/_data /app/private\\040media rw - ext4 /dev/sda1 rw\n"
    )
    assert checks.mount_points(mountinfo) == {Path("/"), Path("/app/private media")}


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
        "print(s.DEV_SUPERUSER);"
        "print(s.TASKS['default']['BACKEND'])"
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
    lines = result.stdout.strip().splitlines()[-9:]
    assert lines[0] == "django.db.backends.postgresql"
    assert lines[1] == "home.cache.FailSafeRedisCache"
    assert lines[2] == "search.elasticsearch"
    assert lines[3] == "['database', 'default']"
    assert lines[4] == "storages.backends.s3.S3Storage"
    assert int(lines[5]) <= 300
    assert lines[6] == "django.core.mail.backends.smtp.EmailBackend smtp.example.org"
    assert lines[7] == "None"
    # The database queue, search index updates run inline (home/task_backends.py).
    assert lines[8] == "home.task_backends.DatabaseBackendWithInlineTasks"


@pytest.mark.parametrize(
    "opt_in,expected",
    [
        ({}, "max-age=31536000"),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "True"}, "max-age=31536000; includeSubDomains"),
        (
            {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "True", "SECURE_HSTS_PRELOAD": "True"},
            "max-age=31536000; includeSubDomains; preload",
        ),
    ],
    ids=["default", "subdomains", "subdomains-and-preload"],
)
def test_production_hsts_covers_subdomains_and_preload_only_when_asked(opt_in, expected, tmp_path):
    code = (
        "from django.test import Client;"
        "response = Client().get("
        "'/robots.txt', HTTP_HOST='quartierscafes.example.org', HTTP_X_FORWARDED_PROTO='https');"
        "print('RESULT', response.status_code);"
        "print('RESULT', response.get('Strict-Transport-Security'))"
    )
    env = {**PRODUCTION, "SQLITE_PATH": str(tmp_path / "db.sqlite3"), **opt_in}
    assert shell_results(code, env_overrides=env) == ["200", expected]


def test_production_logging_keeps_base_handlers_and_loggers_and_adds_its_own():
    names = [*base.LOGGING["loggers"], "django.security.DisallowedHost"]
    code = (
        "import logging;"
        f"names = {names!r};"
        "print('RESULT ' + ' '.join(logging.getLevelName(logging.getLogger(n).level) for n in names));"
        "root = logging.getLogger();"
        "print('RESULT ' + logging.getLevelName(root.level));"
        "print('RESULT ' + '|'.join(sorted(type(h).__name__ + ':' + h.formatter._fmt for h in root.handlers)))"
    )
    levels, root_level, root_handlers = shell_results(code, env_overrides=PRODUCTION)
    assert levels.split() == [conf["level"] for conf in base.LOGGING["loggers"].values()] + ["ERROR"]
    assert root_level == base.LOGGING["root"]["level"]
    expected_handlers = []
    for name in base.LOGGING["root"]["handlers"]:
        handler = base.LOGGING["handlers"][name]
        formatter = base.LOGGING["formatters"][handler["formatter"]]
        expected_handlers.append(handler["class"].rsplit(".", 1)[1] + ":" + formatter["format"])
    assert root_handlers == "|".join(sorted(expected_handlers))


def test_loading_production_settings_leaves_base_as_it_was(monkeypatch):
    """Production builds its own LOGGING and STORAGES: the comparisons above, and anything else
    that imports config.settings.base next to it, see base's values."""
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "quartierscafes.example.org")
    logging_before, storages_before = copy.deepcopy(base.LOGGING), copy.deepcopy(base.STORAGES)
    production = importlib.reload(importlib.import_module("config.settings.production"))
    assert "django.security.DisallowedHost" in production.LOGGING["loggers"]
    assert production.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")
    assert base.LOGGING == logging_before
    assert base.STORAGES == storages_before


def test_gunicorn_config_imports_and_reads_workers_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.delenv("GUNICORN_BIND", raising=False)
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


@pytest.mark.parametrize(
    "environment,expected",
    [
        ({}, "0.0.0.0:8000"),
        ({"PORT": "9000"}, "0.0.0.0:9000"),
        ({"GUNICORN_BIND": "127.0.0.1:8000", "PORT": "9000"}, "127.0.0.1:8000"),
        ({"GUNICORN_BIND": "unix:/run/gunicorn/app.sock"}, "unix:/run/gunicorn/app.sock"),
        (
            {"GUNICORN_BIND": " 127.0.0.1:8000, unix:/run/gunicorn/app.sock "},
            ["127.0.0.1:8000", "unix:/run/gunicorn/app.sock"],
        ),
        ({"GUNICORN_BIND": " "}, "0.0.0.0:8000"),
    ],
    ids=["default", "port", "loopback", "unix-socket", "several", "blank"],
)
def test_gunicorn_binds_where_the_environment_says(monkeypatch, environment, expected):
    for name in ("GUNICORN_BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import config.gunicorn as conf

    assert importlib.reload(conf).bind == expected


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("-r "):
                continue
            assert "==" in line, f"{name}: {line} n'est pas épinglé"


@pytest.mark.parametrize(
    "cpu_max,expected",
    [("max 100000", None), ("150000 100000", 2), ("50000 100000", 1), ("100000 100000", 1), ("garbage", None)],
    ids=["no-quota", "one-and-a-half", "half", "one", "unreadable"],
)
def test_gunicorn_counts_the_cpus_of_the_container_quota(tmp_path, cpu_max, expected):
    import config.gunicorn as conf

    path = tmp_path / "cpu.max"
    path.write_text(cpu_max + "\n")
    host = len(os.sched_getaffinity(0))
    assert conf.available_cpus(path) == (min(host, expected) if expected else host)
    assert conf.available_cpus(tmp_path / "absent") == host


@pytest.mark.parametrize("threads,worker_class", [("2", "gthread"), ("4", "gthread"), ("1", "sync")])
def test_gunicorn_worker_class_follows_the_threads(monkeypatch, threads, worker_class):
    monkeypatch.setenv("GUNICORN_THREADS", threads)
    import config.gunicorn as conf

    conf = importlib.reload(conf)
    assert (conf.threads, conf.worker_class) == (int(threads), worker_class)
    assert conf.control_socket_disable  # it would be written under the read-only /app
