"""The periodic report (« bilan »): a form the team builds per call with the call form's
builder, that each laureate of the call fills and sends once from their space.

- The form: ``ReportForm`` and its ``ReportFormField`` rows (``calls.models.BuiltFormField``:
  the call form's types, options, conditions and repeatable sections), made into a form class
  by ``calls.builder.CallFormBuilder`` (``form_class``). Its answers are stored by the call
  form's own ``answers()`` (label, type, position, value, display per answer).
- Sending (``send_report``): the files went through ``AttachmentField`` in the form (the
  applications' checks); the laureate's row is locked, a laureate who left the network or a
  closed form is refused in French, a report already sent for that form is refused (the
  unique constraint holds against two requests at once), then the report, its files (private
  storage, under ``laureates/``) and its history entry are one transaction; a failure deletes
  the files already written.
- Erasure (``erase_reports``, run by ``retention.erase_contact`` with the contact data): the
  report rows stay (the fact that a report was sent and its date: the sponsor's report counts
  them) with the answers to the questions marked ``kept_after_erasure`` (numbers, amounts,
  yes/no, choices, outside repeatable sections); every other answer goes, the ``ReportFile``
  rows go and their stored files are deleted once the erasure is committed, and the file names
  the laureate gave leave the « Bilan envoyé » history entries.
- The export (``spreadsheet``): one row per report of a form, the answers typed as the
  applications' export types them (``moderation.export``'s cells, one sheet per repeatable
  section in the XLSX).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from calls import field_types
from calls.attachments.storage import StoredFiles
from calls.builder import CallFormBuilder
from moderation import export

from .files import erase as erase_files
from .models import (
    Actor,
    Laureate,
    Report,
    ReportFile,
    ReportForm,
    kept_after_erasure_allowed,
    milestone_file_name,
)
from .services import empty_history_details, write_history


def form_class(report_form):
    """The form class of ``report_form`` (the call form's, without steps or drafts)."""
    return CallFormBuilder(report_form.form_fields.all()).get_form_class()


def build_form(report_form, data=None, files=None):
    return form_class(report_form)(data, files, page=report_form.call, user=None)


def forms_for(laureate):
    """The report forms of the laureate's call, in order (none without a call)."""
    if laureate.call_id is None:
        return ReportForm.objects.none()
    return ReportForm.objects.filter(call_id=laureate.call_id).order_by("sort_order", "pk")


ALREADY_SENT = "already_sent"
# The history's action of a report sent (the erasure finds these entries by its beginning).
SENT_ACTION = gettext_noop("Bilan envoyé : %(title)s")


def send_report(laureate, report_form, form):
    """Store the valid ``form``'s answers as ``laureate``'s report for ``report_form``; returns
    the ``Report``. Refused (``ValidationError``, nothing stored): the laureate left the
    network, the form is closed or not of the laureate's call, a report was already sent."""
    answers, files = form.answers()
    with StoredFiles() as stored, transaction.atomic():
        locked = Laureate.objects.select_for_update(of=("self",)).get(pk=laureate.pk)
        if not locked.is_member:
            raise ValidationError(
                _(
                    "Votre parcours est clos : vous ne faites plus partie du réseau des lauréats, "
                    "le bilan n'est pas envoyé."
                ),
                code="left",
            )
        current = ReportForm.objects.get(pk=report_form.pk)
        if current.call_id != locked.call_id:
            raise ValidationError(_("Ce bilan ne concerne pas votre appel."), code="other_call")
        if not current.is_open:
            raise ValidationError(
                _("Ce bilan est clos : l'équipe ne reçoit plus de réponses. Écrivez-lui si vous avez une question."),
                code="closed",
            )
        if Report.objects.filter(laureate=locked, report_form=current).exists():
            raise ValidationError(_("Ce bilan a déjà été envoyé : il ne peut l'être qu'une fois."), code=ALREADY_SENT)
        try:
            with transaction.atomic():
                report = Report.objects.create(laureate=locked, report_form=current, answers=answers)
        except IntegrityError:  # the other request of a double submission committed first
            raise ValidationError(
                _("Ce bilan a déjà été envoyé : il ne peut l'être qu'une fois."), code=ALREADY_SENT
            ) from None
        names = []
        for key, cleaned_files in files.items():
            for clean in cleaned_files:
                name = stored.write(milestone_file_name(None, clean.display_name), clean.content)
                ReportFile.objects.create(
                    report=report,
                    field_key=key,
                    file=name,
                    original_name=clean.display_name,
                    content_type=clean.content_type,
                    size=clean.size,
                )
                names.append(clean.display_name)
        detail = _("Fichiers joints : %(names)s") % {"names": ", ".join(names)} if names else ""
        write_history(locked, _(SENT_ACTION) % {"title": current.title}, detail, actor=Actor.LAUREAT)
    return report


def kept_keys(report_form):
    """The keys of ``report_form``'s questions whose answers stay after the erasure."""
    return {
        field.clean_name
        for field in report_form.form_fields.all()
        if field.kept_after_erasure and kept_after_erasure_allowed(field_types.get(field.field_type))
    }


def kept_answers(answers, keys):
    """The answers of ``keys`` whose stored type may be kept too (a question retyped since keeps
    nothing; a repeatable section's « group » never)."""
    return {
        key: answer
        for key, answer in (answers or {}).items()
        if key in keys and isinstance(answer, dict) and kept_after_erasure_allowed(field_types.get(answer.get("type")))
    }


def erase_reports(laureate):
    """Erase the personal data of ``laureate``'s reports, inside the caller's transaction (the
    laureate's row locked): see the module's docstring. Returns ``(reports, files)`` counts;
    the stored files are deleted after the commit."""
    reports = list(Report.objects.filter(laureate=laureate).prefetch_related("report_form__form_fields"))
    for report in reports:
        kept = kept_answers(report.answers, kept_keys(report.report_form))
        if kept != report.answers:
            report.answers = kept
            report.save(update_fields=["answers"])
    erased_files = erase_files(ReportFile.objects.filter(report__laureate=laureate))
    # What the laureate named their files: out of the history too (the entries stay, as the
    # applications' erasure keeps its history without what the applicant wrote).
    empty_history_details(laureate, SENT_ACTION)
    return len(reports), erased_files


def shown_answers(report):
    """``[{"label", "display", "files"}]`` in the form's order, for the pages (files: the
    report's ``ReportFile`` rows of that question)."""
    files = {}
    for report_file in report.files.all():
        files.setdefault(report_file.field_key, []).append(report_file)
    shown = []
    for key, answer in report.ordered_answers():
        kind = field_types.get(answer.get("type"))
        shown.append(
            {
                "label": answer.get("label", key),
                "display": "" if kind.files else answer.get("display", ""),
                "files": files.get(key, []) if kind.files else [],
            }
        )
    return shown


# --- The export ----------------------------------------------------------------------------


def answer_columns(report_form, reports):
    """``[(key, label, part)]``: the form's questions in order, then any key only stored."""
    fields = ((report_form.pk, field) for field in report_form.form_fields.all())
    stored = (item for report in reports for item in report.ordered_answers())
    return export.form_columns(fields, stored)


def spreadsheet(report_form):
    """``(headings, rows, reports, columns)``: each cell a ``moderation.export.Cell``."""
    reports = list(Report.objects.filter(report_form=report_form).select_related("laureate").prefetch_related("files"))
    columns = answer_columns(report_form, reports)
    shapes = {key: export.group_shape(reports, key) for key in export.group_keys(reports, columns)}
    headings = [_("Lauréat"), _("Édition"), _("Commune"), _("Région"), _("Envoyé le")]
    for key, label, _part in columns:
        headings += export.group_headings(label, *shapes[key]) if key in shapes else [label]
    rows = []
    for report in reports:
        files = {}
        for report_file in report.files.all():
            files.setdefault(report_file.field_key, []).append(report_file.original_name)
        sent = timezone.localtime(report.sent_at)
        laureate = report.laureate
        row = [
            export.cell(laureate.business_name),
            export.cell(laureate.edition),
            export.cell(laureate.town),
            export.cell(laureate.get_region_display()),
            export.Cell(sent.replace(tzinfo=None, microsecond=0), sent.strftime("%Y-%m-%d %H:%M")),
        ]
        for key, _label, part in columns:
            answer = report.answers.get(key)
            if key in shapes:
                row += export.group_cells(answer, *shapes[key])
            else:
                row.append(export.answer_cell(answer, files.get(key, ()), part))
        rows.append(row)
    return headings, rows, reports, columns


def spreadsheet_response(report_form, spreadsheet_format):
    headings, rows, reports, columns = spreadsheet(report_form)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"bilans-{slugify(report_form.title)[:40] or report_form.pk}-{stamp}"
    if spreadsheet_format == "xlsx":
        values = [[cell.value for cell in row] for row in rows]
        sheets = export.group_sheets(reports, columns)
        content = export.write_xlsx(headings, values, sheets, title=_("Bilans"))
        response = HttpResponse(content, content_type=export.XLSX_TYPE)
        extension = "xlsx"
    else:
        texts = [[cell.text for cell in row] for row in rows]
        response = HttpResponse(export.write_csv(headings, texts), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
