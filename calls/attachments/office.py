"""DOCX and ODT checks: ZIP archives recognised from their headers, then refused when they
carry something that runs or reaches outside on opening.

A DOCX or ODT file is a ZIP archive. It is never extracted on the server (no zip bomb,
no path traversal): its headers tell a Word or OpenDocument text from any other archive
and refuse one with data appended after its directory; the entry names refuse macros
(``vbaProject.bin``, an OpenDocument's ``Basic/`` or ``Scripts/``) and embedded OLE or
ActiveX objects; and a few small XML entries (the relationships of a DOCX, the manifest
and the event listeners of an ODT) are read, each capped in size and parsed with
defusedxml, to refuse a remote template or any link loaded on opening.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from .budget import CheckBudget
from .refusal import Refusal

#: ZIP-based documents with more entries than this are refused (Word writes a few dozen).
MAX_ZIP_ENTRIES = 2000

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # 30 bytes
_CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")  # 46 bytes
_END_OF_DIRECTORY = struct.Struct("<4sHHHHIIH")  # 22 bytes


def zip_document_kind(uploaded_file, size: int, shown: str) -> str | None:
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
            _check_odt(uploaded_file, names, shown)
            return "odt"
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        _check_docx(uploaded_file, names, shown)
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


# --- What runs or reaches outside on opening --------------------------------------------------

#: The largest XML entry read (a relationships file, a manifest, content.xml's events are
#: read from content.xml itself: a long text is a few megabytes of XML).
MAX_XML_ENTRY = 8 * 1024 * 1024
#: All the XML entries read for one document, together.
MAX_XML_TOTAL = 16 * 1024 * 1024

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MANIFEST_NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
#: OpenDocument elements whose xlink:href is loaded when the document opens (an image, an
#: object, a linked section, a frame), unlike a hyperlink's.
_ODF_EMBEDDING_ELEMENTS = {"image", "object", "object-ole", "plugin", "applet", "floating-frame", "section-source"}
_ODF_EMBEDDING_ELEMENTS |= {"background-image", "fill-image", "list-level-style-image", "dde-source"}
_META_NS = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
#: External relationships a reader follows only when clicked; every other external
#: target (a template, a linked image, a frame, a sub-document, a linked OLE object) is
#: fetched when the document opens.
_CLICKED_RELATIONSHIPS = ("/hyperlink",)
#: Archives with macros: Word's and Excel's (in an embedded workbook), OpenDocument's.
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_ODF_SCRIPT_FOLDERS = ("basic/", "scripts/", "dialogs/")
#: Embedded packages a double click opens with their macros.
_MACRO_PACKAGES = (".docm", ".dotm", ".xlsm", ".xlsb", ".xltm", ".pptm", ".potm", ".ppsm")


def _macros(shown: str) -> Refusal:
    return Refusal(
        _("Le document « %(name)s » contient des macros, refusées par sécurité : enregistrez-le sans macros.")
        % {"name": shown},
        "macros",
    )


def _embedded_object(shown: str) -> Refusal:
    return Refusal(
        _(
            "Le document « %(name)s » contient un objet incorporé (objet OLE ou contrôle ActiveX), refusé par "
            "sécurité : supprimez cet objet (ou collez-le comme image), puis enregistrez de nouveau le document."
        )
        % {"name": shown},
        "embedded_object",
    )


def _external(shown: str) -> Refusal:
    return Refusal(
        _(
            "Le document « %(name)s » charge un élément extérieur à son ouverture (modèle distant, image ou objet "
            "lié), refusé par sécurité : enregistrez-le de nouveau sans modèle ni élément lié, ou en PDF."
        )
        % {"name": shown},
        "external_link",
    )


class _XmlReader:
    """Reads a document's small XML entries, each and all together capped in size."""

    def __init__(self, uploaded_file, shown: str):
        self.archive = zipfile.ZipFile(getattr(uploaded_file, "file", uploaded_file))
        self.shown = shown
        self.total = 0
        self.budget = CheckBudget(
            shown, _("Le document « %(name)s » est trop complexe pour être vérifié : enregistrez-le en PDF.")
        )

    def first_bytes(self, name: str, count: int) -> bytes:
        with self.archive.open(name) as entry:
            return entry.read(count)

    def parse(self, name: str):
        self.budget.check()
        info = self.archive.getinfo(name)
        room = min(MAX_XML_ENTRY, MAX_XML_TOTAL - self.total)
        with self.archive.open(info) as entry:
            data = entry.read(room + 1)
        self.total += len(data)
        if len(data) > room:
            raise Refusal(
                _("Le document « %(name)s » est trop volumineux pour être vérifié : enregistrez-le en PDF.")
                % {"name": self.shown},
                "too_complex",
            )
        return ElementTree.fromstring(data)


def _is_external(target: str) -> bool:
    """A target outside the package: a URL (``https:``, ``file:``, ``\\\\server``…)."""
    target = target.strip().replace("\\", "/")
    return target.startswith("//") or (":" in target.split("/", 1)[0])


def _check_docx(uploaded_file, names: set[str], shown: str) -> None:
    """Macros, embedded OLE objects and ActiveX controls, external links loaded on opening."""
    lowered = {name.lower() for name in names}
    if any(posixpath.basename(name) in _MACRO_PARTS for name in lowered):
        raise _macros(shown)
    for name in lowered:
        folder, base = posixpath.split(name)
        if posixpath.basename(folder) == "embeddings" and (base.endswith(".bin") or base.endswith(_MACRO_PACKAGES)):
            raise _embedded_object(shown)
        if posixpath.basename(folder) == "activex" or base.startswith("activex"):
            raise _embedded_object(shown)
    try:
        reader = _XmlReader(uploaded_file, shown)
        for name in sorted(names):
            if not name.lower().endswith(".rels"):
                continue
            for relationship in reader.parse(name).iter(f"{_RELS_NS}Relationship"):
                kind = relationship.get("Type", "")
                if kind.endswith("/oleObject") or kind.endswith("/control"):
                    raise _embedded_object(shown)
                external = relationship.get("TargetMode", "") == "External" or _is_external(
                    relationship.get("Target", "")
                )
                if external and not kind.endswith(_CLICKED_RELATIONSHIPS):
                    raise _external(shown)
    except Refusal:
        raise
    except Exception:  # a broken entry, XML with a DTD (defusedxml), a bad CRC…
        raise Refusal(
            _("Le document « %(name)s » est endommagé : enregistrez-le de nouveau, ou en PDF.") % {"name": shown},
            "damaged",
        ) from None


def _check_odt(uploaded_file, names: set[str], shown: str) -> None:
    """Macros (Basic, scripts, event listeners), OLE objects, a remote template or linked file."""
    if any(name.lower().startswith(_ODF_SCRIPT_FOLDERS) for name in names):
        raise _macros(shown)
    try:
        reader = _XmlReader(uploaded_file, shown)
        manifest = reader.parse("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else None
        for entry in manifest.iter(f"{_MANIFEST_NS}file-entry") if manifest is not None else ():
            path = entry.get(f"{_MANIFEST_NS}full-path", "")
            media = entry.get(f"{_MANIFEST_NS}media-type", "").lower()
            if "script" in media or "basic" in media or path.lower().startswith(_ODF_SCRIPT_FOLDERS):
                raise _macros(shown)
            if "oleobject" in media:
                raise _embedded_object(shown)
        # An embedded object stored as a binary OLE file (« Object 1 »), whatever the manifest says.
        for name in names:
            if not name.endswith("/") and "/" not in name and name.lower().startswith("object"):
                if reader.first_bytes(name, len(_OLE_SIGNATURE)) == _OLE_SIGNATURE:
                    raise _embedded_object(shown)
        if "meta.xml" in names:
            for template in reader.parse("meta.xml").iter(f"{_META_NS}template"):
                if _is_external(template.get(_XLINK_HREF, "")):
                    raise _external(shown)
        for part in ("content.xml", "styles.xml"):
            if part in names:
                _check_odf_part(reader.parse(part), shown)
    except Refusal:
        raise
    except Exception:  # a broken entry, XML with a DTD (defusedxml), a bad CRC…
        raise Refusal(
            _("Le document « %(name)s » est endommagé : enregistrez-le de nouveau, ou en PDF.") % {"name": shown},
            "damaged",
        ) from None


def _check_odf_part(root, shown: str) -> None:
    """Macros bound to events, and objects or files linked from outside (loaded on opening).

    A hyperlink (``text:a``, ``draw:a``) is followed only when clicked: accepted."""
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local == "event-listener":  # script:, presentation:, dom: event listeners bind macros
            raise _macros(shown)
        if local in _ODF_EMBEDDING_ELEMENTS and _is_external(element.get(_XLINK_HREF) or ""):
            raise _external(shown)
