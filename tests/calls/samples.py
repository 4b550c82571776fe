"""Sample files built in memory for the attachment tests: real formats, made by real libraries.

Good files come from pypdf, Pillow and zipfile; hostile ones are crafted byte by byte where
a library would refuse to write them (a PNG that claims 50 000 × 50 000 pixels, an HTML page
behind a PNG signature…).
"""

import io
import re
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

# Paris, Place de la République, as degrees / minutes / seconds.
GPS_LATITUDE = (48.0, 52.0, 3.0)
GPS_LONGITUDE = (2.0, 21.0, 50.0)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """What a view gets in request.FILES: the name and content type are the browser's word."""
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- PDF ---------------------------------------------------------------------------------


def pdf_bytes(pages: int = 1, writer: PdfWriter | None = None) -> bytes:
    writer = writer or PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('Bonjour');"))
    return pdf_bytes(pages=0, writer=writer)


def pdf_with_launch_action(escaped: bool = False) -> bytes:
    """An open action that launches a program. ``escaped`` writes the name ``/Launch`` as
    ``/L#61unch``: a PDF reader decodes both to the same name, a byte search sees neither."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    data = pdf_bytes(pages=0, writer=writer)
    if escaped:
        assert data.count(b"/Launch") == 1
        data = _rebuild_xref(data.replace(b"/Launch", b"/L#61unch"))
    return data


def _rebuild_xref(data: bytes) -> bytes:
    """Rewrite a classic PDF's cross-reference table from the actual object offsets."""
    body = data[: data.rindex(b"\nxref")] + b"\n"
    offsets = {int(m.group(1)): m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", body)}
    size = max(offsets) + 1
    table = [b"xref", f"0 {size}".encode(), b"0000000000 65535 f "]
    table += [f"{offsets[number]:010d} 00000 n ".encode() for number in range(1, size)]
    trailer = data[data.rindex(b"trailer") : data.rindex(b"startxref")]
    return body + b"\n".join(table) + b"\n" + trailer + f"startxref\n{len(body)}\n%%EOF\n".encode()


def pdf_with_password() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    return pdf_bytes(pages=0, writer=writer)


def pdf_with_owner_password_only() -> bytes:
    """Opens without a password (only printing or editing is restricted)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    return pdf_bytes(pages=0, writer=writer)


# --- Images --------------------------------------------------------------------------------


def jpeg_with_gps(width: int = 64, height: int = 48, orientation: int = 1) -> bytes:
    """A JPEG whose EXIF carries a GPS position, a camera model and an orientation."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    for x in range(width // 2):
        image.putpixel((x, 0), (0, 0, 255))  # a blue mark on the top-left edge
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Téléphone du gérant"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: GPS_LONGITUDE,
    }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def image_bytes(fmt: str, size=(40, 30), mode: str = "RGB", **options) -> bytes:
    image = Image.new(mode, size, (10, 150, 90) if mode == "RGB" else None)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_pixel_flood(width: int = 50_000, height: int = 50_000) -> bytes:
    """A few dozen bytes whose header (with a correct CRC) claims a huge image."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def png_header_then_html() -> bytes:
    return b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)

HTML = b"<!DOCTYPE html><html><head><title>Dossier</title></head><body><script>alert(1)</script></body></html>"


def windows_executable() -> bytes:
    """The start of a PE file: the MZ header, the DOS stub, the PE signature."""
    dos_header = b"MZ" + b"\x90\x00" + b"\x00" * 56 + struct.pack("<I", 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    return (dos_header + stub).ljust(0x80, b"\x00") + b"PE\x00\x00" + b"\x00" * 400


# --- DOCX and ODT ----------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Plan de financement du café</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(first: str = "[Content_Types].xml", macros: bool = False) -> bytes:
    entries = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT}
    if macros:
        entries["word/vbaProject.bin"] = "\x00" * 32
    order = [first] + [name for name in entries if name != first]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            archive.writestr(name, entries[name])
    return buffer.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text", compress_mimetype: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            mimetype,
            compress_type=zipfile.ZIP_DEFLATED if compress_mimetype else zipfile.ZIP_STORED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lisez-moi.txt", "Bonjour")
        archive.writestr("programme.exe", windows_executable())
    return buffer.getvalue()
