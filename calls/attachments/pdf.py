"""PDF checks: a PDF that opens, has pages, needs no password and runs nothing.

Reviewers open applicants' PDFs on their own computers, so a PDF is parsed with pypdf
(never trusted from its first bytes alone) and refused when it hides a second file after
its end, needs a password, or carries active content (scripts, launch actions, attached
files) that a business plan never needs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .refusal import Refusal

#: PDFs with more pages are refused: a business plan is not a phone book, and walking the
#: page tree of a hostile file must stay cheap.
MAX_PDF_PAGES = 1000
#: Objects the active-content walk may visit (pages, annotations, bookmarks, form fields,
#: actions, name-tree nodes). A 1 000-page report with dozens of links a page and a few
#: thousand bookmarks stays far below; a file built to make the walk expensive (millions of
#: bookmarks or of chained actions) is refused as damaged once past it.
MAX_PDF_WALK_OBJECTS = 100_000
#: How deep the walk may go (bookmarks within bookmarks, fields within fields, name-tree
#: levels). Siblings (a bookmark's /Next, an action's /Next) do not go deeper: only
#: MAX_PDF_WALK_OBJECTS bounds their number. Real documents nest a handful of levels.
MAX_PDF_WALK_DEPTH = 64

# Actions that run something: scripts, programs, imported data, rich media.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}
# Keys whose presence anywhere the walk goes means active content: document scripts and
# attached files (the /Names dictionary's trees), an XFA form (it runs its own scripts), a
# script (/JS, in any action dictionary, whatever its /S says).
_ACTIVE_KEYS = {"/JavaScript", "/EmbeddedFiles", "/XFA", "/JS"}
# Where a PDF reader finds something to run, from the catalogue down: the open action and
# the document's additional actions, the pages (/Pages → /Kids), their annotations and
# additional actions, bookmarks (/Outlines → /First, /Next), form fields (/AcroForm →
# /Fields → /Kids), actions (/A, chained by /Next), and the /Names trees (/Kids, /Names).
_FOLLOWED = ("/OpenAction", "/AA", "/Pages", "/Kids", "/Annots", "/A", "/Next", "/Outlines", "/First")
_FOLLOWED += ("/AcroForm", "/Fields", "/Names")
# Dictionaries whose every value is followed: additional actions (/AA: one action per
# trigger, /O, /K, /F, /V, /C…) and the catalogue's /Names (one tree per kind of name).
_ALL_VALUES = {"/AA", "/Names"}
# Followed without going deeper: siblings in a chain.
_SIBLINGS = {"/Next"}
_DAMAGED_PDF = "Le fichier « %(name)s » est endommagé ou n'est pas un vrai fichier PDF."


class _TooComplex(Exception):
    """The walk went past MAX_PDF_WALK_OBJECTS or MAX_PDF_WALK_DEPTH."""


def _pdf_has_active_content(reader) -> bool:
    """Scripts, launch actions or attached files, wherever a PDF reader looks for them.

    A walk of the object graph from the catalogue, on the keys a reader follows to find
    something to run (``_FOLLOWED``), never into content streams or fonts. Every dictionary
    met is checked: an action whose ``/S`` is in ``_ACTIVE_ACTIONS``, a key in
    ``_ACTIVE_KEYS``, a file-attachment annotation. Names are compared as pypdf decodes
    them, so ``/J#61vaScript`` is ``/JavaScript`` and ``/S /L#61unch`` is a launch action;
    objects inside compressed object streams are read like any other.

    Bounded: an indirect object is visited once (a bookmark whose /Next points back, a
    page tree with a cycle), at most ``MAX_PDF_WALK_OBJECTS`` objects and
    ``MAX_PDF_WALK_DEPTH`` levels; past a bound ``_TooComplex`` is raised, and the file is
    refused as damaged.
    """
    seen: set[tuple[int, int]] = set()
    visited = 0
    stack = [(reader.trailer.get("/Root"), 0)]
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if not isinstance(obj, (DictionaryObject, ArrayObject)):
            continue  # names, numbers, strings, null: nothing to run, nothing to follow
        visited += 1
        if visited > MAX_PDF_WALK_OBJECTS or depth > MAX_PDF_WALK_DEPTH:
            raise _TooComplex
        if isinstance(obj, ArrayObject):
            stack.extend((item, depth + 1) for item in list.__iter__(obj))
            continue
        if _is_active(obj):
            return True
        for name in _FOLLOWED:
            value = dict.get(obj, name)  # the raw value: an indirect reference stays one
            if value is None:
                continue
            if name in _ALL_VALUES:
                resolved = value.get_object() if isinstance(value, IndirectObject) else value
                if isinstance(resolved, DictionaryObject):
                    if _is_active(resolved):
                        return True
                    stack.extend((item, depth + 1) for item in dict.values(resolved))
                    continue
            stack.append((value, depth if name in _SIBLINGS else depth + 1))
    return False


def _is_active(dictionary: DictionaryObject) -> bool:
    if any(key in dictionary for key in _ACTIVE_KEYS):
        return True
    action, subtype = (_direct(dictionary.get(key)) for key in ("/S", "/Subtype"))
    return action in _ACTIVE_ACTIONS or subtype == "/FileAttachment"


def _direct(value):
    # Any PDF object may be written as a reference, an action's /S too.
    return value.get_object() if isinstance(value, IndirectObject) else value


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


def check_pdf(uploaded_file, size: int, shown: str) -> None:
    """A PDF that opens, has pages, needs no password and runs nothing.

    The header must be at offset 0 (readers tolerate it anywhere in the first kilobyte,
    which is how PDF polyglots are made), and nothing but a little padding may follow the
    last ``%%EOF`` (a ZIP or HTML payload appended to a valid PDF is refused).

    Active content: reviewers open these files on their own computers, and a business plan
    or a statement never needs JavaScript, a launch action or an attached file. Two layers,
    both cheap:

    1. ``_pdf_has_active_content`` walks the document as a reader does, on the objects
       pypdf parsed: it sees names however they are written (``/J#61vaScript``), objects
       inside compressed object streams, and every place an action can sit (open action,
       additional actions of the document, pages, annotations and form fields, bookmarks,
       chained actions, the /Names trees, XFA). Bounded in objects and depth: a file built
       to make it expensive is refused as damaged.
    2. A raw search of the bytes for ``/JavaScript`` and ``/Launch``: it still catches what
       the walk does not reach — objects no reader-visible path leads to (an orphan object
       that a reader repairing a broken cross-reference table would find again), or an
       action hung where the walk does not look (a structure element, a thread, an
       appearance). A false positive would need those exact names in an uncompressed
       stream, which text never produces (PDF text is written as strings, not names).

    The applicant is told how to make a plain PDF (print to PDF), so refusing costs little.
    """
    uploaded_file.seek(max(0, size - 2048))
    end = uploaded_file.read()
    eof = end.rfind(b"%%EOF")
    if eof < 0 or len(end[eof + 5 :].strip(b"\x00\t\n\x0c\r ")) > 0:
        raise Refusal(_(_DAMAGED_PDF) % {"name": shown}, "damaged")
    uploaded_file.seek(0)
    try:
        reader = PdfReader(uploaded_file, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise Refusal(
                _("Le fichier « %(name)s » est protégé par un mot de passe : envoyez une version sans mot de passe.")
                % {"name": shown},
                "encrypted",
            )
        pages = len(reader.pages)
        if pages == 0:
            raise Refusal(_("Le fichier « %(name)s » ne contient aucune page.") % {"name": shown}, "damaged")
        if pages > MAX_PDF_PAGES:
            raise Refusal(
                _("Le fichier « %(name)s » compte %(pages)d pages : %(max)d au maximum.")
                % {"name": shown, "pages": pages, "max": MAX_PDF_PAGES},
                "too_many_pages",
            )
        active = _pdf_has_active_content(reader)
    except Refusal:
        raise
    except Exception:  # pypdf raises many kinds of errors on a broken file
        raise Refusal(_(_DAMAGED_PDF) % {"name": shown}, "damaged") from None
    if active or _raw_scan(uploaded_file, (b"/JavaScript", b"/Launch")):
        raise Refusal(
            _(
                "Le fichier « %(name)s » contient du code actif (script, lancement de programme ou fichier joint), "
                "refusé par sécurité : enregistrez-le de nouveau en PDF simple (« Imprimer », puis « Enregistrer "
                "au format PDF »)."
            )
            % {"name": shown},
            "active_content",
        )
