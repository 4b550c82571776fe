"""PDF checks: a PDF that opens, has pages, needs no password and runs nothing.

Reviewers open applicants' PDFs on their own computers, so a PDF is parsed with pypdf
(never trusted from its first bytes alone) and refused when it hides a second file after
its end, needs a password, or carries active content (scripts, launch actions, attached
files) that a business plan never needs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader

from .refusal import Refusal

#: PDFs with more pages are refused: a business plan is not a phone book, and walking the
#: page tree of a hostile file must stay cheap.
MAX_PDF_PAGES = 1000

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


def check_pdf(uploaded_file, size: int, shown: str) -> None:
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
