"""Export of the queue's filtered list as CSV or XLSX.

One row per application: the queue's columns, then every answer in the form's order (the
union of the calls' forms when several calls are listed; answers to fields removed since
come last), attachments as file names.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return. Such cells are prefixed with a single quote (shown as text by
every spreadsheet), and in XLSX every cell is written as a string (``data_type = "s"``).
https://owasp.org/www-community/attacks/CSV_Injection
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from calls.models import LAYOUT_FIELD_TYPES, CallFormField, status_label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def answer_columns(applications):
    """``[(key, label)]``: each answer column once, in the forms' order."""
    page_ids = sorted({application.page_id for application in applications})
    columns, seen = [], set()
    fields = CallFormField.objects.filter(page_id__in=page_ids).order_by("page_id", "sort_order", "pk")
    for field in fields:
        if field.field_type in LAYOUT_FIELD_TYPES or field.clean_name in seen:
            continue
        seen.add(field.clean_name)
        columns.append((field.clean_name, field.label))
    for application in applications:
        for key, answer in (application.form_data or {}).items():
            if key not in seen:
                seen.add(key)
                columns.append((key, answer.get("label", key) if isinstance(answer, dict) else key))
    return columns


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
        "" if application.qpv_distance_m is None else str(application.qpv_distance_m),
        application.get_qpv_method_display() if application.qpv_method else "",
        application.commune_code,
    ]


def table(queryset):
    """``(headings, rows)`` of plain strings, not yet neutralised."""
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
    ] + [label for _key, label in answers]
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
        row += [_answer_text(data.get(key), files.get(key)) for key, _label in answers]
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


def write_xlsx(headings, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Candidatures")[:31]
    for row_number, row in enumerate([headings, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = neutralise(value)
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(queryset, spreadsheet_format):
    headings, rows = table(queryset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if spreadsheet_format == "xlsx":
        response = HttpResponse(write_xlsx(headings, rows), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        response = HttpResponse(write_csv(headings, rows), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="candidatures-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
