"""The names of applicants' files: shown to reviewers, used for downloads, quoted in
messages, and never used to store anything.

The name a browser sends is the applicant's word and may be hostile: a path
(``../../etc/passwd``), a bidi override that shows ``exe.pdf`` as ``fdp.exe``, control
characters that break a header, a name Windows refuses. ``sanitise_display_name`` gives
the name shown to reviewers, with the extension of the kind detected from the content;
``name_for_message`` the name quoted back to the applicant in a message (plain text:
escape it where it is displayed); ``content_disposition`` sends the display name
RFC 6266-encoded when the file is downloaded. The stored name is a UUID
(``storage.storage_key``), so nothing typed by the applicant reaches the storage.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.utils.translation import gettext as _

from .kinds import KINDS

#: A display name is cut to this many characters, extension included.
MAX_DISPLAY_NAME_LENGTH = 120
#: A name quoted in a message is cut to this many characters (an ellipsis marks the cut).
MAX_MESSAGE_NAME_LENGTH = 80

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


def name_for_message(name) -> str:
    """The applicant's file name as given, made harmless for a message (plain text).

    The applicant recognises the name they chose, so it is not sanitised like a display
    name; only what could mislead or break the page goes (path, controls, bidi
    overrides), and a long name is cut.
    """
    name = _clean_text(_base_name(name or ""))
    if len(name) > MAX_MESSAGE_NAME_LENGTH:
        name = name[: MAX_MESSAGE_NAME_LENGTH - 1] + "…"
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
