"""DOCX and ODT checks: ZIP archives recognised from their headers, never unzipped.

A DOCX or ODT file is a ZIP archive. It is never unzipped on the server (no zip bomb,
no path traversal, no XML parser on hostile input); only its headers are read, which is
enough to tell a Word or OpenDocument text from any other archive, to refuse one with
data appended after its directory, and to refuse a Word document with macros.
"""

from __future__ import annotations

import struct

from django.utils.translation import gettext as _

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
            return "odt"
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise Refusal(
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
