"""What is accepted: the kinds of file, how they are described to people, and the first
look at a file's content.

The kind of a file is decided from its content only, never from its name or from the
content type the browser sent: ``detect_kind`` reads the magic bytes, then the module that
knows the format parses it (``pdf``, ``images``, ``office``). A name or a content type is
the sender's word, and a renamed executable carries whatever name it likes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    """One accepted kind of file; ``extensions[0]`` is the one given to stored files."""

    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, Kind] = {
    "pdf": Kind("pdf", "PDF", ("pdf",), "application/pdf"),
    "jpeg": Kind("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg"),
    "png": Kind("png", "PNG", ("png",), "image/png"),
    "webp": Kind("webp", "WebP", ("webp",), "image/webp"),
    "docx": Kind(
        "docx",
        "DOCX",
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "odt": Kind("odt", "ODT", ("odt",), "application/vnd.oasis.opendocument.text"),
}

#: Choices for a model or form field listing the kinds (code, label).
KIND_CHOICES: list[tuple[str, str]] = [(kind.code, kind.label) for kind in KINDS.values()]

#: The kinds that are re-encoded by Pillow rather than stored as sent (see ``images``).
IMAGE_KINDS = ("jpeg", "png", "webp")

#: What ``detect_kind`` answers for a ZIP archive: only its headers tell a DOCX from an
#: ODT from any other archive (see ``office.zip_document_kind``).
ZIP = "zip"


def kinds_in_order(kinds) -> list[Kind]:
    """The given kind codes as ``Kind`` objects, in the order of ``KINDS``; none means all."""
    codes = set(kinds or KINDS)
    unknown = codes - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown attachment kinds: {sorted(unknown)}")
    return [kind for code, kind in KINDS.items() if code in codes]


def describe_kinds(kinds) -> str:
    """The kinds for a person to read, e.g. ``"PDF, JPEG ou PNG"`` (no kinds means all)."""
    return str(get_text_list([kind.label for kind in kinds_in_order(kinds)], _("ou")))


def accept_attribute(kinds) -> str:
    """The value of the file input's ``accept`` attribute: extensions and content types."""
    parts: list[str] = []
    for kind in kinds_in_order(kinds):
        parts.extend(f".{ext}" for ext in kind.extensions)
        parts.append(kind.content_type)
    return ",".join(parts)


def format_size(size: int) -> str:
    """A size in French units: ``"10 Mo"``, ``"2,5 Mo"``, ``"300 Ko"``."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), _("Mo")
    elif size >= 1024:
        value, unit = size / 1024, _("Ko")
    else:
        return _("%(size)d octets") % {"size": size}
    value = round(value) if value >= 100 else round(value, 1)
    number = number_format(value, 0 if value == int(value) else 1)  # « 2,5 » in French
    return f"{number}\N{NO-BREAK SPACE}{unit}"


def describe_limits(kinds, max_size: int) -> str:
    """What a file field accepts, e.g. ``"PDF ou JPEG, 10 Mo au maximum"`` (for help texts)."""
    return _("%(kinds)s, %(size)s au maximum") % {"kinds": describe_kinds(kinds), "size": format_size(max_size)}


def detect_kind(head: bytes) -> str | None:
    """The kind announced by the first bytes, before any parsing; ``ZIP`` for any archive.

    Each signature must be at offset 0: readers that tolerate a header further in (PDF
    readers look through the first kilobyte) are how polyglot files are made.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    return None
