"""The laureate's part of the applicant's space (/espace-candidat/laureat/…).

Same sign-in, same session as the applicant's space (``views.signed_in``): the part appears
once the signed-in address is the contact address of a laureate still in the network. Every
object comes from ``laureates.space`` with that address; another laureate's id is a 404.
The laureate reads their record, payments and coaching plan, marks a milestone done
(``laureates.plan.mark_milestone_done``) and sends each report of their call once
(``laureates.progress_reports.send_report``); the team's notes are never read here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.attachments.storage import download_response
from calls.submission import count_validation
from calls.uploads import upload_errors
from calls.views import too_many_files_checked
from laureates import plan, progress_reports
from laureates import space as laureate_space
from laureates.models import MilestoneStatus
from laureates.plan_forms import MilestoneDoneForm

from .views import redirect_303, signed_in


def _page(request, laureate, bound=None, status=200):
    """The laureate's page; ``bound``: the milestone whose « fait » form came back with errors."""
    for milestone in laureate.plan:
        if milestone.status == MilestoneStatus.A_FAIRE:
            milestone.done_form = (
                bound[1] if bound and bound[0] == milestone.pk else MilestoneDoneForm(prefix=f"etape-{milestone.pk}")
            )
    context = {
        "laureate": laureate,
        "payments": laureate.shown_payments,
        "milestones": laureate.plan,
        "areas": list(laureate.coaching_areas.all()),
        "reports": laureate_space.report_forms(laureate),
        "has_errors": bound is not None,
    }
    return render(request, "applicants/laureate.html", context, status=status)


@signed_in
def laureate_view(request, pk):
    laureate = laureate_space.owned_laureate(request.applicant_email, pk)
    if laureate is None:
        raise Http404
    return _page(request, laureate)


@signed_in
@require_POST
def milestone_done_view(request, pk):
    milestone = laureate_space.owned_milestone(request.applicant_email, pk)
    if milestone is None:
        raise Http404
    page_url = reverse("applicants:laureate", args=[milestone.laureate_id])
    if milestone.status == MilestoneStatus.FAIT:
        messages.error(request, _("Cette étape est déjà marquée comme faite."))
        return redirect_303(page_url)
    # Before the files are checked: they count in the client's budget (as an application's).
    retry_after = count_validation(request)
    if retry_after is not None:
        return too_many_files_checked(request, None, retry_after)
    form = MilestoneDoneForm(request.POST, request.FILES, prefix=f"etape-{milestone.pk}")
    valid = form.is_valid()
    for name, field_messages in upload_errors(request).items():
        # The streaming guard skipped a file (too big, too many): said beside the field.
        if name == form.add_prefix("files"):
            form.add_error("files", field_messages)
            valid = False
    if valid:
        try:
            plan.mark_milestone_done(milestone, form.cleaned_data["text"], form.cleaned_data["files"] or [])
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            done = _("Étape « %(label)s » marquée comme faite. Merci !") % {"label": milestone.label}
            messages.success(request, done)
        return redirect_303(page_url + f"#etape-{milestone.pk}")
    laureate = laureate_space.owned_laureate(request.applicant_email, milestone.laureate_id)
    return _page(request, laureate, bound=(milestone.pk, form), status=400)


@signed_in
def milestone_file_view(request, pk):
    milestone_file = laureate_space.owned_milestone_file(request.applicant_email, pk)
    if milestone_file is None:
        raise Http404
    return download_response(milestone_file.file, milestone_file.original_name, milestone_file.content_type)


@signed_in
def report_view(request, pk, form_pk):
    """One report of the laureate's call: its form (GET), sent once (POST), or, once sent,
    the answers as sent."""
    found = laureate_space.owned_report_form(request.applicant_email, pk, form_pk)
    if found is None:
        raise Http404
    laureate, report_form, report = found
    page_url = reverse("applicants:laureate", args=[laureate.pk])
    if report is not None and request.method == "POST":  # a double submission, a retry
        messages.info(request, _("Ce bilan a déjà été envoyé : il ne peut l'être qu'une fois."))
        return redirect_303(request.path)
    if report is not None or request.method != "POST":
        return _report_page(request, laureate, report_form, report)
    # Before the files are checked: they count in the client's budget (as an application's).
    retry_after = count_validation(request)
    if retry_after is not None:
        return too_many_files_checked(request, None, retry_after)
    form = progress_reports.build_form(report_form, request.POST, request.FILES)
    valid = form.is_valid()
    skipped = {name: msgs for name, msgs in upload_errors(request).items() if name in form.fields}
    if skipped:  # the streaming guard skipped a file (too big, too many): said beside the field
        form.refuse_files(skipped)
        valid = False
    if not valid:
        form.update_files_to_reselect(also=skipped)
        return _report_page(request, laureate, report_form, None, form=form, status=400)
    try:
        progress_reports.send_report(laureate, report_form, form)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        if refused.code == progress_reports.ALREADY_SENT:
            return redirect_303(request.path)
        return redirect_303(page_url + "#bilans")
    messages.success(request, _("Bilan « %(title)s » envoyé. Merci !") % {"title": report_form.title})
    return redirect_303(page_url + "#bilans")


def _report_page(request, laureate, report_form, report, form=None, status=200):
    if report is None and form is None and report_form.is_open:
        form = progress_reports.build_form(report_form)
    context = {
        "laureate": laureate,
        "report_form": report_form,
        "report": report,
        "answers": progress_reports.shown_answers(report) if report is not None else [],
        "form": form if report is None and report_form.is_open else None,
    }
    return render(request, "applicants/laureate_report.html", context, status=status)


@signed_in
def report_file_view(request, pk):
    report_file = laureate_space.owned_report_file(request.applicant_email, pk)
    if report_file is None:
        raise Http404
    return download_response(report_file.file, report_file.original_name, report_file.content_type)
