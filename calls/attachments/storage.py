"""Where applicants' files are kept, under which name, and how a reviewer gets one.

- ``private_storage()`` is ``storages["private"]``: a folder outside MEDIA_ROOT by default,
  a private S3 location when AWS_STORAGE_BUCKET_NAME is set (see config/settings/base.py).
  Nothing serves it by a public URL.
- ``storage_key()`` gives the stored name: a UUID under ``applications/<year>/<month>/``,
  never derived from the applicant's file name, so nothing can be overwritten or guessed.
- ``signed_url()`` gives a signed URL of at most five minutes on S3, ``None`` locally
  (the file is then streamed by a permission-checked view).
- ``PrivateStorage`` is the ``Attachment.file`` field's storage: it forwards to
  ``private_storage()`` at each call.
- ``download_response()`` sends a private file to someone the caller has checked (the
  signed URL on S3, else the file streamed, sandboxed, never cached).
- ``StoredFiles`` stores clean files with their rows, all or nothing (an application's
  attachments, a draft's files, the files of an answer to « informations demandées »);
  ``delete_stored_files`` deletes files, logging a failure.
"""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .kinds import KINDS
from .names import content_disposition

logger = logging.getLogger(__name__)

#: The longest a signed URL lives: long enough to start a download, too short to share.
MAX_SIGNED_URL_SECONDS = 300

#: The folder (S3: key prefix) of every stored name ``storage_key`` gives; the orphan sweep
#: (``calls/orphan_files.py``) looks under it only.
STORAGE_PREFIX = "applications"


def private_storage():
    """The storage of applicants' files: never served by a public URL."""
    return storages["private"]


class AttachmentStorageError(Exception):
    """A file could not be written to the private storage; nothing was kept."""


def delete_stored_files(names, storage=None):
    """Delete files from the private storage, logging (not raising) each failure."""
    storage = storage or private_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete the private file %s", name)


class StoredFiles:
    """Clean files stored with their rows, all or nothing.

    Entered before ``transaction.atomic()`` (``with StoredFiles() as stored,
    transaction.atomic():``): ``store`` writes a file to the private storage, then its row;
    when the block fails, the transaction rolls the rows back, then every file written is
    deleted, so neither a row without its file nor a file without its row remains.
    """

    def __init__(self, storage=None):
        self.storage = storage or private_storage()
        self.names = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            delete_stored_files(self.names, self.storage)
        return False

    def write(self, name, content):
        """Write ``content`` under ``name`` (a file named by its own rule, e.g. a laureate's
        under ``laureates/``), deleted like ``store``'s when the block fails; the stored name."""
        try:
            saved = self.storage.save(name, content)
        except Exception as exc:
            raise AttachmentStorageError(str(exc)) from exc
        self.names.append(saved)
        return saved

    def store(self, clean, model, **row):
        """Store ``clean`` (a ``validation.CleanFile``) and create its ``model`` row with
        ``row``'s other fields; ``AttachmentStorageError`` when the storage refuses it."""
        try:
            name = clean.save(self.storage)
        except Exception as exc:
            raise AttachmentStorageError(str(exc)) from exc
        self.names.append(name)
        return model.objects.create(
            file=name, display_name=clean.display_name, content_type=clean.content_type, size=clean.size, **row
        )


def storage_key(display_name: str | None, kind: str) -> str:
    """A new stored name, ``applications/<year>/<month>/<uuid4 hex>.<ext>``.

    ``display_name`` is deliberately unused: the stored name never carries anything the
    applicant typed. The UUID makes collisions (and so overwrites) impossible on the local
    storage; on S3, ``file_overwrite=False`` is set as well.
    """
    now = timezone.localtime()
    return f"{STORAGE_PREFIX}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{KINDS[kind].extensions[0]}"


def signed_url(name: str, expires: int = MAX_SIGNED_URL_SECONDS, display_name: str | None = None) -> str | None:
    """A short-lived signed URL to download ``name`` from S3, or ``None`` for a local storage.

    The URL expires after ``expires`` seconds, at most five minutes, and makes S3 answer
    with ``Content-Disposition: attachment`` (under ``display_name`` when given), so a
    browser never renders the file inline. With the local storage there is no URL at all:
    the file is streamed by a view that checks the reviewer's permission.
    """
    if expires <= 0:
        raise ValueError("expires must be a positive number of seconds")
    storage = private_storage()
    # Imported on use: it loads boto3, which a site on the local storage never needs.
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a pinned requirement
        return None
    if not isinstance(storage, S3Storage):
        return None
    if not storage.querystring_auth or storage.custom_domain:
        raise ImproperlyConfigured("The private S3 storage must sign its URLs (querystring_auth, no custom_domain).")
    parameters = {
        "ResponseContentDisposition": content_disposition(display_name) if display_name else "attachment",
    }
    return storage.url(name, parameters=parameters, expire=min(int(expires), MAX_SIGNED_URL_SECONDS))


# Migrations record the storage of ``Attachment.file`` as ``calls.models.PrivateStorage``
# (calls/migrations/0002_…), where the class lived first; calls.models imports it from here,
# so the recorded path keeps working and moving the class needs no migration.
@deconstructible(path="calls.models.PrivateStorage")
class PrivateStorage(Storage):
    """Forwards every call to ``storages["private"]`` at the time of the call.

    A FileField evaluates its storage once, when the model is loaded; looking the private
    storage up on each call keeps it in step with the settings (tests swap STORAGES).
    """

    def _target(self):
        return private_storage()

    def open(self, name, mode="rb"):
        return self._target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self._target().save(name, content, max_length=max_length)

    def delete(self, name):
        return self._target().delete(name)

    def exists(self, name):
        return self._target().exists(name)

    def size(self, name):
        return self._target().size(name)

    def url(self, name):
        return self._target().url(name)

    def path(self, name):
        return self._target().path(name)

    def generate_filename(self, filename):
        return self._target().generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self._target().get_available_name(name, max_length=max_length)


def download_response(field_file, display_name: str, content_type: str):
    """A private file sent as a download: a signed URL of at most five minutes on S3, else
    streamed from the private folder, sandboxed and never cached. Raises ``Http404`` for a
    file missing from the storage. The caller has checked who may have it."""
    url = signed_url(field_file.name, display_name=display_name)
    if url:
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = field_file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type or "application/octet-stream")
        response["Content-Disposition"] = content_disposition(display_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
