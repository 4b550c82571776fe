"""Files of the private storage that no row names: found and deleted after a grace period.

``store_application`` (and a draft's save, an applicant's answer) writes each file to the
private storage inside its transaction and deletes what it wrote if the transaction fails.
What it cannot clean up is a process that dies in between (a worker killed by SIGKILL or by
the out-of-memory killer, a machine that stops): the file stays, the rows never committed.
A deletion after a commit that failed (storage unreachable) leaves a file too. Such a file
belongs to nobody, and may hold an applicant's data: it must not stay.

``sweep()`` lists every stored file under ``storage.STORAGE_PREFIX`` (``applications/``)
and under each folder a higher app registers (``register_folder``: the laureates' milestone
and report files under ``laureates/``), keeps the ones younger than
``CALLS_ORPHAN_FILES_GRACE_MINUTES`` (an upload in flight is written before its transaction
commits, and no request lives more than a few minutes), and deletes the older ones that no
row names. For ``applications/`` the rows are read after the listing, in one statement per
batch (a UNION of ``Attachment`` and ``DraftFile``): a draft's file that becomes an
attachment (one transaction) is seen under one name or the other, never under neither; a
registered folder gives its own function of the names it still references. On S3,
multipart uploads begun before the cut-off and never completed (invisible in a listing,
yet stored and billed) are aborted too.

Run by ``manage.py sweep_orphan_files [--dry-run]`` and by ``purge_applications``. Logged
with counts only: stored names are UUIDs, but nothing about a file is worth a log line.
"""

import datetime
import logging
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .attachments.storage import STORAGE_PREFIX, private_storage
from .models import Attachment, DraftFile

logger = logging.getLogger(__name__)

#: Below this, a file could be swept while its request is still running (gunicorn's timeout
#: is a minute; an upload to S3 times out in seconds): a shorter grace is refused.
MINIMUM_GRACE = datetime.timedelta(minutes=10)

#: Names checked against the rows per query (two parameters each: one per table).
BATCH = 400

#: Folder → function(names) returning the subset of names some row references. Filled by
#: ``register_folder`` (calls never imports the layers above; they register in their
#: ``AppConfig.ready``).
_FOLDERS = {}


def register_folder(folder, referenced):
    """Sweep ``folder`` of the private storage too: ``referenced(names)`` returns the subset
    of ``names`` (paths in the storage) that rows still name, read in one statement."""
    folder = folder.strip("/")
    if not folder or folder == STORAGE_PREFIX or "/" in folder:
        raise ValueError("A swept folder is one top-level folder other than the applications' own.")
    _FOLDERS[folder] = referenced


def folders():
    """``[(folder, referenced)]`` swept, the applications' first."""
    return [(STORAGE_PREFIX, _referenced), *sorted(_FOLDERS.items())]


@dataclass
class SweepResult:
    examined: int = 0
    young: int = 0
    referenced: int = 0
    orphans: int = 0  # deleted, or that would be with dry_run
    failed: int = 0
    multipart_aborted: int = 0  # S3 only
    dry_run: bool = False

    def summary(self):
        """The counts as one French line, for the commands' output."""
        if self.dry_run:
            line = f"{self.orphans} fichier(s) orphelin(s) à supprimer (simulation : rien n'a été supprimé)"
        else:
            line = f"{self.orphans} fichier(s) orphelin(s) supprimé(s)"
        line += (
            f" ; {self.examined} fichier(s) examiné(s), {self.referenced} rattaché(s) à une candidature,"
            f" un brouillon ou un lauréat, {self.young} trop récent(s) pour être jugé(s)"
        )
        if self.multipart_aborted:
            verb = "à abandonner" if self.dry_run else "abandonné(s)"
            line += f", {self.multipart_aborted} envoi(s) S3 inachevé(s) {verb}"
        if self.failed:
            line += f", {self.failed} échec(s) (voir le journal)"
        return line + "."


def grace():
    return datetime.timedelta(minutes=settings.CALLS_ORPHAN_FILES_GRACE_MINUTES)


def _s3_bucket(storage):
    """The boto3 bucket when ``storage`` is django-storages' S3 storage, else None."""
    try:  # imported on use: a site on the local storage never loads boto3
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a pinned requirement
        return None
    return storage.bucket if isinstance(storage, S3Storage) else None


def _s3_files(storage, bucket, folder):
    """(name, last modified) of every object under ``folder``, from the listing itself
    (one request per thousand objects, no HEAD per file)."""
    prefix = storage._normalize_name(folder) + "/"
    location = storage.location.strip("/")
    for summary in bucket.objects.filter(Prefix=prefix):
        name = summary.key[len(location) + 1 :] if location else summary.key
        yield name, summary.last_modified


def _walk(storage, folder):
    """(name, modified time) of every file under ``folder``, through the Storage API."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = posixpath.join(folder, name)
        try:
            yield path, storage.get_modified_time(path)
        except FileNotFoundError:  # deleted since the listing
            continue
    for directory in directories:
        yield from _walk(storage, posixpath.join(folder, directory))


def _referenced(names):
    """The subset of ``names`` an attachment or a draft's file names, in one statement."""
    attachments = Attachment.objects.filter(file__in=names).order_by().values_list("file", flat=True)
    draft_files = DraftFile.objects.filter(file__in=names).order_by().values_list("file", flat=True)
    return set(attachments.union(draft_files))


def _abort_multipart_uploads(storage, bucket, cutoff, result, folder):
    prefix = storage._normalize_name(folder) + "/"
    for upload in bucket.multipart_uploads.filter(Prefix=prefix):
        if upload.initiated >= cutoff:
            continue
        if result.dry_run:
            result.multipart_aborted += 1
            continue
        try:
            upload.abort()
        except Exception as error:
            result.failed += 1
            logger.warning("Orphan files sweep: an unfinished upload could not be aborted (%s)", type(error).__name__)
        else:
            result.multipart_aborted += 1


def _sweep_folder(storage, bucket, folder, referenced_in, cutoff, result):
    candidates = []
    listing = _s3_files(storage, bucket, folder) if bucket is not None else _walk(storage, folder)
    for name, modified in listing:
        result.examined += 1
        if timezone.is_naive(modified):
            modified = timezone.make_aware(modified, datetime.UTC)
        if modified >= cutoff:
            result.young += 1
        else:
            candidates.append(name)

    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        referenced = referenced_in(batch)
        result.referenced += len(referenced)
        for name in batch:
            if name in referenced:
                continue
            if result.dry_run:
                result.orphans += 1
                continue
            try:
                storage.delete(name)
            except Exception as error:
                result.failed += 1
                logger.warning("Orphan files sweep: a file could not be deleted (%s)", type(error).__name__)
            else:
                result.orphans += 1


def sweep(*, dry_run=False, now=None, grace_period=None):
    """Delete the private files older than the grace period that no row names; return the counts.

    ``now`` and ``grace_period`` default to the clock and ``CALLS_ORPHAN_FILES_GRACE_MINUTES``;
    a grace shorter than ``MINIMUM_GRACE`` raises ``ValueError``.
    """
    grace_period = grace() if grace_period is None else grace_period
    if grace_period < MINIMUM_GRACE:
        raise ValueError(
            f"The grace period must be at least {MINIMUM_GRACE}: a shorter one could delete an upload in flight."
        )
    cutoff = (now or timezone.now()) - grace_period
    storage = private_storage()
    bucket = _s3_bucket(storage)
    result = SweepResult(dry_run=dry_run)

    for folder, referenced in folders():
        _sweep_folder(storage, bucket, folder, referenced, cutoff, result)
        if bucket is not None:
            _abort_multipart_uploads(storage, bucket, cutoff, result, folder)

    logger.info(
        "Orphan files sweep%s: %d file(s) examined, %d younger than %s, %d referenced, %d orphan(s) %s, "
        "%d failure(s), %d unfinished upload(s) %s",
        " (dry run)" if dry_run else "",
        result.examined,
        result.young,
        grace_period,
        result.referenced,
        result.orphans,
        "found" if dry_run else "deleted",
        result.failed,
        result.multipart_aborted,
        "found" if dry_run else "aborted",
    )
    return result
