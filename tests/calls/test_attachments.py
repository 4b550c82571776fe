"""Attachments: kinds decided from the content, hostile files refused, names sanitised, storage private."""

import io
import random
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils import translation
from PIL import ExifTags, Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from calls.attachments import images, pdf
from calls.attachments.kinds import KIND_CHOICES, KINDS, accept_attribute, describe_kinds, describe_limits
from calls.attachments.names import MAX_DISPLAY_NAME_LENGTH, content_disposition, sanitise_display_name
from calls.attachments.storage import private_storage, signed_url, storage_key
from calls.attachments.validation import validate_upload
from calls.models import Attachment
from tests.calls import samples

MB = 1024 * 1024
ALL = list(KINDS)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def refusal(name, content, kinds=ALL, max_size=10 * MB, content_type="application/octet-stream"):
    with pytest.raises(ValidationError) as caught:
        validate_upload(samples.upload(name, content, content_type), kinds, max_size)
    error = caught.value
    message = error.messages[0]
    # Every refusal names the file and what is accepted, in French.
    assert "Format" in message and "accepté" in message, message
    assert describe_kinds(kinds) in message, message
    return error.code, message


# --- What is accepted --------------------------------------------------------------------


def test_kinds_describe_themselves_in_french():
    assert set(KINDS) == {"pdf", "jpeg", "png", "webp", "docx", "odt"}
    assert describe_kinds(["pdf", "jpeg", "png"]) == "PDF, JPEG ou PNG"
    assert describe_kinds(["png", "pdf"]) == "PDF ou PNG"  # always in the same order
    assert describe_kinds(["pdf"]) == "PDF"
    assert describe_kinds([]) == "PDF, JPEG, PNG, WebP, DOCX ou ODT"
    assert describe_limits(["pdf"], 10 * MB) == "PDF, 10\N{NO-BREAK SPACE}Mo au maximum"
    assert describe_limits(["pdf"], 5 * MB // 2) == "PDF, 2,5\N{NO-BREAK SPACE}Mo au maximum"
    assert ("odt", "ODT") in KIND_CHOICES
    with pytest.raises(ValueError):
        describe_kinds(["exe"])


def test_accept_attribute_lists_extensions_and_content_types():
    assert accept_attribute(["pdf", "jpeg"]) == ".pdf,application/pdf,.jpg,.jpeg,image/jpeg"
    assert "application/vnd.oasis.opendocument.text" in accept_attribute(["odt"])


# --- Good files ---------------------------------------------------------------------------


def test_good_pdf_is_accepted_as_sent():
    data = samples.pdf_bytes(pages=2)
    clean = validate_upload(samples.upload("Plan d'affaires.pdf", data, "application/pdf"), ["pdf"], 5 * MB)
    assert clean.kind == "pdf"
    assert clean.content_type == "application/pdf"
    assert clean.display_name == "Plan d'affaires.pdf"
    assert clean.size == len(data)
    clean.content.seek(0)
    assert clean.content.read() == data


def test_pdf_with_owner_password_only_opens_and_is_accepted():
    clean = validate_upload(samples.upload("budget.pdf", samples.pdf_with_owner_password_only()), ["pdf"], MB)
    assert clean.kind == "pdf"


def test_pdf_is_accepted_from_a_temporary_file_and_stored_by_copy(settings):
    data = samples.pdf_bytes()
    upload = TemporaryUploadedFile("statuts.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    clean = validate_upload(upload, ["pdf"], MB)
    stored = clean.save()
    assert private_storage().open(stored).read() == data
    assert Path(upload.temporary_file_path()).exists()  # copied, not moved away under Django's feet
    upload.close()


def test_jpeg_is_reencoded_without_gps_and_turned_upright():
    original = samples.jpeg_with_gps(width=64, height=48, orientation=6)
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample does carry a position

    clean = validate_upload(samples.upload("devanture.JPG", original, "image/jpeg"), ["jpeg"], MB)
    assert clean.kind == "jpeg"
    assert clean.display_name == "devanture.jpg"
    stored_name = clean.save()
    stored = private_storage().open(stored_name).read()
    assert stored != original
    assert b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert len(image.getexif()) == 0
        # Orientation 6 (turn 90° clockwise) was applied to the pixels: 64×48 is now 48×64.
        assert image.size == (48, 64)


@pytest.mark.parametrize(
    ("kind", "fmt", "options"),
    [("png", "PNG", {}), ("webp", "WEBP", {"quality": 80}), ("webp", "WEBP", {"lossless": True})],
)
def test_png_and_webp_are_reencoded_in_their_own_format(kind, fmt, options):
    data = samples.image_bytes(fmt, size=(40, 30), **options)
    clean = validate_upload(samples.upload(f"photo.{kind}", data, f"image/{kind}"), [kind], MB)
    assert clean.kind == kind
    clean.content.seek(0)
    with Image.open(clean.content) as image:
        assert image.format == fmt
        assert image.size == (40, 30)


def test_png_with_text_chunks_loses_them():
    image = Image.new("RGBA", (20, 20), (255, 0, 0, 128))
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Adresse personnelle : 3 rue des Lilas")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    assert b"rue des Lilas" in buffer.getvalue()
    clean = validate_upload(samples.upload("plan.png", buffer.getvalue()), ["png"], MB)
    clean.content.seek(0)
    stored = clean.content.read()
    assert b"rue des Lilas" not in stored
    with Image.open(io.BytesIO(stored)) as reopened:
        assert reopened.mode == "RGBA"
        assert reopened.getpixel((0, 0)) == (255, 0, 0, 128)


def test_image_named_with_another_kind_gets_the_right_extension():
    clean = validate_upload(samples.upload("photo.png", samples.jpeg_with_gps()), ["jpeg", "png"], MB)
    assert clean.kind == "jpeg"
    assert clean.display_name == "photo.jpg"


def test_jpeg_with_a_zip_appended_is_stored_without_it():
    data = samples.jpeg_with_gps() + samples.plain_zip()
    clean = validate_upload(samples.upload("photo.jpg", data), ["jpeg"], MB)
    clean.content.seek(0)
    assert b"PK\x03\x04" not in clean.content.read()


@pytest.mark.parametrize("first", ["[Content_Types].xml", "word/document.xml"])
def test_docx_is_accepted_from_its_zip_headers(first):
    data = samples.docx_bytes(first=first)
    clean = validate_upload(samples.upload("Dossier de candidature.docx", data), ["docx"], MB)
    assert clean.kind == "docx"
    assert clean.content_type == KINDS["docx"].content_type
    clean.content.seek(0)
    assert clean.content.read() == data


def test_odt_is_accepted_from_its_mimetype_entry():
    clean = validate_upload(samples.upload("projet.odt", samples.odt_bytes()), ["odt"], MB)
    assert clean.kind == "odt"
    assert clean.display_name == "projet.odt"


# --- Refused files ------------------------------------------------------------------------


def test_renamed_windows_executable_is_refused():
    code, message = refusal("business-plan.pdf", samples.windows_executable(), ["pdf"], content_type="application/pdf")
    assert code == "unknown_kind"
    assert message.startswith("Le contenu du fichier « business-plan.pdf » ne correspond à aucun format accepté.")
    assert message.endswith("Format accepté : PDF, 10\N{NO-BREAK SPACE}Mo au maximum.")


def test_html_named_pdf_is_refused():
    code, _message = refusal("dossier.pdf", samples.HTML, ["pdf"], content_type="application/pdf")
    assert code == "unknown_kind"


def test_png_header_followed_by_html_is_refused():
    code, message = refusal("photo.png", samples.png_header_then_html(), ["png", "jpeg"], content_type="image/png")
    assert code == "damaged"
    assert "n'est pas une vraie image PNG" in message


def test_svg_named_png_is_refused():
    code, _message = refusal("logo.png", samples.SVG, ["png"], content_type="image/png")
    assert code == "unknown_kind"


def test_pdf_header_followed_by_html_is_refused():
    code, _message = refusal("dossier.pdf", b"%PDF-1.7\n" + samples.HTML, ["pdf"])
    assert code == "damaged"


def test_pdf_with_a_zip_appended_is_refused():
    code, _message = refusal("dossier.pdf", samples.pdf_bytes() + samples.plain_zip(), ["pdf"])
    assert code == "damaged"


def test_pdf_starting_after_junk_is_refused():
    code, _message = refusal("dossier.pdf", b"<html>" + samples.pdf_bytes(), ["pdf"])
    assert code == "unknown_kind"


@pytest.mark.parametrize(
    "data",
    [samples.pdf_with_javascript(), samples.pdf_with_launch_action(), samples.pdf_with_launch_action(escaped=True)],
    ids=["javascript", "launch", "launch-escaped-name"],
)
def test_pdf_with_active_content_is_refused(data):
    code, message = refusal("dossier.pdf", data, ["pdf"])
    assert code == "active_content"
    assert "Enregistrer au format PDF" in message


def _document_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    # The /Names /JavaScript tree, a leaf under an intermediate node (/Kids, then /Names).
    leaf = DictionaryObject(
        {
            NameObject("/Limits"): ArrayObject([TextStringObject("ouverture")] * 2),
            NameObject("/Names"): ArrayObject(
                [TextStringObject("ouverture"), writer._add_object(samples.javascript_action())]
            ),
        }
    )
    tree = DictionaryObject({NameObject("/Kids"): ArrayObject([writer._add_object(leaf)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    return samples.pdf_bytes(pages=0, writer=writer)


def _attached_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("facture.exe", samples.windows_executable())  # /Names /EmbeddedFiles
    return samples.pdf_bytes(pages=0, writer=writer)


HIDDEN_ACTIONS = {
    "outline-javascript": lambda: samples.pdf_with_outline_action(samples.javascript_action()),
    "outline-launch": lambda: samples.pdf_with_outline_action(samples.launch_action()),
    "outline-chained-javascript": lambda: samples.pdf_with_outline_action(samples.javascript_action(), "chained"),
    "outline-chained-launch": lambda: samples.pdf_with_outline_action(samples.launch_action(), "chained"),
    "field-aa-javascript": lambda: samples.pdf_with_field_action(samples.javascript_action()),
    "field-aa-launch": lambda: samples.pdf_with_field_action(samples.launch_action()),
    "field-kid-javascript": lambda: samples.pdf_with_field_action(samples.javascript_action(), "kid"),
    "field-kid-launch": lambda: samples.pdf_with_field_action(samples.launch_action(), "kid"),
    "document-javascript": _document_javascript,
}


@pytest.mark.parametrize("escaped", [False, True], ids=["plain-names", "hex-escaped-names"])
@pytest.mark.parametrize("build", HIDDEN_ACTIONS.values(), ids=HIDDEN_ACTIONS.keys())
def test_pdf_with_an_action_in_bookmarks_form_fields_or_names_is_refused(build, escaped):
    data = build()
    if escaped:
        # /J#61vaScript, /S /L#61unch: a reader runs them, a byte search cannot see them.
        data = samples.escape_names(data)
    code, message = refusal("dossier.pdf", data, ["pdf"])
    assert code == "active_content"
    assert message.startswith("Le fichier « dossier.pdf » contient du code actif")
    assert "Enregistrer au format PDF" in message


REPEATED_CASES = ["open-action", "action-type", "annotation-action", "page-additional-actions", "in-an-object-stream"]


@pytest.mark.parametrize("case", REPEATED_CASES)
def test_pdf_with_an_action_key_written_twice_is_refused(case):
    data = samples.pdf_with_repeated_action_key(case)
    # Escaped or compressed: no byte search sees them.
    assert b"/JavaScript" not in data and b"/Launch" not in data
    code, message = refusal("dossier.pdf", data, ["pdf"])
    assert code == "repeated_key"
    assert message.startswith("Le fichier « dossier.pdf » définit deux fois la même action")
    assert "Enregistrer au format PDF" in message


@pytest.mark.parametrize("case", samples.OUTWARD_ACTIONS)
def test_pdf_with_an_action_reaching_outside_the_document_is_refused(case):
    code, message = refusal("dossier.pdf", samples.pdf_with_outward_action(case), ["pdf"])
    assert code == "active_content"
    assert message.startswith("Le fichier « dossier.pdf » contient du code actif ou des actions vers l'extérieur")


def test_pdf_with_clicked_web_links_bookmarks_and_structure_is_accepted():
    data = samples.pdf_with_clicked_links()
    assert PdfReader(io.BytesIO(data)).outline  # the handmade file is a real PDF
    assert validate_upload(samples.upload("plan.pdf", data), ["pdf"], MB).kind == "pdf"


def test_pdf_with_a_repeated_key_outside_actions_is_accepted():
    # A producer written twice in the document information changes nothing that runs.
    data = samples.one_page_pdf(o4=b"<< /Producer (Traitement de texte) /Producer (Autre) >>")
    data = data.replace(b"/Root 1 0 R", b"/Root 1 0 R /Info 4 0 R")
    data = samples._rebuild_xref(data)
    assert validate_upload(samples.upload("plan.pdf", data), ["pdf"], MB).kind == "pdf"


def test_pdf_past_the_cpu_budget_is_refused_in_french(settings):
    # 3 000 bookmarks: pypdf parses each (about 150 µs of CPU apiece), past a 0.05 s budget.
    data = samples.pdf_with_many_bookmarks(3_000)
    settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = 0.05
    code, message = refusal("repères.pdf", data, ["pdf"])
    assert code == "too_complex"
    assert message.startswith("Le fichier « repères.pdf » est trop complexe pour être vérifié")
    # The same file within the default budget, and a small file within the small one.
    settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = 3.0
    assert validate_upload(samples.upload("repères.pdf", data), ["pdf"], MB).kind == "pdf"
    settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = 0.05
    assert validate_upload(samples.upload("plan.pdf", samples.pdf_bytes()), ["pdf"], MB).kind == "pdf"


def test_pdf_with_an_object_stream_past_the_cap_is_refused_before_the_walk(monkeypatch):
    # pypdf finds an object by reading its stream's table from the start: one lookup costs
    # in proportion to its place, so a stream of 60 000 objects makes each one slow.
    data = samples.one_page_pdf(o4=b"<< /Producer (Traitement de texte) >>", o5=b"<< >>", packed=(4, 5))
    assert validate_upload(samples.upload("plan.pdf", data), ["pdf"], MB).kind == "pdf"
    monkeypatch.setattr(pdf, "MAX_OBJECTS_PER_STREAM", 1)
    code, message = refusal("plan.pdf", data, ["pdf"])
    assert code == "too_complex"
    assert message.startswith("Le fichier « plan.pdf » est trop complexe pour être vérifié")


def test_a_check_past_its_elapsed_time_asks_to_try_again_later(settings):
    # The outcome with no time left at all (the bound itself depends on the machine's load).
    settings.CALLS_UPLOAD_CHECK_SECONDS = 0
    with pytest.raises(ValidationError) as caught:
        validate_upload(samples.upload("repères.pdf", samples.pdf_with_many_bookmarks(300)), ["pdf"], MB)
    assert caught.value.code == "busy"
    assert caught.value.messages == [
        "Le fichier « repères.pdf » n'a pas pu être vérifié à temps : le serveur est très sollicité. "
        "Réessayez dans quelques minutes."
    ]


def test_pdf_with_a_page_tree_past_the_page_cap_is_refused_while_walking(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 2)
    kids = b" ".join(b"%d 0 R" % number for number in range(3, 7))
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [%s] /Count 1 >>" % kids}
    objects.update({number: samples.PAGE % b"" for number in range(3, 7)})
    code, message = refusal("annuaire.pdf", samples.handmade_pdf(objects), ["pdf"])
    assert code == "too_many_pages"
    assert "2 au maximum" in message


def test_pdf_with_an_attached_file_is_refused():
    code, _message = refusal("dossier.pdf", _attached_file(), ["pdf"])
    assert code == "active_content"


def test_ordinary_pdf_with_bookmarks_form_fields_and_web_links_is_accepted():
    data = samples.ordinary_pdf()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.outline) == 3 and reader.get_fields()  # chapter, [its child], chapter
    assert b"/URI" in data and b"/Widget" in data
    clean = validate_upload(samples.upload("Plan d'affaires.pdf", data), ["pdf"], MB)
    assert clean.kind == "pdf"


def test_pdf_with_a_bookmark_cycle_is_checked_once_and_accepted():
    assert validate_upload(samples.upload("boucle.pdf", samples.pdf_with_outline_cycle()), ["pdf"], MB).kind == "pdf"


def test_pdf_nested_past_the_walk_depth_is_refused_as_too_complex():
    data = samples.pdf_with_deep_outline(pdf.MAX_PDF_WALK_DEPTH + 5)
    code, message = refusal("profond.pdf", data, ["pdf"])
    assert code == "too_complex"
    assert message.startswith("Le fichier « profond.pdf » est trop complexe pour être vérifié")
    assert validate_upload(samples.upload("plan.pdf", samples.pdf_with_deep_outline(8)), ["pdf"], MB).kind == "pdf"


def test_pdf_past_the_walk_budget_is_refused_as_too_complex(monkeypatch):
    # The real walk with a smaller budget: 300 bookmarks, 3 pages, a few tree nodes.
    data = samples.pdf_with_many_outline_items(300)
    assert validate_upload(samples.upload("repères.pdf", data), ["pdf"], MB).kind == "pdf"
    monkeypatch.setattr(pdf, "MAX_PDF_WALK_OBJECTS", 100)
    code, _message = refusal("repères.pdf", data, ["pdf"])
    assert code == "too_complex"


def test_pdf_with_a_password_is_refused():
    code, message = refusal("dossier.pdf", samples.pdf_with_password(), ["pdf"])
    assert code == "encrypted"
    assert "mot de passe" in message


def test_pdf_without_pages_is_refused():
    code, _message = refusal("vide.pdf", samples.pdf_bytes(pages=0), ["pdf"])
    assert code == "damaged"


def test_pixel_flood_is_refused_before_decoding():
    code, message = refusal("photo.png", samples.png_pixel_flood(50_000, 50_000), ["png"])
    assert code == "pixel_flood"
    assert "trop grande" in message


def test_image_over_our_own_pixel_cap_is_refused_with_its_size():
    # 3 700 × 3 600 = 13.3 megapixels: a PNG is decoded in full, so over the budget.
    code, message = refusal("photo.png", samples.png_pixel_flood(3_700, 3_600), ["png"])
    assert code == "pixel_flood"
    assert "3700 × 3600 pixels" in message
    assert "13 millions de pixels au maximum" in message


@pytest.fixture(scope="module")
def phone_photo_48mp():
    """What a 48-megapixel phone writes: a baseline JPEG of 8 000 × 6 000 pixels."""
    return samples.image_bytes("JPEG", size=(8_000, 6_000), quality=80)


def test_48_megapixel_phone_photo_is_decoded_at_half_size_and_kept(phone_photo_48mp):
    clean = validate_upload(samples.upload("devanture.jpg", phone_photo_48mp, "image/jpeg"), ["jpeg"], 10 * MB)
    clean.content.seek(0)
    with Image.open(clean.content) as image:
        assert image.format == "JPEG"
        assert image.size == (4_000, 3_000)  # halved by libjpeg while decoding


def test_progressive_jpeg_over_the_budget_is_refused():
    # libjpeg keeps a progressive JPEG's coefficients for the full image: never decoded smaller.
    data = samples.image_bytes("JPEG", size=(4_000, 3_500), progressive=True)
    code, message = refusal("photo.jpg", data, ["jpeg"])
    assert code == "pixel_flood"
    assert "13 millions de pixels au maximum" in message


def test_jpeg_beyond_four_times_the_budget_is_refused_from_its_header():
    header_only = samples.image_bytes("JPEG", size=(8_000, 6_600), quality=10)
    code, message = refusal("photo.jpg", header_only, ["jpeg"])
    assert code == "pixel_flood"
    assert "52 millions de pixels au maximum" in message


def test_an_upload_waits_for_a_decoding_slot_then_gives_up_in_french(monkeypatch):
    # The process's real semaphore, every slot taken, as by concurrent uploads.
    monkeypatch.setattr(images, "IMAGE_DECODE_WAIT", 0.2)
    data = samples.image_bytes("PNG", size=(40, 30))
    taken = 0
    try:
        while images._decode_slots.acquire(blocking=False):
            taken += 1
        assert taken == images.IMAGE_DECODE_SLOTS
        code, message = refusal("photo.png", data, ["png"])
        assert code == "busy"
        assert "le serveur est très sollicité" in message
    finally:
        for _ in range(taken):
            images._decode_slots.release()
    assert validate_upload(samples.upload("photo.png", data), ["png"], MB).kind == "png"


def test_image_past_the_cpu_budget_is_refused_in_french(settings):
    # A million pixels of noise: decoding them takes more than a millisecond of CPU.
    noise = Image.frombytes("L", (1_000, 1_000), random.Random(25).randbytes(1_000 * 1_000))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=1)
    settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = 0.001
    code, message = refusal("photo.png", buffer.getvalue(), ["png"])
    assert code == "too_complex"
    assert message.startswith("L'image « photo.png » demande trop de calcul pour être vérifiée")
    settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = 3.0
    assert validate_upload(samples.upload("photo.png", buffer.getvalue()), ["png"], 10 * MB).kind == "png"
    # The decoding slot was given back after the refusal.
    assert images._decode_slots.acquire(blocking=False)
    images._decode_slots.release()


def test_oversized_file_is_refused():
    data = samples.pdf_bytes(pages=30)
    code, message = refusal("gros.pdf", data, ["pdf"], max_size=1024)
    assert code == "too_large"
    assert "au-delà de la limite de 1\N{NO-BREAK SPACE}Ko" in message


def test_empty_file_is_refused():
    code, message = refusal("vide.pdf", b"", ["pdf", "docx"])
    assert code == "empty"
    assert message.startswith("Le fichier « vide.pdf » est vide.")
    assert "Formats acceptés : PDF ou DOCX" in message


def test_zip_that_is_neither_docx_nor_odt_is_refused():
    code, _message = refusal("dossier.docx", samples.plain_zip(), ["docx", "odt"])
    assert code == "unknown_kind"


def test_docx_with_macros_is_refused():
    code, message = refusal("dossier.docx", samples.docx_bytes(macros=True), ["docx"])
    assert code == "macros"
    assert "macros" in message


DOCX_CODES = {
    "remote-template": "external_link",
    "template-on-a-network-share": "external_link",
    "linked-image": "external_link",
    "ole-object": "embedded_object",
    "activex-control": "embedded_object",
    "workbook-with-macros": "embedded_object",
}
ODT_CODES = {
    "basic-macros": "macros",
    "python-script": "macros",
    "script-in-the-manifest-only": "macros",
    "macro-on-open": "macros",
    "ole-object": "embedded_object",
    "ole-object-not-in-the-manifest": "embedded_object",
    "remote-template": "external_link",
    "linked-image": "external_link",
}
OFFICE_MESSAGES = {
    "macros": "contient des macros, refusées par sécurité",
    "embedded_object": "contient un objet incorporé (objet OLE ou contrôle ActiveX), refusé par sécurité",
    "external_link": "charge un élément extérieur à son ouverture",
}


@pytest.mark.parametrize("case", samples.HOSTILE_DOCX)
def test_docx_that_runs_or_loads_something_on_opening_is_refused(case):
    code, message = refusal("Dossier de candidature.docx", samples.docx_bytes(extra=samples.HOSTILE_DOCX[case]))
    assert code == DOCX_CODES[case]
    assert message.startswith(f"Le document « Dossier de candidature.docx » {OFFICE_MESSAGES[code]}"), message


@pytest.mark.parametrize("case", samples.HOSTILE_ODT)
def test_odt_that_runs_or_loads_something_on_opening_is_refused(case):
    code, message = refusal("projet.odt", samples.odt_bytes(**samples.HOSTILE_ODT[case]))
    assert code == ODT_CODES[case]
    assert message.startswith(f"Le document « projet.odt » {OFFICE_MESSAGES[code]}"), message


def test_documents_with_web_links_charts_and_images_are_accepted():
    docx = samples.docx_with_web_link_and_chart()
    assert validate_upload(samples.upload("rapport.docx", docx), ["docx"], MB).kind == "docx"
    odt = samples.odt_with_web_link_and_chart()
    assert validate_upload(samples.upload("rapport.odt", odt), ["odt"], MB).kind == "odt"


def test_docx_whose_relationships_declare_a_dtd_is_refused_as_damaged():
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><Relationships>&a;</Relationships>'
    code, message = refusal("dossier.docx", samples.docx_bytes(extra={"word/_rels/document.xml.rels": bomb}))
    assert code == "damaged"
    assert message.startswith("Le document « dossier.docx » est endommagé")


def test_odt_with_a_compressed_mimetype_is_refused():
    code, _message = refusal("projet.odt", samples.odt_bytes(compress_mimetype=True), ["odt"])
    assert code == "unknown_kind"


def test_odt_template_is_not_an_odt():
    data = samples.odt_bytes(mimetype="application/vnd.oasis.opendocument.text-template")
    code, _message = refusal("projet.odt", data, ["odt"])
    assert code == "unknown_kind"


def test_docx_with_data_after_its_directory_is_refused():
    code, _message = refusal("dossier.docx", samples.docx_bytes() + samples.HTML, ["docx"])
    assert code == "unknown_kind"


def test_good_file_of_a_kind_not_allowed_here_is_refused():
    code, message = refusal("photo.jpg", samples.jpeg_with_gps(), ["pdf"])
    assert code == "kind_not_allowed"
    assert "est au format JPEG, qui n'est pas accepté ici" in message


def test_hostile_name_in_a_message_is_plain_and_short():
    name = "\u202egpj.exe" + "a" * 200
    _code, message = refusal(name, b"", ["pdf"])
    assert "\u202e" not in message
    assert "a" * 80 not in message


# --- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\Karim\\Documents\\budget.pdf", "pdf", "budget.pdf"),
        ("<script>.pdf", "pdf", "_script_.pdf"),
        ('dossier "final".pdf', "pdf", "dossier _final_.pdf"),
        ("facture\u202efdp.exe", "pdf", "facturefdp.pdf"),
        ("rapport\x00.pdf", "pdf", "rapport.pdf"),
        ("ligne\nsuivante.pdf", "pdf", "ligne suivante.pdf"),
        ("....", "pdf", "document.pdf"),
        (".htaccess", "pdf", "htaccess.pdf"),
        ("", "png", "document.png"),
        (None, "docx", "document.docx"),
        ("photo.jpeg", "jpeg", "photo.jpeg"),
        ("photo.PNG", "jpeg", "photo.jpg"),
        ("malware.exe", "pdf", "malware.pdf"),
        ("Budget v1.2", "pdf", "Budget v1.2.pdf"),
        ("CON.pdf", "pdf", "CON_.pdf"),
        ("Épicerie solidaire.pdf", "pdf", "Épicerie solidaire.pdf"),
    ],
)
def test_hostile_names_are_sanitised(name, kind, expected):
    assert sanitise_display_name(name, kind) == expected


def test_names_are_nfc_and_capped():
    decomposed = "E\u0301picerie.pdf"  # É as E + combining acute accent
    assert sanitise_display_name(decomposed, "pdf") == "\u00c9picerie.pdf"
    long_name = "x" * 500 + ".pdf"
    sanitised = sanitise_display_name(long_name, "pdf")
    assert len(sanitised) == MAX_DISPLAY_NAME_LENGTH
    assert sanitised.endswith("x.pdf")


def test_content_disposition_for_ascii_and_non_ascii_names():
    assert content_disposition("budget.pdf") == "attachment; filename=\"budget.pdf\"; filename*=UTF-8''budget.pdf"
    value = content_disposition("Épicerie « Chez Nadia » 2026.pdf")
    assert value == (
        'attachment; filename="Epicerie Chez Nadia 2026.pdf"; '
        "filename*=UTF-8''%C3%89picerie%20%C2%AB%20Chez%20Nadia%20%C2%BB%202026.pdf"
    )


def test_content_disposition_fallback_has_no_quotes_backslashes_or_percent():
    value = content_disposition('a"b%41.pdf')
    fallback = re.search(r'filename="([^"]*)"', value).group(1)
    assert fallback == "ab41.pdf"
    assert "filename*=UTF-8''a%22b%2541.pdf" in value
    assert "\\" not in content_disposition("dossier\\rapport.pdf")
    assert content_disposition("漢字.pdf").startswith('attachment; filename="document.pdf"; ')
    assert "\r" not in content_disposition("a\r\nSet-Cookie: x=1.pdf")


# --- Storage --------------------------------------------------------------------------------


def test_storage_key_is_a_fresh_uuid_never_the_applicants_name():
    key = storage_key("../../etc/passwd.pdf", "pdf")
    assert re.fullmatch(r"applications/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", key)
    assert "passwd" not in key
    assert storage_key("a.jpeg", "jpeg").endswith(".jpg")
    assert storage_key("a.pdf", "pdf") != storage_key("a.pdf", "pdf")


def test_clean_file_is_saved_in_the_private_folder_outside_media_root(settings):
    clean = validate_upload(samples.upload("budget.pdf", samples.pdf_bytes()), ["pdf"], MB)
    stored = clean.save()
    path = Path(private_storage().path(stored))
    assert path.is_file()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "budget" not in stored


def test_attachment_storage_keeps_the_path_its_migration_recorded():
    # calls/migrations/0002 names calls.models.PrivateStorage; a new path would mean a migration.
    storage = Attachment._meta.get_field("file").storage
    assert storage.deconstruct() == ("calls.models.PrivateStorage", (), {})


def test_no_url_for_local_private_files():
    assert signed_url("applications/2026/11/abc.pdf") is None


def test_signed_url_on_s3_is_short_lived_and_downloads(settings):
    # Signing happens on this machine: no S3 server is contacted.
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "qc-private",
                "location": "private",
                "access_key": "test-access-key",
                "secret_key": "test-secret-key",
                "region_name": "eu-west-3",
                "endpoint_url": "http://127.0.0.1:9",
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 300,
                "custom_domain": None,
            },
        },
    }
    url = signed_url("applications/2026/11/abc.pdf", expires=3600, display_name="Épicerie.pdf")
    assert "/qc-private/private/applications/2026/11/abc.pdf?" in url
    assert "X-Amz-Expires=300" in url  # capped at five minutes
    assert "X-Amz-Signature=" in url
    assert "response-content-disposition=attachment" in url
    assert "X-Amz-Expires=60" in signed_url("applications/2026/11/abc.pdf", expires=60)
    with pytest.raises(ValueError):
        signed_url("applications/2026/11/abc.pdf", expires=0)
