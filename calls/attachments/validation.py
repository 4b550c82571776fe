"""Validating an uploaded file: the one entry point that ties the checks together.

``validate_upload(uploaded_file, allowed_kinds, max_size)`` returns a ``CleanFile`` ready
to be stored (``clean.save(storage)``), or raises a ``ValidationError`` whose French
message names the file and says what is accepted. In order:

1. the size: an empty file, or one over ``max_size``, is refused before it is read;
2. the kind, from the content only (``kinds.detect_kind``, then ``office`` for a ZIP):
   a file that is not what it claims to be, or of a kind this field does not take, is
   refused;
3. the format's own check, within a CPU and time budget (``budget.CheckBudget``):
   ``pdf.check_pdf`` (opens, no password, nothing active or reaching outside),
   ``images.clean_image`` (re-encoded without metadata), ``office`` for DOCX and ODT (no
   macros, embedded objects or remote content);
4. the name shown to reviewers, sanitised and with the extension of the detected kind
   (``names.sanitise_display_name``);
5. the antivirus, when one is configured (``antivirus.scan``, ClamAV's daemon), on the
   bytes that will be stored: an infected file, or one that could not be scanned while
   ``CLAMAV_FAIL_OPEN`` is off, is refused without the list of accepted formats.

The size limit is enforced twice: while the request is streamed (calls/uploads.py, an
absolute cap per file part) and here, per field (``calls.file_fields.AttachmentField`` never
passes a limit above that cap).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import antivirus
from .images import clean_image
from .kinds import IMAGE_KINDS, KINDS, ZIP, describe_limits, detect_kind, format_size, kinds_in_order
from .names import name_for_message, sanitise_display_name
from .office import zip_document_kind
from .pdf import check_pdf
from .refusal import Refusal
from .storage import private_storage, storage_key


@dataclass(frozen=True)
class CleanFile:
    """A checked attachment: ``content`` is what to store, under ``storage_key()``."""

    content: File
    display_name: str
    kind: str
    content_type: str
    size: int

    def save(self, storage=None) -> str:
        """Store the file under a new ``storage_key()`` and return the stored name."""
        storage = storage or private_storage()
        return storage.save(storage_key(self.display_name, self.kind), self.content)


def _accepted_suffix(allowed_kinds, max_size: int) -> str:
    return ngettext("Format accepté : %(limits)s.", "Formats acceptés : %(limits)s.", len(allowed_kinds)) % {
        "limits": describe_limits(allowed_kinds, max_size)
    }


def _file_size(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, os.SEEK_END)
        size = uploaded_file.tell()
    return int(size)


def validate_upload(uploaded_file, allowed_kinds, max_size: int) -> CleanFile:
    """Check an uploaded file and return it ready to store, or raise ``ValidationError``.

    ``allowed_kinds`` are codes of ``KINDS`` (empty means all of them); ``max_size`` is in
    bytes. The message names the file (plain text: escape it where it is displayed) and
    says what is accepted.
    """
    allowed_codes = [kind.code for kind in kinds_in_order(allowed_kinds)]
    name = getattr(uploaded_file, "name", "") or ""
    shown = name_for_message(name)
    suffix = _accepted_suffix(allowed_codes, max_size)
    try:
        clean = _validate(uploaded_file, name, shown, allowed_codes, max_size)
    except Refusal as refusal:
        message = f"{refusal.message} {suffix}" if refusal.about_format else refusal.message
        raise ValidationError(message, code=refusal.code) from None
    return clean


def _validate(uploaded_file, name: str, shown: str, allowed_codes: list[str], max_size: int) -> CleanFile:
    size = _file_size(uploaded_file)
    if size == 0:
        raise Refusal(_("Le fichier « %(name)s » est vide.") % {"name": shown}, "empty")
    if size > max_size:
        raise Refusal(
            _("Le fichier « %(name)s » pèse %(size)s, au-delà de la limite de %(max)s.")
            % {"name": shown, "size": format_size(size), "max": format_size(max_size)},
            "too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(64)
    detected = detect_kind(head)
    if detected == ZIP:
        detected = zip_document_kind(uploaded_file, size, shown)
    if detected is None:
        raise Refusal(
            _("Le contenu du fichier « %(name)s » ne correspond à aucun format accepté.") % {"name": shown},
            "unknown_kind",
        )
    kind = KINDS[detected]
    if detected not in allowed_codes:
        raise Refusal(
            _("Le fichier « %(name)s » est au format %(kind)s, qui n'est pas accepté ici.")
            % {"name": shown, "kind": kind.label},
            "kind_not_allowed",
        )
    display_name = sanitise_display_name(name, detected)
    if detected in IMAGE_KINDS:
        data = clean_image(uploaded_file, kind, shown)
        content = ContentFile(data, name=display_name)
        size = len(data)
    else:
        if detected == "pdf":
            check_pdf(uploaded_file, size, shown)
        uploaded_file.seek(0)
        # A plain File around the bytes: no browser-sent content_type comes along (S3
        # would store it as the object's Content-Type), and no temporary_file_path (the
        # local storage would move the upload's temporary file instead of copying it).
        content = File(getattr(uploaded_file, "file", uploaded_file), name=display_name)
    content.content_type = kind.content_type
    # Last, on the bytes that will be stored: a file refused by its format never costs a
    # scan, and an infected one never reaches the storage.
    antivirus.scan(content, shown)
    return CleanFile(
        content=content, display_name=display_name, kind=detected, content_type=kind.content_type, size=size
    )
