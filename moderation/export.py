"""Export of the queue's filtered list as CSV or XLSX.

One row per application: the queue's columns, the weighted average and each scoring
criterion's mean score, then every answer in the form's order (the union of the calls'
forms when several calls are listed; answers to fields removed since come last),
attachments as file names, then the QPV check's columns.

``spreadsheet`` builds the rows once, each cell a ``Cell`` with two faces: its typed value
for the XLSX (numbers, amounts in euros with a euro format, dates in Paris time) and its
text for the CSV (answers as displayed). Both files have the same columns in the same order.
A period (« du … au … ») takes two columns, its start and its end; a repeatable section its
number of entries, each entry's fields, then its totals (the XLSX adds one sheet per
section, one row per entry). Each answer is read by ``calls.answers`` from its own stored
type, never from the field's current one: an answer given before its field changed type
stays as it was sent. The XLSX freezes the header row and puts filters on it.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return. Such cells are prefixed with a single quote (shown as text by
every spreadsheet), and in XLSX every text cell is written as a string (``data_type = "s"``);
only values the code itself made numbers or dates are written as such.
https://owasp.org/www-community/attacks/CSV_Injection
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Avg
from django.http import HttpResponse
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from calls import field_types
from calls.answers import answer_part, answer_text, entry_cell, takes_parts, typed_cell
from calls.field_types import Euros
from calls.fields import to_decimal
from calls.models import CallFormField, status_label

from .models import Score

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def answer_columns(applications):
    """``[(key, label, part)]``: each answer column once, in the forms' order (``form_columns``)."""
    page_ids = sorted({application.page_id for application in applications})
    fields = CallFormField.objects.filter(page_id__in=page_ids).order_by("page_id", "sort_order", "pk")
    stored = (item for application in applications for item in (application.form_data or {}).items())
    return form_columns(((field.page_id, field) for field in fields), stored)


def form_columns(fields, stored):
    """``[(key, label, part)]`` for forms built with the calls' builder (an application's, a
    laureate's report): ``fields`` are ``(form, field)`` in the forms' order, ``stored`` the
    ``(key, answer)`` pairs stored, whose keys no field has any more come last. A period (a
    field now of type « date_range », or an answer stored as one) takes two columns, ``part``
    "start" and "end"; every other answer one, ``part`` None."""
    keys, seen, ranges = [], set(), set()
    group_form = None  # the form whose repeatable section the fields below belong to
    for form, field in fields:
        kind = field_types.get(field.field_type)
        if kind.parts is not None:
            ranges.add(field.clean_name)
        if kind.section:
            # A repeatable section is one answer (its entries); its fields are not columns.
            group_form = form if field.repeatable else None
            if field.repeatable and field.clean_name not in seen:
                seen.add(field.clean_name)
                keys.append((field.clean_name, field.label))
            continue
        if group_form == form:
            continue
        group_form = None
        if kind.layout or field.clean_name in seen:
            continue
        seen.add(field.clean_name)
        keys.append((field.clean_name, field.label))
    for key, answer in stored:
        if takes_parts(answer):
            ranges.add(key)
        if key not in seen:
            seen.add(key)
            keys.append((key, answer.get("label", key) if isinstance(answer, dict) else key))
    columns = []
    for key, label in keys:
        if key in ranges:
            columns.append((key, _("%(label)s (début)") % {"label": label}, "start"))
            columns.append((key, _("%(label)s (fin)") % {"label": label}, "end"))
        else:
            columns.append((key, label, None))
    return columns


class Cell(NamedTuple):
    """One cell of the export: ``value`` for the XLSX (text, int, Decimal, ``Euros``, date,
    datetime or None), ``text`` for the CSV."""

    value: Any
    text: str


def cell(value, text=None):
    """A cell whose text is ``text``, else its value as text (None: empty)."""
    return Cell(value, ("" if value is None else str(value)) if text is None else text)


def score_cell(value):
    """A mean score: a number, « 3,67 » in the CSV (two decimals)."""
    if value is None:
        return Cell(None, "")
    # floatformat rounds (number_format would cut the third decimal off) and writes the
    # decimal comma of the active language.
    return Cell(Decimal(value), floatformat(value, 2))


def answer_cell(answer, attachment_names, part):
    """The cell of one answer; for a period, of its start or its end (an answer that is not
    a period, from before its field became one, goes whole in the start column)."""
    if part is not None:
        date = answer_part(answer, part)
        if date is not None:
            return Cell(date, date.strftime("%d/%m/%Y"))
        if part != "start":
            return Cell("", "")
        return cell(answer_text(answer, attachment_names))
    text = answer_text(answer, attachment_names)
    return Cell(typed_cell(answer, text), text)


# --- Repeatable sections (calls/repeatable.py) ---
#
# Both files flatten each group: its number of entries, « Partenaires 1 – Nom », … up to the
# largest number of entries among the applications exported, then the totals of its numeric
# columns. The XLSX adds one sheet per group, one row per entry.


def group_keys(applications, answers):
    """The answer columns that hold a repeatable section in at least one application."""
    keys = set()
    for application in applications:
        for key, answer in (application.form_data or {}).items():
            if isinstance(answer, dict) and answer.get("type") == "group":
                keys.add(key)
    return [key for key, _label, _part in answers if key in keys]


def group_shape(applications, key):
    """``(fields, largest count)``: the group's fields (key, label, type) in order, the
    labels as most recently stored, and the largest number of entries."""
    fields, largest = {}, 0
    for application in sorted(applications, key=lambda a: a.submit_time):
        answer = (application.form_data or {}).get(key)
        if not isinstance(answer, dict) or answer.get("type") != "group":
            continue
        for field in answer.get("fields") or []:
            fields[field["key"]] = field
        largest = max(largest, len(answer.get("value") or []))
    return list(fields.values()), largest


def group_numeric(fields):
    return [field for field in fields if field_types.get(field.get("type")).numeric]


def group_headings(label, fields, largest):
    headings = [_("%(group)s (nombre d'entrées)") % {"group": label}]
    headings += [f"{label} {number} – {field['label']}" for number in range(1, largest + 1) for field in fields]
    headings += [
        _("%(group)s – total « %(field)s »") % {"group": label, "field": f["label"]} for f in group_numeric(fields)
    ]
    return headings


def group_cells(answer, fields, largest):
    """The group's number of entries, each entry's cells, then its totals."""
    if not isinstance(answer, dict) or answer.get("type") != "group":
        answer = {}
    values, entries = answer.get("value") or [], answer.get("entries") or []
    cells = [cell(len(values)) if answer else cell(None)]
    for number in range(largest):
        value = values[number] if number < len(values) else {}
        entry = entries[number] if number < len(entries) else {}
        for field in fields:
            text = entry.get(field["key"], "") or ""
            cells.append(Cell(entry_cell(field.get("type"), value.get(field["key"]), text), text))
    totals = {total["key"]: total for total in answer.get("totals") or []} if entries else {}
    for field in group_numeric(fields):
        total = totals.get(field["key"])
        cells.append(Cell(to_decimal(total["value"]), total["display"]) if total else cell(None))
    return cells


def group_sheets(applications, answers):
    """``[(title, headings, rows)]``: one sheet per group, one row per entry: the
    application's reference, the entry's number, one typed cell per field."""
    sheets, titles = [], set()
    for key in group_keys(applications, answers):
        label = {column: text for column, text, _part in answers}.get(key, key)
        fields, _largest = group_shape(applications, key)
        headings = [_("Référence"), _("N° d'entrée")] + [field["label"] for field in fields]
        rows = []
        for application in applications:
            answer = (application.form_data or {}).get(key)
            if not isinstance(answer, dict) or answer.get("type") != "group":
                continue
            displays = answer.get("entries") or []
            for number, value in enumerate(answer.get("value") or [], start=1):
                display = displays[number - 1] if number <= len(displays) else {}
                row = [application.reference, number]
                row += [
                    entry_cell(field.get("type"), value.get(field["key"]), display.get(field["key"], ""))
                    for field in fields
                ]
                rows.append(row)
        title = re.sub(r"[\\/*?:\[\]]", " ", str(label))[:31].strip() or key[:31]
        while title in titles or title == _("Candidatures")[:31]:
            title = title[:28] + f" {len(titles) + 1}"
        titles.add(title)
        sheets.append((title, headings, rows))
    return sheets


# --- The QPV check's columns (calls/qpv_check.py), after the answers ---

QPV_HEADINGS = [
    _lazy("QPV"),
    _lazy("Code QPV"),
    _lazy("Nom du QPV"),
    _lazy("Distance au QPV (m)"),
    _lazy("Vérification QPV"),
    _lazy("Code INSEE de la commune"),
]


def qpv_cells(application):
    return [
        cell(application.qpv_text),
        cell(application.qpv_code),
        cell(application.qpv_name),
        cell(application.qpv_distance_m),  # a number in the XLSX, digits in the CSV
        cell(application.get_qpv_method_display() if application.qpv_method else ""),
        cell(application.commune_code),
    ]


def criterion_means(applications):
    """``(labels, {application_id: {label: mean}})``: each criterion's mean score (conflicts
    of interest left out), the labels in the calls' order."""
    ids = [application.pk for application in applications]
    rows = (
        Score.objects.filter(review__application_id__in=ids, review__conflict_of_interest=False)
        .values("review__application_id", "criterion__label", "criterion__page_id", "criterion__sort_order")
        .annotate(mean=Avg("value"))
        .order_by("criterion__page_id", "criterion__sort_order", "criterion__label")
    )
    labels, means = [], {}
    for row in rows:
        if row["criterion__label"] not in labels:
            labels.append(row["criterion__label"])
        means.setdefault(row["review__application_id"], {})[row["criterion__label"]] = row["mean"]
    return labels, means


def spreadsheet(queryset):
    """``(headings, rows, applications)``: the one table both files are written from, each
    cell a ``Cell`` (its XLSX value and its CSV text)."""
    applications = list(queryset.prefetch_related("attachments"))
    answers = answer_columns(applications)
    labels, means = criterion_means(applications)
    headings = [
        _("Référence"),
        _("Appel"),
        _("Date d'envoi"),
        _("Statut"),
        _("Nom"),
        _("Courriel"),
        _("Commerce"),
        _("Commune"),
        _("Région"),
        _("Type de commerce"),
        _("Évaluateurs"),
        _("Note moyenne"),
        *[_("Note « %(criterion)s »") % {"criterion": label} for label in labels],
    ]
    shapes = {key: group_shape(applications, key) for key in group_keys(applications, answers)}
    for key, label, _part in answers:
        headings += group_headings(label, *shapes[key]) if key in shapes else [label]
    headings += [str(heading) for heading in QPV_HEADINGS]  # the QPV check (calls/qpv_check.py)
    rows = []
    for application in applications:
        files = {}
        for attachment in application.attachments.all():
            files.setdefault(attachment.field_key, []).append(attachment.display_name)
        reviewers = ", ".join(
            a.reviewer.get_full_name() or a.reviewer.get_username() for a in application.assignments.all()
        )
        sent = timezone.localtime(application.submit_time)
        mine = means.get(application.pk, {})
        row = [
            cell(application.reference),
            cell(application.page.title),
            Cell(sent.replace(tzinfo=None, microsecond=0), sent.strftime("%Y-%m-%d %H:%M")),
            cell(str(status_label(application.status))),
            cell(application.applicant_name),
            cell(application.applicant_email),
            cell(application.business_name),
            cell(application.town),
            cell(application.get_region_display() if application.region else ""),
            cell(application.get_business_kind_display() if application.business_kind else ""),
            cell(reviewers),
            score_cell(getattr(application, "average", None)),
            *[score_cell(mine.get(label)) for label in labels],
        ]
        data = application.form_data or {}
        for key, _label, part in answers:
            if key in shapes:
                row += group_cells(data.get(key), *shapes[key])
            else:
                row.append(answer_cell(data.get(key), files.get(key, ()), part))
        row += qpv_cells(application)
        rows.append(row)
    return headings, rows, applications


def typed_table(queryset):
    """``(headings, rows)`` of the XLSX: typed values (str, Decimal, Euros, datetime, date, None)."""
    headings, rows, _applications = spreadsheet(queryset)
    return headings, [[cell.value for cell in row] for row in rows]


def table(queryset):
    """``(headings, rows)`` of the CSV: plain strings, not yet neutralised."""
    headings, rows, _applications = spreadsheet(queryset)
    return headings, [[cell.text for cell in row] for row in rows]


def write_csv(headings, rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel reads UTF-8
    writer = csv.writer(buffer, delimiter=";")
    for row in [headings, *rows]:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
SCORE_FORMAT = "0.00"
EURO_FORMAT = '#,##0.00 "€"'


def write_xlsx(headings, rows, extra_sheets=(), title=None):
    """Typed cells: numbers and dates as such, every text cell a neutralised string.
    ``extra_sheets``: ``[(title, headings, rows)]`` written after the main sheet, whose title
    is ``title`` (« Candidatures » by default)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title or _("Candidatures"))[:31]
    _write_sheet(sheet, headings, rows)
    for sheet_title, sheet_headings, sheet_rows in extra_sheets:
        _write_sheet(workbook.create_sheet(title=str(sheet_title)[:31]), sheet_headings, sheet_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, headings, rows):
    from openpyxl.utils import get_column_letter

    for column_number, value in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=column_number)
        cell.value = neutralise(value)
        cell.data_type = "s"
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if value is None:
                continue
            if isinstance(value, bool):
                value = str(value)
            if isinstance(value, datetime.datetime):
                cell.value = value
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Euros):
                cell.value = float(value)
                cell.number_format = EURO_FORMAT
            elif isinstance(value, (int, float, Decimal)):
                if float(value).is_integer():
                    cell.value = int(value)  # exact, whatever its size
                else:
                    cell.value = float(value)
                    cell.number_format = SCORE_FORMAT
            else:
                cell.value = neutralise(value)
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    if headings:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(len(rows) + 1, 1)}"


def spreadsheet_response(queryset, spreadsheet_format):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    headings, rows, applications = spreadsheet(queryset)
    if spreadsheet_format == "xlsx":
        values = [[cell.value for cell in row] for row in rows]
        sheets = group_sheets(applications, answer_columns(applications))
        response = HttpResponse(write_xlsx(headings, values, sheets), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        texts = [[cell.text for cell in row] for row in rows]
        response = HttpResponse(write_csv(headings, texts), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="candidatures-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
