"""Deploy checks: production refuses the laptop defaults.

Every concern has an embedded default that works with no service (config/settings/base.py):
right on a laptop, wrong in a container, where each one fails silently — SQLite and files on
the container's writable layer vanish with it, a local-memory cache is one per gunicorn worker
(rate limits, page-cache generations), the console email backend prints applicants' one-time
sign-in links into the logs, and a loopback WAGTAILADMIN_BASE_URL puts 127.0.0.1 in every
emailed link. These checks (``manage.py check --deploy``, run by docker/entrypoint.sh before
anything else) turn each of them into an error naming the variable to set.

``SINGLE_HOST_INSTALL=1`` is the one deliberate exception: one host, one container, SQLite (WAL)
and the files on local folders — then the database's folder and the files' folders must be
declared volumes (mount points) when running in a container. /readyz/ reports the mode.
https://docs.djangoproject.com/en/5.2/topics/checks/
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

LAPTOP_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": (
        "la console (les liens de connexion finiraient dans les journaux)"
    ),
    "django.core.mail.backends.filebased.EmailBackend": "des fichiers locaux",
    "django.core.mail.backends.locmem.EmailBackend": "la mémoire du processus",
    "django.core.mail.backends.dummy.EmailBackend": "nulle part",
}
LOCAL_STORAGE = "django.core.files.storage.FileSystemStorage"


def single_host():
    return settings.SINGLE_HOST_INSTALL


def in_container():
    """podman writes /run/.containerenv, Docker /.dockerenv."""
    return Path("/run/.containerenv").exists() or Path("/.dockerenv").exists()


def mount_points(mountinfo=Path("/proc/self/mountinfo")):
    """The process's mount points (a bind-mounted volume on the same device included, which
    os.path.ismount cannot see)."""
    try:
        lines = mountinfo.read_text().splitlines()
    except OSError:
        return None
    # Field 5 is the mount point, with spaces and the like escaped in octal (\040).
    return {Path(line.split()[4].encode().decode("unicode_escape")) for line in lines if len(line.split()) > 4}


def on_volume(path):
    """Whether ``path`` lies on a mount of its own (a volume), not on the container's root."""
    path = Path(path).resolve()
    mounts = mount_points()
    for candidate in (path, *path.parents):
        if candidate == Path("/"):
            return False
        if (candidate in mounts) if mounts is not None else os.path.ismount(candidate):
            return True
    return False


def _local_path_error(path, what, variable, check_id):
    """In single-host mode a local folder is fine, on a volume when inside a container."""
    if not single_host():
        return Error(
            f"{what} est sur le disque local ({path}) : définir {variable}, "
            "ou SINGLE_HOST_INSTALL=1 pour une installation volontaire sur un seul hôte.",
            id=check_id,
        )
    if in_container() and not on_volume(path):
        return Error(
            f"{what} ({path}) est sur le système de fichiers du conteneur : "
            "le monter sur un volume déclaré (SINGLE_HOST_INSTALL=1 l'exige).",
            id=check_id,
        )
    return None


@register("qc_deploy", deploy=True)
def check_production_engines(app_configs=None, **kwargs):
    errors = []
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        error = _local_path_error(
            Path(str(database["NAME"])).parent, "La base SQLite", "DATABASE_URL (PostgreSQL)", "qc.E001"
        )
        if error:
            errors.append(error)
        elif "journal_mode=WAL" not in database.get("OPTIONS", {}).get("init_command", ""):
            errors.append(Error("SQLite doit tourner en mode WAL (SQLITE_OPTIONS).", id="qc.E001"))

    cache = settings.CACHES["default"]["BACKEND"]
    if cache.endswith(("LocMemCache", "DummyCache")):
        errors.append(
            Error(
                "Le cache est local à chaque processus (limites de débit, cache de pages) : définir REDIS_URL.",
                id="qc.E002",
            )
        )

    backend = settings.EMAIL_BACKEND
    if backend in LAPTOP_EMAIL_BACKENDS:
        errors.append(
            Error(
                f"Les courriels partiraient vers {LAPTOP_EMAIL_BACKENDS[backend]} : définir EMAIL_URL (ou EMAIL_HOST).",
                id="qc.E003",
            )
        )

    for alias, what, root_setting in (
        ("private", "Le stockage privé (pièces jointes des candidats)", "PRIVATE_MEDIA_ROOT"),
        ("default", "Le stockage des médias publics", "MEDIA_ROOT"),
    ):
        storage = settings.STORAGES[alias]
        if storage["BACKEND"] == LOCAL_STORAGE:
            location = storage.get("OPTIONS", {}).get("location") or getattr(settings, root_setting)
            error = _local_path_error(location, what, "AWS_STORAGE_BUCKET_NAME (S3)", "qc.E004")
            if error:
                errors.append(error)

    host = urlsplit(settings.WAGTAILADMIN_BASE_URL or "").hostname or ""
    if _is_loopback(host):
        errors.append(
            Error(
                f"WAGTAILADMIN_BASE_URL pointe sur {host or 'rien'} : les liens envoyés par courriel seraient "
                "inutilisables. Définir WAGTAILADMIN_BASE_URL (https://quartierscafes.org).",
                id="qc.E005",
            )
        )
    return errors


def _is_loopback(host):
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False
