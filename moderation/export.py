"""Export of the queue's filtered list as CSV or XLSX.

One row per application: the queue's columns, then every answer in the form's order (the
union of the calls' forms when several calls are listed; answers to fields removed since
come last), attachments as file names.

The XLSX file is typed: numbers (the average, each criterion's mean score, numeric answers)
are numbers, amounts in euros are numbers with a euro format, dates (sending date, date
answers) are dates in Paris time; it adds one column per scoring criterion (mean of the
reviewers' scores) after the weighted average, freezes the header row and puts filters on
it. The CSV keeps its text columns (answers as displayed). In both, a period (« du … au … »)
takes two columns, its start and its end (dates in the XLSX), and a yes/no answer is « Oui »
or « Non ». Each cell is typed from the answer's own stored type, never from the field's
current one: an answer given before its field changed type stays as it was sent.

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
from decimal import Decimal, InvalidOperation

from django.db.models import Avg
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from calls.date_fields import parse_date_range
from calls.models import LAYOUT_FIELD_TYPES, CallFormField, status_label
from calls.repeatable import NUMERIC_FIELD_TYPES, to_decimal

from .models import Score

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def answer_columns(applications):
    """``[(key, label, part)]``: each answer column once, in the forms' order. A period
    (a field now of type « date_range », or an answer stored as one) takes two columns,
    ``part`` "start" and "end"; every other answer one, ``part`` None."""
    page_ids = sorted({application.page_id for application in applications})
    keys, seen, ranges = [], set(), set()
    fields = CallFormField.objects.filter(page_id__in=page_ids).order_by("page_id", "sort_order", "pk")
    group_page = None  # the call whose repeatable section the fields below belong to
    for field in fields:
        if field.field_type == "date_range":
            ranges.add(field.clean_name)
        if field.field_type == "section":
            # A repeatable section is one answer (its entries); its fields are not columns.
            group_page = field.page_id if field.repeatable else None
            if field.repeatable and field.clean_name not in seen:
                seen.add(field.clean_name)
                keys.append((field.clean_name, field.label))
            continue
        if group_page == field.page_id:
            continue
        group_page = None
        if field.field_type in LAYOUT_FIELD_TYPES or field.clean_name in seen:
            continue
        seen.add(field.clean_name)
        keys.append((field.clean_name, field.label))
    for application in applications:
        for key, answer in (application.form_data or {}).items():
            if isinstance(answer, dict) and answer.get("type") == "date_range":
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


def _range_dates(answer):
    """``(start, end)`` dates of a stored period, ``(None, None)`` for anything else."""
    if not isinstance(answer, dict) or answer.get("type") != "date_range":
        return None, None
    return parse_date_range(answer.get("value"))


def _answer_cell_text(answer, attachments, part):
    """The text of one answer's cell; for a period, its start or its end (an answer that is
    not a period, from before its field became one, goes whole in the start column)."""
    if part is None:
        return _answer_text(answer, attachments)
    start, end = _range_dates(answer)
    if start is None:
        return _answer_text(answer, attachments) if part == "start" else ""
    return (start if part == "start" else end).strftime("%d/%m/%Y")


def _typed_cell(answer, attachments, part):
    if part is None:
        return _typed_answer(answer, _answer_text(answer, attachments))
    start, end = _range_dates(answer)
    if start is None:
        return _answer_cell_text(answer, attachments, part)
    return start if part == "start" else end


# --- Repeatable sections (calls/repeatable.py) ---
#
# The CSV flattens each group: « Partenaires 1 – Nom », … up to the largest number of
# entries among the applications exported, then the totals of its numeric columns. The XLSX
# gives the number of entries in the main sheet and one sheet per group, one row per entry.


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
    return [field for field in fields if field.get("type") in NUMERIC_FIELD_TYPES]


def group_csv_headings(label, fields, largest):
    headings = [f"{label} {number} – {field['label']}" for number in range(1, largest + 1) for field in fields]
    headings += [
        _("%(group)s – total « %(field)s »") % {"group": label, "field": f["label"]} for f in group_numeric(fields)
    ]
    return headings


def group_csv_cells(answer, fields, largest):
    entries = (answer.get("entries") or []) if isinstance(answer, dict) else []
    cells = []
    for number in range(largest):
        entry = entries[number] if number < len(entries) else {}
        cells += [entry.get(field["key"], "") or "" for field in fields]
    totals = {total["key"]: total["display"] for total in (answer or {}).get("totals") or []} if entries else {}
    cells += [totals.get(field["key"], "") for field in group_numeric(fields)]
    return cells


def _group_typed_cell(field, value, display):
    if value in (None, ""):
        return None
    if field.get("type") in NUMERIC_FIELD_TYPES:
        number = to_decimal(value)
        return number if number is not None else display
    if field.get("type") in ("date", "datetime"):
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            return display
    return display


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
                    _group_typed_cell(field, value.get(field["key"]), display.get(field["key"], "")) for field in fields
                ]
                rows.append(row)
        title = re.sub(r"[\\/*?:\[\]]", " ", str(label))[:31].strip() or key[:31]
        while title in titles or title == _("Candidatures")[:31]:
            title = title[:28] + f" {len(titles) + 1}"
        titles.add(title)
        sheets.append((title, headings, rows))
    return sheets


def _answer_text(answer, attachments):
    if attachments:
        return ", ".join(attachment.display_name for attachment in attachments)
    if not isinstance(answer, dict):
        return ""
    if answer.get("type") == "file":
        value = answer.get("value") or []
        return ", ".join(str(name) for name in value) if isinstance(value, list) else str(value)
    return answer.get("display", "")


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
        application.qpv_text,
        application.qpv_code,
        application.qpv_name,
        application.qpv_distance_m,  # a number in the XLSX, digits in the CSV
        application.get_qpv_method_display() if application.qpv_method else "",
        application.commune_code,
    ]


NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


class Euros(Decimal):
    """An amount in euros: a number in the XLSX, with a euro format."""


def _typed_answer(answer, text):
    """A numeric answer as a number, an amount as euros, a date answer as a date; anything
    else stays text."""
    if not isinstance(answer, dict) or not text:
        return text
    kind = answer.get("type")
    if kind == "amount":
        try:
            amount = Euros(str(answer.get("value")))
        except (InvalidOperation, ValueError):
            return text
        return amount if amount.is_finite() else text
    if kind == "number":
        # The stored value (« 15000 »), else the text as shown, whose thousands separator is a
        # no-break space (« 15 000 »): a number either way, so a column of budgets adds up.
        number = to_decimal(answer.get("value"))
        if number is None and NUMBER.match(re.sub(r"[\s\u00a0\u202f]", "", text)):
            number = to_decimal(text)
        return text if number is None else number
    if kind in ("date", "datetime"):
        for parse in (datetime.date.fromisoformat, lambda v: datetime.datetime.strptime(v, "%d/%m/%Y").date()):
            try:
                return parse(str(answer.get("value") or text))
            except ValueError:
                continue
    return text


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


def typed_table(queryset):
    """``(headings, rows, criteria)``: the rows' values typed (str, Decimal, datetime, date,
    None); ``criteria`` are the criterion labels, inserted after the weighted average."""
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
    groups = set(group_keys(applications, answers))
    headings += [
        _("%(group)s (nombre d'entrées)") % {"group": label} if key in groups else label
        for key, label, _part in answers
    ]
    headings += [str(heading) for heading in QPV_HEADINGS]  # the QPV check (calls/qpv_check.py)
    rows = []
    for application in applications:
        files = {}
        for attachment in application.attachments.all():
            files.setdefault(attachment.field_key, []).append(attachment)
        reviewers = ", ".join(
            a.reviewer.get_full_name() or a.reviewer.get_username() for a in application.assignments.all()
        )
        average = getattr(application, "average", None)
        mine = means.get(application.pk, {})
        row = [
            application.reference,
            application.page.title,
            timezone.localtime(application.submit_time).replace(tzinfo=None, microsecond=0),
            str(status_label(application.status)),
            application.applicant_name,
            application.applicant_email,
            application.business_name,
            application.town,
            application.get_region_display() if application.region else "",
            application.get_business_kind_display() if application.business_kind else "",
            reviewers,
            Decimal(average) if average is not None else None,
            *[mine.get(label) for label in labels],
        ]
        data = application.form_data or {}
        for key, _label, part in answers:
            answer = data.get(key)
            if key in groups:
                is_group = isinstance(answer, dict) and answer.get("type") == "group"
                row.append(len(answer.get("value") or []) if is_group else None)
            else:
                row.append(_typed_cell(answer, files.get(key), part))
        row += qpv_cells(application)
        rows.append(row)
    return headings, rows, labels


def table(queryset):
    """``(headings, rows)`` of plain strings, not yet neutralised (the CSV)."""
    applications = list(queryset.prefetch_related("attachments"))
    answers = answer_columns(applications)
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
    ]
    shapes = {key: group_shape(applications, key) for key in group_keys(applications, answers)}
    for key, label, _part in answers:
        headings += group_csv_headings(label, *shapes[key]) if key in shapes else [label]
    headings += [str(heading) for heading in QPV_HEADINGS]  # the QPV check (calls/qpv_check.py)
    rows = []
    for application in applications:
        files = {}
        for attachment in application.attachments.all():
            files.setdefault(attachment.field_key, []).append(attachment)
        reviewers = ", ".join(
            a.reviewer.get_full_name() or a.reviewer.get_username() for a in application.assignments.all()
        )
        average = getattr(application, "average", None)
        row = [
            application.reference,
            application.page.title,
            timezone.localtime(application.submit_time).strftime("%Y-%m-%d %H:%M"),
            str(status_label(application.status)),
            application.applicant_name,
            application.applicant_email,
            application.business_name,
            application.town,
            application.get_region_display() if application.region else "",
            application.get_business_kind_display() if application.business_kind else "",
            reviewers,
            f"{average:.2f}".replace(".", ",") if average is not None else "",
        ]
        data = application.form_data or {}
        for key, _label, part in answers:
            if key in shapes:
                row += group_csv_cells(data.get(key), *shapes[key])
            else:
                row.append(_answer_cell_text(data.get(key), files.get(key), part))
        row += qpv_cells(application)
        rows.append(row)
    return headings, rows


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


def write_xlsx(headings, rows, extra_sheets=()):
    """Typed cells: numbers and dates as such, every text cell a neutralised string.
    ``extra_sheets``: ``[(title, headings, rows)]`` written after the main sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Candidatures")[:31]
    _write_sheet(sheet, headings, rows)
    for title, sheet_headings, sheet_rows in extra_sheets:
        _write_sheet(workbook.create_sheet(title=title), sheet_headings, sheet_rows)
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
    if spreadsheet_format == "xlsx":
        headings, rows, _criteria = typed_table(queryset)
        applications = list(queryset)
        sheets = group_sheets(applications, answer_columns(applications))
        response = HttpResponse(write_xlsx(headings, rows, sheets), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        headings, rows = table(queryset)
        response = HttpResponse(write_csv(headings, rows), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="candidatures-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
