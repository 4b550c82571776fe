"""PDF checks: a PDF that opens, has pages, needs no password and reaches nothing outside itself.

Reviewers open applicants' PDFs on their own computers, so a PDF is parsed with pypdf
(never trusted from its first bytes alone) and refused when it hides a second file after
its end, needs a password, carries active content (scripts, launch actions, attached
files, forms that submit, rich media) that a business plan never needs, or says two
things at once (a dictionary with a repeated action key, which readers resolve
differently). Every check runs within a CPU and time budget (``budget.CheckBudget``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .budget import CheckBudget
from .refusal import Refusal

#: PDFs with more pages are refused: a business plan is not a phone book, and walking the
#: page tree of a hostile file must stay cheap.
MAX_PDF_PAGES = 1000
#: Objects the active-content walk may visit (pages, annotations, bookmarks, form fields,
#: actions, name-tree nodes, structure elements). A 1 000-page report with dozens of links
#: a page and a few thousand bookmarks stays far below; a file built to make the walk
#: expensive (millions of bookmarks or of chained actions) is refused once past it.
MAX_PDF_WALK_OBJECTS = 100_000
#: How deep the walk may go (bookmarks within bookmarks, fields within fields, name-tree
#: levels, structure elements). Siblings (a bookmark's /Next, an action's /Next) do not go
#: deeper: only MAX_PDF_WALK_OBJECTS bounds their number. Real documents nest a handful of
#: levels (a tagged document's structure a few dozen).
MAX_PDF_WALK_DEPTH = 64
#: Objects one compressed object stream may hold. pypdf finds an object in its stream by
#: reading the stream's table from the start, so one lookup costs in proportion to the
#: object's place: 60 000 objects in one stream made single lookups take a third of a
#: second (bench/uploads.py --pdf). Writers pack a hundred or so per stream.
MAX_OBJECTS_PER_STREAM = 10_000
#: Tokens the syntax scan reads between two looks at the budget.
_SCAN_CHECK_EVERY = 4096
#: Objects the walk visits between two looks at the budget.
_WALK_CHECK_EVERY = 8

# Actions refused wherever they sit and whatever triggers them: they run code (JavaScript,
# RichMediaExecute), start a program (Launch), send or read data (SubmitForm, ImportData),
# open another file, local or on the network (GoToR, GoToE), or play media that may come
# from outside (Rendition, Movie, Sound). A /Thread action that names a file (/F) opens it.
_REFUSED_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE"}
_REFUSED_ACTIONS |= {"/RichMediaExecute", "/Rendition", "/Movie", "/Sound"}
# Refused when they run without a click: an open action or an additional action (/AA,
# page open, mouse over, field focus…) that opens a web address would tell a third party
# who reads the file, and when. Clicked, a web link (a /Link annotation's or a bookmark's
# /URI) is what any exported Word document holds: it stays accepted (docs/architecture.md).
_REFUSED_AUTOMATIC = {"/URI"}
# Keys whose presence anywhere the walk goes means active content: document scripts and
# attached files (the /Names dictionary's trees), an XFA form (it runs its own scripts), a
# script (/JS, in any action dictionary, whatever its /S says).
_ACTIVE_KEYS = {"/JavaScript", "/EmbeddedFiles", "/XFA", "/JS"}
# Annotations that carry a file, media or a scene with its own scripts.
_REFUSED_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# Where a PDF reader finds something to run, from the catalogue down: the open action and
# the document's additional actions, the pages (/Pages → /Kids), their annotations and
# additional actions, bookmarks (/Outlines → /First, /Next), form fields (/AcroForm →
# /Fields → /Kids), actions (/A, chained by /Next), the /Names trees (/Kids, /Names), and
# the structure tree (/StructTreeRoot → /K, an annotation referenced by /Obj, /ParentTree
# → /Nums), where an annotation no page lists can still be reached.
_FOLLOWED = ("/OpenAction", "/AA", "/Pages", "/Kids", "/Annots", "/A", "/Next", "/Outlines", "/First")
_FOLLOWED += ("/AcroForm", "/Fields", "/Names", "/StructTreeRoot", "/K", "/Obj", "/ParentTree", "/Nums")
# Dictionaries whose every value is followed: additional actions (/AA: one action per
# trigger, /O, /K, /F, /V, /C…) and the catalogue's /Names (one tree per kind of name).
_ALL_VALUES = {"/AA", "/Names"}
# Followed as actions that run without a click.
_AUTOMATIC = {"/OpenAction", "/AA"}
# Followed without going deeper: siblings in a chain.
_SIBLINGS = {"/Next"}
# A repeated key among these, in any dictionary, refuses the file: pypdf keeps the first
# value, some readers the last, so the walk could check one action while a reader runs
# another. Other repeated keys (a producer written twice) change nothing that runs.
_WATCHED_KEYS = {"/S", "/JS", "/A", "/AA", "/OpenAction", "/Next", "/URI", "/F", "/UF", "/D", "/Win", "/Mac"}
_WATCHED_KEYS |= {"/Unix", "/P", "/Names", "/JavaScript", "/EmbeddedFiles", "/XFA", "/Type", "/Subtype", "/FT"}
_WATCHED_KEYS |= {"/Kids", "/First", "/Annots", "/Outlines", "/AcroForm", "/Fields", "/Root", "/Pages"}
_WATCHED_KEYS |= {"/StructTreeRoot", "/K", "/Obj", "/ParentTree", "/Nums", "/RichMediaContent", "/Dests"}
# Names refused wherever the syntax scan meets them (however they are written, /J#61vaScript
# included), reachable or not: a reader repairing a broken cross-reference table finds
# orphan objects again.
_SCANNED_NAMES = {"/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}
_SCANNED_NAMES |= {"/RichMedia", "/RichMediaExecute", "/EmbeddedFiles", "/XFA", "/FileAttachment"}
# Marked for the catalogue here, translated where they are used.
_DAMAGED_PDF = gettext_noop("Le fichier « %(name)s » est endommagé ou n'est pas un vrai fichier PDF.")
_TOO_COMPLEX_PDF = gettext_noop(
    "Le fichier « %(name)s » est trop complexe pour être vérifié (trop d'objets, de signets ou de liens) : "
    "enregistrez-le de nouveau en PDF simple (« Imprimer », puis « Enregistrer au format PDF ») ou allégez-le."
)


class _TooComplex(Exception):
    """The walk went past MAX_PDF_WALK_OBJECTS or MAX_PDF_WALK_DEPTH."""


class _TooManyPages(Exception):
    """The page tree holds more than MAX_PDF_PAGES pages."""


def _pdf_has_active_content(reader, budget: CheckBudget | None = None) -> tuple[bool, int]:
    """Active content wherever a PDF reader looks for it, and the number of pages.

    A walk of the object graph from the catalogue, on the keys a reader follows to find
    something to run (``_FOLLOWED``), never into content streams or fonts. Every dictionary
    met is checked (``_refused``), knowing whether it runs without a click (reached from
    /OpenAction or /AA, or chained after one by /Next). Names are compared as pypdf decodes
    them, so ``/J#61vaScript`` is ``/JavaScript`` and ``/S /L#61unch`` is a launch action;
    objects inside compressed object streams are read like any other.

    The pages are counted on the way (dictionaries of ``/Type /Page``), rather than by
    pypdf's ``len(reader.pages)``, which flattens the whole page tree before anything can
    bound it.

    Bounded: an indirect object is visited once (a bookmark whose /Next points back, a
    page tree with a cycle), at most ``MAX_PDF_WALK_OBJECTS`` objects and
    ``MAX_PDF_WALK_DEPTH`` levels (past either, ``_TooComplex``), ``MAX_PDF_PAGES`` pages
    (``_TooManyPages``), and ``budget`` is checked every ``_WALK_CHECK_EVERY`` objects.
    """
    seen: set[tuple[int, int]] = set()
    visited = 0
    pages = 0
    stack = [(reader.trailer.get("/Root"), 0, False)]
    while stack:
        obj, depth, automatic = stack.pop()
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
        if budget is not None and visited % _WALK_CHECK_EVERY == 0:
            budget.check()
        if isinstance(obj, ArrayObject):
            # An array adds no level: depth counts dictionaries (a tagged document's structure
            # element holds its children in an array, and nests as deep as its content).
            stack.extend((item, depth, automatic) for item in list.__iter__(obj))
            continue
        if _refused(obj, automatic):
            return True, pages
        if _direct(dict.get(obj, "/Type")) == "/Page":
            pages += 1
            if pages > MAX_PDF_PAGES:
                raise _TooManyPages
        for name in _FOLLOWED:
            value = dict.get(obj, name)  # the raw value: an indirect reference stays one
            if value is None:
                continue
            runs_alone = automatic if name in _SIBLINGS else name in _AUTOMATIC
            if name in _ALL_VALUES:
                resolved = value.get_object() if isinstance(value, IndirectObject) else value
                if isinstance(resolved, DictionaryObject):
                    if _refused(resolved, runs_alone):
                        return True, pages
                    stack.extend((item, depth + 1, runs_alone) for item in dict.values(resolved))
                    continue
            stack.append((value, depth if name in _SIBLINGS else depth + 1, runs_alone))
    return False, pages


def _refused(dictionary: DictionaryObject, automatic: bool) -> bool:
    """Whether this dictionary, met by the walk, is active content."""
    if any(key in dictionary for key in _ACTIVE_KEYS):
        return True
    action, subtype = (_direct(dictionary.get(key)) for key in ("/S", "/Subtype"))
    if action in _REFUSED_ACTIONS or subtype in _REFUSED_SUBTYPES:
        return True
    if action == "/Thread" and "/F" in dictionary:
        return True
    return automatic and action in _REFUSED_AUTOMATIC


def _direct(value):
    # Any PDF object may be written as a reference, an action's /S too.
    return value.get_object() if isinstance(value, IndirectObject) else value


# --- The syntax scan -------------------------------------------------------------------------
#
# pypdf reads a dictionary with a repeated key by keeping its first value, and parses only
# the objects the walk asks for. The scan reads the file's own syntax instead: every
# dictionary of every object, in the file's body and in its object streams (decompressed
# by pypdf), content streams skipped. It reports a repeated watched key and any name of
# ``_SCANNED_NAMES``, with ``#xx`` escapes decoded as a reader decodes them.

_DELIMITERS = rb"()<>\[\]{}/%"
_WHITE = rb"\x00\t\n\x0c\r "
_TOKEN = re.compile(
    rb"(?:[" + _WHITE + rb"]+|%[^\r\n]*)*"  # whitespace and comments
    rb"(?:(<<)|(>>)|(\[)|(\])|(/[^" + _WHITE + _DELIMITERS + rb"]*)|(<[^<>]*>)|(\()"
    rb"|([^" + _WHITE + _DELIMITERS + rb"]+)|([\s\S]))"
)
_STRING_PART = re.compile(rb"[()\\]")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NUMBER_OR_R = re.compile(rb"[+-]?[0-9.]+|R")


def _decode_name(raw: bytes) -> str:
    if b"#" in raw:
        raw = _ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
    return raw.decode("latin-1")


def _skip_string(data: bytes, position: int) -> int:
    """The position after a literal string whose ``(`` ends at ``position``."""
    depth = 1
    while depth:
        match = _STRING_PART.search(data, position)
        if match is None:
            return len(data)
        position = match.end()
        char = match.group()
        if char == b"\\":
            position += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
    return position


def _scan_syntax(data: bytes, budget: CheckBudget | None = None) -> tuple[set[str], set[str]]:
    """The watched keys repeated within one dictionary, and the scanned names met, in ``data``."""
    repeated: set[str] = set()
    found: set[str] = set()
    # One entry per open container: a dict's keys and whether a key comes next; None for an array.
    stack: list[list | None] = []
    position, tokens, end = 0, 0, len(data)
    while position < end:
        match = _TOKEN.match(data, position)
        if match is None:
            break
        position = match.end()
        tokens += 1
        if budget is not None and tokens % _SCAN_CHECK_EVERY == 0:
            budget.check()
        kind = match.lastindex
        top = stack[-1] if stack else None
        if kind == 5:  # a name
            name = _decode_name(match.group(5))
            if name in _SCANNED_NAMES:
                found.add(name)
            if top is not None and top[1]:
                if name in top[0] and name in _WATCHED_KEYS:
                    repeated.add(name)
                top[0].add(name)
                top[1] = False
            elif top is not None:
                top[1] = True
            continue
        if kind in (1, 3):  # << or [: a value of the enclosing dictionary, if any
            if top is not None:
                top[1] = True
            stack.append([set(), True] if kind == 1 else None)
            continue
        if kind in (2, 4):  # >> or ]
            if stack:
                stack.pop()
            continue
        if kind == 7:
            position = _skip_string(data, position)
        word = match.group(8)
        if word in (b"obj", b"endobj"):
            stack.clear()  # each object starts afresh: a broken one cannot shift the next
            continue
        if word == b"stream":
            found_end = data.find(b"endstream", position)
            position = end if found_end < 0 else found_end + len(b"endstream")
            stack.clear()
            continue
        if top is not None:
            if top[1]:
                if word is None or not _NUMBER_OR_R.fullmatch(word):
                    top[1] = True  # stray junk where a key belongs: ignored
                # « 12 0 R »: the generation and R of the reference just read as a value
            else:
                top[1] = True
    return repeated, found


def _check_object_streams(reader) -> None:
    """``_TooComplex`` when an object stream holds, or an object claims a place, past the cap."""
    places = reader.xref_objStm.values()
    if any(int(index) >= MAX_OBJECTS_PER_STREAM for _stream, index in places):
        raise _TooComplex
    for number in sorted({stream for stream, _index in places}):
        stream = reader.get_object(number)
        if stream is not None and int(stream.get("/N", 0)) > MAX_OBJECTS_PER_STREAM:
            raise _TooComplex


def _object_streams(reader) -> list[bytes]:
    """The decompressed contents of the object streams the cross-reference lists."""
    numbers = sorted({stream for stream, _index in reader.xref_objStm.values()})
    contents = []
    for number in numbers:
        stream = reader.get_object(number)
        if stream is not None:
            contents.append(stream.get_data())
    return contents


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
    """A PDF that opens, has pages, needs no password and reaches nothing outside itself.

    The header must be at offset 0 (readers tolerate it anywhere in the first kilobyte,
    which is how PDF polyglots are made), and nothing but a little padding may follow the
    last ``%%EOF`` (a ZIP or HTML payload appended to a valid PDF is refused).

    Active content: reviewers open these files on their own computers, and a business plan
    or a statement never needs JavaScript, a launch action, an attached file, a form that
    submits, or an action that opens another file or a web address by itself. Three layers:

    1. ``_pdf_has_active_content`` walks the document as a reader does, on the objects
       pypdf parsed: it sees names however they are written (``/J#61vaScript``), objects
       inside compressed object streams, and every place an action can sit (open action,
       additional actions of the document, pages, annotations and form fields, bookmarks,
       chained actions, the /Names trees, XFA, the structure tree). Bounded in objects,
       depth and pages: a file built to make it expensive is refused as too complex.
    2. ``_scan_syntax`` reads every dictionary of the file's body and object streams: a
       watched key written twice in one dictionary (pypdf kept the first value, a reader
       may act on the last) is refused, and so is a refused name anywhere, escaped or not,
       reachable or not (an orphan object a repairing reader would find again).
    3. A raw search of the bytes for ``/JavaScript`` and ``/Launch``, streams included.

    The whole check runs within ``budget.CheckBudget`` (CPU and elapsed seconds). The
    applicant is told how to make a plain PDF (print to PDF), so refusing costs little.
    """
    budget = CheckBudget(shown, _(_TOO_COMPLEX_PDF))
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
        budget.check()
        _check_object_streams(reader)
        active, pages = _pdf_has_active_content(reader, budget)
        repeated, found = set(), set()
        if not active:
            uploaded_file.seek(0)
            sources = [uploaded_file.read()]
            sources += _object_streams(reader)  # decrypted by pypdf when the file is encrypted
            for source in sources:
                budget.check()
                source_repeated, source_found = _scan_syntax(source, budget)
                repeated |= source_repeated
                found |= source_found
    except Refusal:
        raise
    except _TooManyPages:
        raise Refusal(
            _("Le fichier « %(name)s » compte plus de %(max)d pages : %(max)d au maximum.")
            % {"name": shown, "max": MAX_PDF_PAGES},
            "too_many_pages",
        ) from None
    except (_TooComplex, RecursionError):
        raise Refusal(_(_TOO_COMPLEX_PDF) % {"name": shown}, "too_complex") from None
    except Exception:  # pypdf raises many kinds of errors on a broken file
        raise Refusal(_(_DAMAGED_PDF) % {"name": shown}, "damaged") from None
    if repeated:
        raise Refusal(
            _(
                "Le fichier « %(name)s » définit deux fois la même action (%(keys)s) : les logiciels ne le lisent "
                "pas tous de la même façon, il est refusé par sécurité. Enregistrez-le de nouveau en PDF simple "
                "(« Imprimer », puis « Enregistrer au format PDF »)."
            )
            % {"name": shown, "keys": ", ".join(sorted(key.lstrip("/") for key in repeated))},
            "repeated_key",
        )
    if active or found or _raw_scan(uploaded_file, (b"/JavaScript", b"/Launch")):
        raise Refusal(
            _(
                "Le fichier « %(name)s » contient du code actif ou des actions vers l'extérieur (script, lancement "
                "de programme, fichier joint, formulaire envoyé, ouverture d'un autre fichier ou d'une adresse web "
                "à l'ouverture), refusés par sécurité : enregistrez-le de nouveau en PDF simple (« Imprimer », puis "
                "« Enregistrer au format PDF »)."
            )
            % {"name": shown},
            "active_content",
        )
    if pages == 0:
        raise Refusal(_("Le fichier « %(name)s » ne contient aucune page.") % {"name": shown}, "damaged")
