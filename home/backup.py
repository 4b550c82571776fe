"""Backups and restores of the whole site: the PostgreSQL database and both file storages.

``manage.py backup`` writes one dated folder under ``settings.BACKUP_ROOT`` (a volume of its
own in the compose stack, never the media's): ``database.dump`` (``pg_dump --format=custom``,
the ``pg_dump`` binary of the machine or image), ``media/`` (the public storage, ``default``)
and ``private/`` (applicants' attachments, the ``private`` storage), both read through Django's
storage API (local folders or S3 alike), and ``manifest.json`` listing every file with its
size and SHA-256. The folder is written under a hidden ``.<name>.partial`` name and renamed
once complete: a folder with a manifest is a whole backup. The ``BACKUP_KEEP`` latest stay,
older ones are deleted.

``manage.py restore <name>`` checks everything before writing anything: the manifest against
the files (size and SHA-256), the target database (it must have no table at all: a restore
never mixes two sites' data), the target storages (a file already there must be the same
bytes). Then the files go back into the configured storages, under their own names, and the
database last with ``pg_restore --single-transaction``: all of it or nothing.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
# Storage alias → folder in the backup.
STORAGE_FOLDERS = {"default": "media", "private": "private"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in French."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _storage_files(storage, prefix=""):
    """Every file name of ``storage``, recursively, sorted."""
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}{name}" for name in files]
    for directory in directories:
        names.extend(_storage_files(storage, f"{prefix}{directory}/"))
    return sorted(names)


def _require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(
            "La sauvegarde et la restauration demandent PostgreSQL (pg_dump, pg_restore) ; "
            f"la base configurée est {connection.vendor}. "
            "(Backup and restore need PostgreSQL.)"
        )


def _pg_environment():
    """The libpq variables of the default database, for pg_dump and pg_restore."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for variable, value in {
        "PGHOST": params.get("HOST"),
        "PGPORT": str(params.get("PORT") or ""),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGDATABASE": params.get("NAME"),
    }.items():
        if value:
            environment[variable] = value
        else:
            environment.pop(variable, None)
    return environment


def _run(command):
    try:
        # The command is ours (the binaries of PG_DUMP / PG_RESTORE and our own arguments).
        result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"Programme introuvable : {command[0]} (installez le client PostgreSQL).") from error
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} a échoué (code {result.returncode}) : {result.stderr.strip()[-2000:]}"
        )
    return result


def root():
    return Path(settings.BACKUP_ROOT)


def completed_backups(where=None):
    """The complete backups (folders with a manifest), oldest first."""
    where = Path(where or root())
    if not where.is_dir():
        return []
    return sorted(path for path in where.iterdir() if not path.name.startswith(".") and (path / MANIFEST).is_file())


def backup(keep=None, now=None):
    """Write a new backup folder; delete the oldest beyond ``keep``; return (folder, manifest)."""
    _require_postgresql()
    keep = settings.BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("BACKUP_KEEP doit valoir au moins 1 : la sauvegarde qui vient d'être faite reste.")
    now = now or timezone.now()
    name = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    final = base / name
    if final.exists():
        raise BackupError(f"La sauvegarde {name} existe déjà.")
    partial = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=base))
    try:
        dump = partial / DATABASE_FILE
        _run([settings.PG_DUMP, "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
        manifest = {
            "format": 1,
            "created_at": now.isoformat(),
            "database": {"file": DATABASE_FILE, "size": dump.stat().st_size, "sha256": _sha256(dump)},
            "storages": {},
        }
        for alias, folder in STORAGE_FOLDERS.items():
            storage = storages[alias]
            entries = []
            for file_name in _storage_files(storage):
                target = partial / folder / file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(file_name, "rb") as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy, CHUNK)
                entries.append({"name": file_name, "size": target.stat().st_size, "sha256": _sha256(target)})
            manifest["storages"][alias] = {
                "folder": folder,
                "count": len(entries),
                "size": sum(entry["size"] for entry in entries),
                "files": entries,
            }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in completed_backups(base)[:-keep]:
        shutil.rmtree(old)
    return final, manifest


def locate(name):
    """A backup folder from its name under BACKUP_ROOT, or a path."""
    candidate = Path(name)
    if not candidate.is_absolute():
        candidate = root() / name if (root() / name).is_dir() else candidate
    if not (candidate / MANIFEST).is_file():
        raise BackupError(f"Sauvegarde introuvable ou incomplète (pas de {MANIFEST}) : {candidate}")
    return candidate


def verify(folder):
    """The manifest of ``folder``, after checking every file's size and SHA-256 against it."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    expected = [(folder / manifest["database"]["file"], manifest["database"])]
    for alias, content in manifest["storages"].items():
        if alias not in STORAGE_FOLDERS:
            raise BackupError(f"Stockage inconnu dans le manifeste : {alias}")
        expected += [(folder / content["folder"] / entry["name"], entry) for entry in content["files"]]
    for path, entry in expected:
        if not path.is_file():
            raise BackupError(f"Sauvegarde incomplète : {path} manque.")
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"Sauvegarde altérée : {path} ne correspond pas au manifeste (taille ou SHA-256).")
    return manifest


def existing_tables():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore(name):
    """Restore the backup ``name`` into the configured (empty) database and storages."""
    _require_postgresql()
    folder = locate(name)
    manifest = verify(folder)
    tables = existing_tables()
    if tables:
        raise BackupError(
            f"Restauration refusée : la base de données cible « {connection.settings_dict['NAME']} » "
            f"n'est pas vide ({len(tables)} tables, dont {', '.join(sorted(tables)[:3])}). "
            "Restaurez dans une base neuve et vide. "
            "(Restore refused: the target database is not empty.)"
        )
    copies = []
    for alias, content in manifest["storages"].items():
        storage = storages[alias]
        for entry in content["files"]:
            source = folder / content["folder"] / entry["name"]
            if storage.exists(entry["name"]):
                with storage.open(entry["name"], "rb") as present:
                    digest = hashlib.sha256()
                    for chunk in iter(lambda present=present: present.read(CHUNK), b""):
                        digest.update(chunk)
                if digest.hexdigest() != entry["sha256"]:
                    raise BackupError(
                        f"Restauration refusée : le fichier « {entry['name']} » existe déjà dans le stockage "
                        f"{alias} avec un autre contenu. (Restore refused: a different file is in the way.)"
                    )
                continue
            copies.append((storage, alias, entry["name"], source))
    for storage, alias, file_name, source in copies:
        with open(source, "rb") as content:
            saved = storage.save(file_name, File(content, name=file_name))
        if saved != file_name:
            storage.delete(saved)
            raise BackupError(f"Le stockage {alias} a enregistré « {file_name} » sous un autre nom : {saved}.")
    connection.close()
    _run(
        [
            settings.PG_RESTORE,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(folder / manifest["database"]["file"]),
        ]
    )
    return folder, manifest, len(copies)
