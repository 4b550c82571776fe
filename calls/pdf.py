"""The PDF of what an applicant sent: the reference, the call, the date, the answers in the
form's order and the names of the attached files (never their content). fpdf2 writes it,
with the PDF core fonts: text outside Latin-1 is replaced by its nearest Latin-1 spelling.
https://py-pdf.github.io/fpdf2/
"""

import unicodedata

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from .answers import pdf_text

REPLACEMENTS = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u202f": " ",
    "\u20ac": "EUR",
}


def latin1(text):
    """``text`` as the core fonts can write it."""
    text = "".join(REPLACEMENTS.get(char, char) for char in str(text or ""))
    out = []
    for char in text:
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(decomposed or "?")
        else:
            out.append(char)
    return "".join(out)


def application_pdf(application):
    """The PDF as bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"{application.reference} - {application.page.title}"))
    pdf.set_creator("Quartiers Cafés")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def line(text, size=11, style="", gap=2):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line("Quartiers Cafés", size=10)
    line(_("Candidature %(reference)s") % {"reference": application.reference}, size=16, style="B")
    line(_("Appel : %(title)s") % {"title": application.page.title})
    sent = date_format(timezone.localtime(application.submit_time), "j F Y à H:i")
    line(_("Envoyée le : %(date)s") % {"date": sent}, gap=6)

    attachments = {}
    for attachment in application.attachments.all():
        attachments.setdefault(attachment.field_key, []).append(attachment.display_name)
    for answer in application.answers():
        line(answer.get("label", ""), size=11, style="B", gap=1)
        if answer.get("type") == "group":
            group_table(pdf, answer)
            continue
        line(pdf_text(answer, attachments.pop(answer["key"], ())), gap=4)
    others = [name for names in attachments.values() for name in names]
    if others:
        line(_("Autres pièces jointes"), style="B", gap=1)
        line(", ".join(others), gap=4)
    return bytes(pdf.output())


def group_table(pdf, answer):
    """A repeatable section's entries as a table: one row per entry, the totals last."""
    table = answer.get("table") or {}
    rows = table.get("rows") or []
    pdf.set_font("Helvetica", size=10)
    if not rows:
        pdf.multi_cell(pdf.epw, 5, latin1(_("(aucune entrée)")), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        return
    headings = table.get("headings") or []
    widths = [1] + [3] * (len(headings) - 1)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True) as grid:
        for values in [headings, *rows] + ([table["totals"]] if table.get("totals") else []):
            row = grid.row()
            for value in values:
                row.cell(latin1(value or ""))
    pdf.ln(4)


def pdf_filename(application):
    return f"candidature-{application.reference}.pdf"
