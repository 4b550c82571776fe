"""Applicants' attachments: what is accepted, how it is checked, named, stored and served.

The kind of a file is decided from its content only, never from its name or from the
content type the browser sent: first by its magic bytes, then by parsing it with the
library that knows the format (pypdf for PDF, Pillow for images, the ZIP headers for DOCX
and ODT). A file that is not what it claims to be is refused with a French message that
names the file and what is accepted.

- ``validate_upload(uploaded_file, allowed_kinds, max_size)`` returns a ``CleanFile``
  ready to be stored (images are re-encoded: their metadata, EXIF GPS included, is gone).
- ``storage_key()`` gives the stored name: a UUID under ``applications/<year>/<month>/``,
  never derived from the applicant's file name, so nothing can be overwritten or guessed.
- ``sanitise_display_name()`` gives the name shown to reviewers; ``content_disposition()``
  sends it RFC 6266-encoded when the file is downloaded.
- ``private_storage()`` is ``storages["private"]``: a folder outside MEDIA_ROOT by default,
  a private S3 location when AWS_STORAGE_BUCKET_NAME is set (see config/settings/base.py).
  ``signed_url()`` gives a signed URL of at most five minutes on S3, ``None`` locally
  (the file is then streamed by a permission-checked view).

The size limit is enforced twice: while the request is streamed (calls/uploads.py, an
absolute cap per file part) and here, per field.
"""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# --- What is accepted ------------------------------------------------------------------


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

IMAGE_KINDS = ("jpeg", "png", "webp")

#: Images larger than this (width × height) are refused before any pixel is decoded.
MAX_IMAGE_PIXELS = 40_000_000
#: Longest side of an image, in pixels (a 1 × 40 000 000 strip is no photo either).
MAX_IMAGE_SIDE = 20_000
#: PDFs with more pages are refused: a business plan is not a phone book, and walking the
#: page tree of a hostile file must stay cheap.
MAX_PDF_PAGES = 1000
#: ZIP-based documents with more entries than this are refused (Word writes a few dozen).
MAX_ZIP_ENTRIES = 2000
#: A display name is cut to this many characters, extension included.
MAX_DISPLAY_NAME_LENGTH = 120


def _kinds_in_order(kinds) -> list[Kind]:
    """The given kind codes as ``Kind`` objects, in the order of ``KINDS``; none means all."""
    codes = set(kinds or KINDS)
    unknown = codes - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown attachment kinds: {sorted(unknown)}")
    return [kind for code, kind in KINDS.items() if code in codes]


def describe_kinds(kinds) -> str:
    """The kinds for a person to read, e.g. ``"PDF, JPEG ou PNG"`` (no kinds means all)."""
    return str(get_text_list([kind.label for kind in _kinds_in_order(kinds)], _("ou")))


def accept_attribute(kinds) -> str:
    """The value of the file input's ``accept`` attribute: extensions and content types."""
    parts: list[str] = []
    for kind in _kinds_in_order(kinds):
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
    number = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return f"{number}\N{NO-BREAK SPACE}{unit}"


def describe_limits(kinds, max_size: int) -> str:
    """What a file field accepts, e.g. ``"PDF ou JPEG, 10 Mo au maximum"`` (for help texts)."""
    return _("%(kinds)s, %(size)s au maximum") % {"kinds": describe_kinds(kinds), "size": format_size(max_size)}


# --- Names --------------------------------------------------------------------------------

# Unicode categories removed from names: controls, format characters (bidi overrides such
# as U+202E, zero-width characters, BOM), surrogates, private use, unassigned, line and
# paragraph separators.
_REMOVED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Characters that Windows refuses in file names, and the separators of paths and of HTTP
# header parameters: replaced so that a reviewer's download keeps a usable name.
_REPLACED_CHARACTERS = re.compile(r'[<>:"/\\|?*;]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def _clean_text(name: str) -> str:
    """NFC, without the characters of ``_REMOVED_CATEGORIES``, spaces collapsed."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.sub(r"[\t\n\r\v\f]", " ", name)
    name = "".join(
        " " if unicodedata.category(ch) == "Zs" else ch
        for ch in name
        if unicodedata.category(ch) not in _REMOVED_CATEGORIES
    )
    return re.sub(r" {2,}", " ", name).strip()


def _base_name(name: str) -> str:
    """The last part of a path, whichever separator the applicant's system uses."""
    return re.split(r"[/\\]", str(name or ""))[-1]


def sanitise_display_name(name: str | None, kind: str) -> str:
    """The name shown to reviewers and used for downloads; never used to store the file.

    No path parts, no control or bidi-override characters, no leading dots, NFC, at most
    ``MAX_DISPLAY_NAME_LENGTH`` characters, and an extension that matches the detected
    kind (``photo.png`` that is really a JPEG becomes ``photo.jpg``). Never empty: a
    name with nothing usable left becomes ``document.<ext>``.
    """
    extensions = KINDS[kind].extensions
    name = _clean_text(_base_name(name or ""))
    name = _REPLACED_CHARACTERS.sub("_", name)
    name = name.strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext_lower = ext.lower()
    if ext_lower in extensions:
        final_ext = ext_lower
    elif re.fullmatch(r"[0-9A-Za-z]{1,5}", ext) and re.search(r"[A-Za-z]", ext):
        # Another kind's extension (".exe", ".png" on a JPEG…): replaced.
        final_ext = extensions[0]
    else:
        # Not an extension ("Budget v1.2"): kept as part of the name.
        stem, final_ext = name, extensions[0]
    stem = stem.strip(" .")
    room = MAX_DISPLAY_NAME_LENGTH - len(final_ext) - 1
    stem = stem[:room].rstrip(" .")
    if not stem:
        stem = "document"
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"{stem}_"
    return f"{stem}.{final_ext}"


def _name_for_message(name) -> str:
    """The applicant's file name as given, made harmless for a message (plain text)."""
    name = _clean_text(_base_name(name or ""))
    if len(name) > 80:
        name = name[:79] + "…"
    return name or _("sans nom")


def _ascii_fallback(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r" {2,}", " ", re.sub(r'[^\x20-\x7e]|["\\%]', "", text))


def content_disposition(display_name: str) -> str:
    """An RFC 6266 ``Content-Disposition`` value that downloads the file under its name.

    ``filename`` carries an ASCII fallback (accents dropped, quotes, backslashes and
    percent signs removed) for old clients; ``filename*`` the exact UTF-8 name
    (RFC 8187), which every current browser prefers.
    """
    name = _clean_text(_base_name(display_name)) or "document"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = _ascii_fallback(stem).strip(" .") or "document"
    ascii_ext = _ascii_fallback(ext)
    ascii_name = f"{ascii_stem}.{ascii_ext}" if ascii_ext else ascii_stem
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- Storage ------------------------------------------------------------------------------


def storage_key(display_name: str | None, kind: str) -> str:
    """A new stored name, ``applications/<year>/<month>/<uuid4 hex>.<ext>``.

    ``display_name`` is deliberately unused: the stored name never carries anything the
    applicant typed. The UUID makes collisions (and so overwrites) impossible on the local
    storage; on S3, ``file_overwrite=False`` is set as well.
    """
    now = timezone.localtime()
    return f"applications/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{KINDS[kind].extensions[0]}"


def upload_to(instance, filename: str) -> str:
    """``FileField(upload_to=...)`` callable: the kind is read from the (sanitised) extension."""
    ext = os.path.splitext(filename)[1].lstrip(".").lower()
    kind = next((k.code for k in KINDS.values() if ext in k.extensions), None)
    if kind is None:
        raise ValueError("upload_to expects a name made by sanitise_display_name()")
    return storage_key(filename, kind)


def private_storage():
    """The storage of applicants' files: never served by a public URL."""
    return storages["private"]


MAX_SIGNED_URL_SECONDS = 300


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


# --- Validation ---------------------------------------------------------------------------


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


class _Refusal(Exception):
    """Raised inside the checks with a message and a code; turned into a ValidationError."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


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


def _detect_kind(head: bytes) -> str | None:
    """The kind announced by the first bytes, before any parsing."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def validate_upload(uploaded_file, allowed_kinds, max_size: int) -> CleanFile:
    """Check an uploaded file and return it ready to store, or raise ``ValidationError``.

    ``allowed_kinds`` are codes of ``KINDS`` (empty means all of them); ``max_size`` is in
    bytes. The message names the file (plain text: escape it where it is displayed) and
    says what is accepted.
    """
    allowed = _kinds_in_order(allowed_kinds)
    allowed_codes = [kind.code for kind in allowed]
    name = getattr(uploaded_file, "name", "") or ""
    shown = _name_for_message(name)
    suffix = _accepted_suffix(allowed_codes, max_size)
    try:
        clean = _validate(uploaded_file, name, shown, allowed_codes, max_size)
    except _Refusal as refusal:
        raise ValidationError(f"{refusal.message} {suffix}", code=refusal.code) from None
    return clean


def _validate(uploaded_file, name: str, shown: str, allowed_codes: list[str], max_size: int) -> CleanFile:
    size = _file_size(uploaded_file)
    if size == 0:
        raise _Refusal(_("Le fichier « %(name)s » est vide.") % {"name": shown}, "empty")
    if size > max_size:
        raise _Refusal(
            _("Le fichier « %(name)s » pèse %(size)s, au-delà de la limite de %(max)s.")
            % {"name": shown, "size": format_size(size), "max": format_size(max_size)},
            "too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(64)
    detected = _detect_kind(head)
    if detected == "zip":
        detected = _zip_document_kind(uploaded_file, size, shown)
    if detected is None:
        raise _Refusal(
            _("Le contenu du fichier « %(name)s » ne correspond à aucun format accepté.") % {"name": shown},
            "unknown_kind",
        )
    kind = KINDS[detected]
    if detected not in allowed_codes:
        raise _Refusal(
            _("Le fichier « %(name)s » est au format %(kind)s, qui n'est pas accepté ici.")
            % {"name": shown, "kind": kind.label},
            "kind_not_allowed",
        )
    display_name = sanitise_display_name(name, detected)
    if detected in IMAGE_KINDS:
        data = _clean_image(uploaded_file, kind, shown)
        content = ContentFile(data, name=display_name)
        size = len(data)
    else:
        if detected == "pdf":
            _check_pdf(uploaded_file, size, shown)
        uploaded_file.seek(0)
        # A plain File around the bytes: no browser-sent content_type comes along (S3
        # would store it as the object's Content-Type), and no temporary_file_path (the
        # local storage would move the upload's temporary file instead of copying it).
        content = File(getattr(uploaded_file, "file", uploaded_file), name=display_name)
    content.content_type = kind.content_type
    return CleanFile(
        content=content, display_name=display_name, kind=detected, content_type=kind.content_type, size=size
    )


# --- PDF ------------------------------------------------------------------------------------

# Actions that run something: scripts, programs, imported data, rich media.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}
_DAMAGED_PDF = "Le fichier « %(name)s » est endommagé ou n'est pas un vrai fichier PDF."


def _resolve(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _action_is_active(action, depth: int = 0) -> bool:
    """Whether an action dictionary (or a chain of them through /Next) runs something."""
    action = _resolve(action)
    if depth > 20 or not hasattr(action, "get"):
        return depth > 20
    if action.get("/S") in _ACTIVE_ACTIONS or "/JS" in action:
        return True
    following = _resolve(action.get("/Next"))
    if following is None:
        return False
    chain = following if isinstance(following, list) else [following]
    return any(_action_is_active(item, depth + 1) for item in chain)


def _additional_actions_active(holder) -> bool:
    additional = _resolve(holder.get("/AA"))
    if not hasattr(additional, "values"):
        return False
    return any(_action_is_active(action) for action in additional.values())


def _pdf_has_active_content(reader) -> bool:
    """Scripts, launch actions or attached files, where a PDF reader looks for them.

    Walks the document catalogue (open action, document-level scripts and attached files,
    additional actions, XFA forms), then every page's additional actions and annotations
    (link actions, file-attachment annotations). pypdf decodes names (``/J#61vaScript``)
    and compressed object streams, which a byte search would miss.
    """
    root = _resolve(reader.trailer["/Root"])
    names = _resolve(root.get("/Names"))
    if hasattr(names, "get") and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        return True
    open_action = _resolve(root.get("/OpenAction"))
    if hasattr(open_action, "get") and _action_is_active(open_action):
        return True
    if _additional_actions_active(root):
        return True
    acroform = _resolve(root.get("/AcroForm"))
    if hasattr(acroform, "get") and "/XFA" in acroform:
        return True
    for page in reader.pages:
        if _additional_actions_active(page):
            return True
        for annotation in _resolve(page.get("/Annots")) or []:
            annotation = _resolve(annotation)
            if not hasattr(annotation, "get"):
                continue
            if annotation.get("/Subtype") == "/FileAttachment":
                return True
            if _action_is_active(annotation.get("/A")) or _additional_actions_active(annotation):
                return True
    return False


def _raw_scan(uploaded_file, needles: tuple[bytes, ...]) -> bool:
    """Whether any needle occurs in the raw bytes, read in chunks (objects outside the tree)."""
    uploaded_file.seek(0)
    overlap = max(len(n) for n in needles)
    tail = b""
    while chunk := uploaded_file.read(1024 * 1024):
        window = tail + chunk
        if any(needle in window for needle in needles):
            return True
        tail = window[-overlap:]
    return False


def _check_pdf(uploaded_file, size: int, shown: str) -> None:
    """A PDF that opens, has pages, needs no password and runs nothing.

    The header must be at offset 0 (readers tolerate it anywhere in the first kilobyte,
    which is how PDF polyglots are made), and nothing but a little padding may follow the
    last ``%%EOF`` (a ZIP or HTML payload appended to a valid PDF is refused).

    Active content: reviewers open these files on their own computers, and a business plan
    or a statement never needs JavaScript, a launch action or an attached file. Finding
    them is cheap: the structure walk of ``_pdf_has_active_content``, plus a raw search for
    ``/JavaScript`` and ``/Launch`` that also covers objects outside the document tree. The
    applicant is told how to make a plain PDF (print to PDF), so refusing costs little; a
    false positive would need those exact names in an uncompressed stream, which text
    never produces (PDF text is written as strings, not names).
    """
    from pypdf import PasswordType, PdfReader

    uploaded_file.seek(max(0, size - 2048))
    end = uploaded_file.read()
    eof = end.rfind(b"%%EOF")
    if eof < 0 or len(end[eof + 5 :].strip(b"\x00\t\n\x0c\r ")) > 0:
        raise _Refusal(_(_DAMAGED_PDF) % {"name": shown}, "damaged")
    uploaded_file.seek(0)
    try:
        reader = PdfReader(uploaded_file, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _Refusal(
                _("Le fichier « %(name)s » est protégé par un mot de passe : envoyez une version sans mot de passe.")
                % {"name": shown},
                "encrypted",
            )
        pages = len(reader.pages)
        if pages == 0:
            raise _Refusal(_("Le fichier « %(name)s » ne contient aucune page.") % {"name": shown}, "damaged")
        if pages > MAX_PDF_PAGES:
            raise _Refusal(
                _("Le fichier « %(name)s » compte %(pages)d pages : %(max)d au maximum.")
                % {"name": shown, "pages": pages, "max": MAX_PDF_PAGES},
                "too_many_pages",
            )
        active = _pdf_has_active_content(reader)
    except _Refusal:
        raise
    except Exception:  # pypdf raises many kinds of errors on a broken file
        raise _Refusal(_(_DAMAGED_PDF) % {"name": shown}, "damaged") from None
    if active or _raw_scan(uploaded_file, (b"/JavaScript", b"/Launch")):
        raise _Refusal(
            _(
                "Le fichier « %(name)s » contient du code actif (script, lancement de programme ou fichier joint), "
                "refusé par sécurité : enregistrez-le de nouveau en PDF simple (« Imprimer », puis « Enregistrer "
                "au format PDF »)."
            )
            % {"name": shown},
            "active_content",
        )


# --- Images ---------------------------------------------------------------------------------

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}


def _clean_image(uploaded_file, kind: Kind, shown: str) -> bytes:
    """Check an image and return it re-encoded by Pillow, without any metadata.

    1. The size is read from the header (Pillow's lazy open decodes no pixel) and refused
       beyond ``MAX_IMAGE_PIXELS`` or ``MAX_IMAGE_SIDE``: a pixel flood (a small file that
       claims 50 000 × 50 000 pixels) never reaches the decoder. Pillow's DecompressionBombError
       (raised at open beyond twice its own limit) is a second net. No process-wide
       warning filter: gunicorn runs requests in threads and ``warnings.catch_warnings``
       is not thread-safe.
    2. ``verify()`` checks the file's structure (chunk CRCs for PNG…).
    3. The image is decoded, turned upright (``exif_transpose``) and saved again in the same
       format with an empty ``info``: EXIF (GPS position included), XMP, ICC profiles and
       text chunks are not written. Only the first frame of an animation is kept. Whatever
       was appended after the image data (a polyglot's payload) is gone too.
    4. The result is opened again to check it is a real image of the right kind.
    """
    from PIL import Image, ImageOps

    fmt = _PIL_FORMATS[kind.code]
    damaged = _("Le fichier « %(name)s » est endommagé ou n'est pas une vraie image %(kind)s.") % {
        "name": shown,
        "kind": kind.label,
    }
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[fmt]) as image:
            width, height = image.size
            if width <= 0 or height <= 0:
                raise _Refusal(damaged, "damaged")
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                raise _Refusal(
                    _(
                        "L'image « %(name)s » est trop grande (%(width)d × %(height)d pixels) : "
                        "%(max)d millions de pixels au maximum. Réduisez-la, puis envoyez-la de nouveau."
                    )
                    % {"name": shown, "width": width, "height": height, "max": MAX_IMAGE_PIXELS // 1_000_000},
                    "pixel_flood",
                )
            image.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[fmt]) as image:
            image.seek(0)
            image.load()
            lossless = kind.code == "webp" and _is_lossless_webp(uploaded_file)
            upright = ImageOps.exif_transpose(image)
            data = _encode(upright, kind.code, lossless)
        with Image.open(io.BytesIO(data), formats=[fmt]) as check:
            check.load()
            if check.format != fmt or check.size != upright.size:
                raise _Refusal(damaged, "damaged")
    except _Refusal:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Refusal(
            _("L'image « %(name)s » est trop grande : %(max)d millions de pixels au maximum.")
            % {"name": shown, "max": MAX_IMAGE_PIXELS // 1_000_000},
            "pixel_flood",
        ) from None
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError… on a broken file
        raise _Refusal(damaged, "damaged") from None
    return data


def _is_lossless_webp(uploaded_file) -> bool:
    uploaded_file.seek(12)
    return uploaded_file.read(4) == b"VP8L"


def _encode(image, kind_code: str, lossless: bool) -> bytes:
    """Save ``image`` in its kind's format with no metadata; return the bytes."""
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    if kind_code == "jpeg":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        options = {"quality": 90, "optimize": True}
        keep = {}
    elif kind_code == "png":
        if image.mode not in _PNG_MODES:
            image = image.convert("RGBA")
        options = {"compress_level": 6}
    else:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        wanted = "RGBA" if has_alpha else "RGB"
        if image.mode != wanted:
            image = image.convert(wanted)
        keep = {}
        options = {"lossless": True} if lossless else {"quality": 90}
    # Everything Pillow read from the file (exif, xmp, icc_profile, text chunks, comments)
    # lives in .info, which some encoders fall back to: emptied before saving.
    image.info = dict(keep)
    buffer = io.BytesIO()
    image.save(buffer, format=_PIL_FORMATS[kind_code], **options)
    return buffer.getvalue()


# --- DOCX and ODT ---------------------------------------------------------------------------

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # 30 bytes
_CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")  # 46 bytes
_END_OF_DIRECTORY = struct.Struct("<4sHHHHIIH")  # 22 bytes


def _zip_document_kind(uploaded_file, size: int, shown: str) -> str | None:
    """``"docx"``, ``"odt"`` or ``None``, from the ZIP headers only: nothing is decompressed.

    A DOCX or ODT file is a ZIP archive. It is never unzipped on the server (no zip bomb,
    no path traversal, no XML parser on hostile input); only the headers are read:

    - the first local file header (``PK\\x03\\x04`` at offset 0, then the first entry's
      name at offset 30);
    - the central directory at the end of the file, which lists every entry's name. It
      must end the file exactly (no payload appended), start right after the entries,
      and have no encrypted entry.

    ODT: the ODF specification (part 3, §3.3) requires the first entry to be ``mimetype``,
    stored uncompressed and without extra field, so its content,
    ``application/vnd.oasis.opendocument.text``, can be read right after the name; and
    ``content.xml`` must be listed.

    DOCX: Word writes ``[Content_Types].xml`` as the first entry, read from the first
    local header; other writers may order entries differently, so the central directory
    is checked as well: ``[Content_Types].xml`` and ``word/document.xml`` must both be
    listed. A ``vbaProject.bin`` entry means macros (a .docm renamed): refused.
    """
    uploaded_file.seek(0)
    head = uploaded_file.read(_LOCAL_HEADER.size + 64)
    if len(head) < _LOCAL_HEADER.size:
        return None
    (_sig, _version, flags, method, _t, _d, _crc, csize, usize, name_len, extra_len) = _LOCAL_HEADER.unpack_from(head)
    first_name = head[30 : 30 + name_len]
    names = _central_directory_names(uploaded_file, size)
    if names is None:
        return None
    if first_name == b"mimetype":
        uploaded_file.seek(30 + name_len + extra_len)
        value = uploaded_file.read(len(ODT_MIMETYPE) + 1)
        if (
            method == 0
            and not flags & 1
            and csize == usize == len(ODT_MIMETYPE)
            and value[: len(ODT_MIMETYPE)] == ODT_MIMETYPE
            and "content.xml" in names
        ):
            return "odt"
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _Refusal(
                _("Le document « %(name)s » contient des macros, refusées par sécurité : enregistrez-le sans macros.")
                % {"name": shown},
                "macros",
            )
        return "docx"
    return None


def _central_directory_names(uploaded_file, size: int) -> set[str] | None:
    """The entry names listed by a ZIP's central directory, or ``None`` if it is unsound."""
    tail_size = min(size, _END_OF_DIRECTORY.size + 65535)
    uploaded_file.seek(size - tail_size)
    tail = uploaded_file.read(tail_size)
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or len(tail) - position < _END_OF_DIRECTORY.size:
        return None
    (_sig, disk, directory_disk, entries_here, entries, directory_size, directory_offset, comment_len) = (
        _END_OF_DIRECTORY.unpack_from(tail, position)
    )
    end_offset = size - tail_size + position
    if (
        disk != 0
        or directory_disk != 0
        or entries_here != entries
        or entries == 0
        or entries > MAX_ZIP_ENTRIES
        or end_offset + _END_OF_DIRECTORY.size + comment_len != size
        or directory_offset + directory_size != end_offset
    ):
        return None
    uploaded_file.seek(directory_offset)
    directory = uploaded_file.read(directory_size)
    names: set[str] = set()
    offset = 0
    for _index in range(entries):
        if offset + _CENTRAL_HEADER.size > len(directory):
            return None
        fields = _CENTRAL_HEADER.unpack_from(directory, offset)
        signature, flags = fields[0], fields[3]
        name_len, extra_len, comment_len = fields[10], fields[11], fields[12]
        if signature != b"PK\x01\x02" or flags & 1:
            return None
        raw_name = directory[offset + 46 : offset + 46 + name_len]
        names.add(raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace"))
        offset += 46 + name_len + extra_len + comment_len
    if offset != len(directory):
        return None
    return names
