"""A streaming guard for applicants' uploads: size and number of files, checked while reading.

Django reads a multipart request in chunks (64 KiB here) and hands each chunk to its upload
handlers in turn. ``CallsUploadHandler`` goes first in that chain: it counts the bytes of
each file part and, past ``settings.CALLS_MAX_UPLOAD_SIZE`` (10 MB by default), raises
``SkipFile``. Django then closes the next handlers' partial files (the temporary file on
disk is deleted) and reads the rest of that part without keeping it, so an oversized file
is never held whole, in memory or on disk. Past ``settings.CALLS_MAX_FILES_PER_REQUEST``
file parts (10 by default; Django's own DATA_UPLOAD_MAX_NUMBER_FILES, 20, answers 400
beyond that), the extra parts are skipped the same way. When the announced length of the
whole request could not hold anything valid (every file at the cap, plus 2 MB of fields),
every file part is skipped from the first byte, and the ordinary fields are still read.

Why ``SkipFile`` and never ``StopUpload``: after a ``StopUpload``, Django drains the rest of
the request by iterating the raw input stream, which reads it line by line, and a binary
body has few line breaks, so a WSGI server's ``readline`` may buffer megabytes at once.
After a ``SkipFile`` the rest of the part is drained in parser-sized chunks.

Nothing is refused silently: every skipped file is recorded with a French message, and
the view adds it to the form beside the field (``upload_errors(request)``), so the
applicant is told which file was not received and why. The per-field limits (kinds, a
smaller maximum size) are checked afterwards by ``calls.attachments.validation.validate_upload``.

How it is installed. Upload handlers can only be changed before ``request.POST`` or
``request.FILES`` is first read, and CsrfViewMiddleware reads ``request.POST`` in its
``process_view``, before any view runs
(https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/#modifying-upload-handlers-on-the-fly).
So ``UploadGuardMiddleware`` (in ``MIDDLEWARE``, before CsrfViewMiddleware) installs the
guard on every multipart POST outside the admin: a middleware's request phase runs before
any ``process_view``, which is what the call pages need, since Wagtail serves them through
its own ``serve`` view. Installing it is idempotent (``install_upload_guard``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from .attachments.kinds import format_size
from .attachments.names import name_for_message

#: Room for the ordinary fields of a form, on top of the files, in a whole request.
FIELDS_ALLOWANCE = 2 * 1024 * 1024


@dataclass(frozen=True)
class UploadRefusal:
    """A file part the guard did not let through, with what to tell the applicant."""

    field_name: str
    file_name: str
    code: str  # "too_large", "too_many_files" or "request_too_large" (every file skipped)
    message: str


class CallsUploadHandler(FileUploadHandler):
    """Skips file parts past the size cap or past the number of files; passes the rest on.

    It stores nothing itself: the chunks go on to Django's memory and temporary-file
    handlers, which build the ``UploadedFile`` objects.
    """

    chunk_size = 64 * 1024

    def __init__(self, request=None):
        super().__init__(request)
        self.max_size = settings.CALLS_MAX_UPLOAD_SIZE
        self.max_files = settings.CALLS_MAX_FILES_PER_REQUEST
        self.max_request_size = self.max_size * self.max_files + FIELDS_ALLOWANCE
        self.files_seen = 0
        self.received = 0
        self.request_too_large = False
        self.refusals: list[UploadRefusal] = []

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Raising here would escape the parser (a 500); the refusal waits for the first file.
        if content_length and content_length > self.max_request_size:
            self.request_too_large = True
        return None

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        if self.request_too_large:
            self._refuse(
                "request_too_large",
                _(
                    "Le fichier « %(name)s » n'a pas été reçu : l'envoi dépassait %(max)s au total. "
                    "Joignez au plus %(files)d fichiers de %(size)s chacun au maximum."
                )
                % {
                    "name": name_for_message(file_name),
                    "max": format_size(self.max_request_size),
                    "files": self.max_files,
                    "size": format_size(self.max_size),
                },
            )
            raise SkipFile()
        self.files_seen += 1
        if self.files_seen > self.max_files:
            self._refuse(
                "too_many_files",
                _(
                    "Le fichier « %(name)s » n'a pas été reçu : une candidature peut joindre "
                    "%(max)d fichiers au maximum."
                )
                % {"name": name_for_message(file_name), "max": self.max_files},
            )
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.received > self.max_size:
            self._refuse(
                "too_large",
                _(
                    "Le fichier « %(name)s » n'a pas été reçu : il dépasse %(max)s. "
                    "Choisissez un fichier de %(max)s au maximum."
                )
                % {"name": name_for_message(self.file_name), "max": format_size(self.max_size)},
            )
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        # The next handlers (memory, temporary file) build the UploadedFile.
        return None

    def _refuse(self, code: str, message: str) -> None:
        self.refusals.append(
            UploadRefusal(field_name=self.field_name or "", file_name=self.file_name or "", code=code, message=message)
        )


def upload_guard(request) -> CallsUploadHandler | None:
    """The guard installed on this request, if any."""
    for handler in request.upload_handlers:
        if isinstance(handler, CallsUploadHandler):
            return handler
    return None


def install_upload_guard(request) -> CallsUploadHandler:
    """Put the guard first among the request's upload handlers (once) and return it.

    Must run before ``request.POST`` or ``request.FILES`` is read: Django raises
    ``AttributeError`` otherwise.
    """
    guard = upload_guard(request)
    if guard is None:
        guard = CallsUploadHandler(request)
        request.upload_handlers = [guard, *request.upload_handlers]
    return guard


def upload_errors(request) -> dict[str, list[str]]:
    """French messages for the files the guard skipped, by form field name.

    The view adds them to the form (``form.add_error(name, message)``) so they show
    beside the field, and keeps the form's other answers.
    """
    guard = upload_guard(request)
    errors: dict[str, list[str]] = {}
    for refusal in guard.refusals if guard else []:
        errors.setdefault(refusal.field_name, []).append(refusal.message)
    return errors


def request_too_large(request) -> bool:
    """Whether the request was over the whole-request cap (all its files were skipped)."""
    guard = upload_guard(request)
    return bool(guard and guard.request_too_large)


class UploadGuardMiddleware:
    """Installs the guard on multipart POSTs outside the admin, before CSRF reads POST.

    The admin is left alone: editors upload images and documents with Wagtail's own limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # A tuple, whatever sequence the setting holds: str.startswith takes no list.
        self.excluded_prefixes = tuple(settings.CALLS_UPLOAD_GUARD_EXCLUDED_PATHS)

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not request.path_info.startswith(self.excluded_prefixes)
        ):
            install_upload_guard(request)
        return self.get_response(request)
